import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import type { Principal } from '../auth/principal.js';
import type { NumberRepo } from '../numbers/repo.js';
import type { NumberRow } from '../numbers/schema.js';
import { ANSWER_MODES } from './schema.js';

/** E.164-ish: an optional +, a non-zero first digit, 7–15 digits in all. */
export const e164Schema = z
  .string()
  .trim()
  .regex(/^\+?[1-9][0-9]{6,14}$/, 'must be a phone number: 7–15 digits, optionally starting with +');

const credentialsSchema = z
  .object({
    sipUser: z.string().meta({ description: 'SIP user name to register with (user part of the AOR)' }),
    password: z.string().meta({ description: 'SIP digest password' }),
    realm: z.string().nullable().meta({ description: 'SIP realm (domain of the AOR)' }),
    wsServer: z.string().nullable().meta({ description: 'WSS URL of the SBC to register to' }),
    mode: z.enum(['sip', 'simulator', 'none']).meta({
      description:
        'sip = register over WSS; simulator = no real registrar (built-in jambonz simulator): use the simulated phone routes under /simulator/devices/me; none = no telephony provider',
    }),
  })
  .meta({ id: 'SoftphoneCredentials' });

const answeringSchema = z
  .object({
    answerMode: z.enum(ANSWER_MODES).meta({
      description:
        'IN-02: webrtc = browser softphone; mobileAlways = your bound mobile; mobileWhenOffline = the mobile while your softphone is not registered',
    }),
    autoAnswer: z.boolean().meta({ description: 'IN-03: the softphone answers offers by itself' }),
  })
  .meta({ id: 'Answering' });

const answeringPatch = z
  .object({ answerMode: z.enum(ANSWER_MODES).optional(), autoAnswer: z.boolean().optional() })
  .strict()
  .refine((b) => b.answerMode !== undefined || b.autoAnswer !== undefined, 'send answerMode and/or autoAnswer');

const agentMobileNumberSchema = z
  .object({ id: z.uuid(), number: z.string(), label: z.string() })
  .meta({ id: 'AgentMobileNumber' });

/** A number as the agent-mobile list shows it. */
function agentMobileView(n: NumberRow): { id: string; number: string; label: string } {
  return { id: n.id, number: n.number, label: n.label };
}

/** Marks a number of the tenant as dialling agents' mobiles, or not (404 for another tenant's). */
async function setAgentMobile(numberRepo: NumberRepo, tenantId: string, numberId: string, on: boolean) {
  const n = await numberRepo.setAgentMobile(tenantId, numberId, on);
  if (!n) throw createError('not_found', 'No number with that id');
  return n;
}

function userOf(principal: Principal): { tenantId: string; userId: string } {
  if (principal.kind !== 'user') throw createError('forbidden', 'Only a signed-in user has a device');
  return principal;
}

const self = { roles: ['admin', 'supervisor', 'agent'] } as const;

/** Unique-violation on users.mobile → 409 instead of a 500. */
function mobileTaken(err: unknown): never {
  const e = err as { code?: string; cause?: { code?: string } };
  if ((e.code ?? e.cause?.code) === '23505') {
    throw createError('conflict', 'Another user already has this mobile', { details: { field: 'mobile' } });
  }
  throw err;
}

/**
 * Agents' devices: softphone credentials (provisioned per agent at the provider), where offers
 * ring (softphone or bound mobile, IN-02), auto-answer (IN-03), the bound mobile (AGT-03) and
 * the numbers that dial agents' mobiles (ADM-05).
 */
export function registerDeviceRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/me/device',
      summary: 'Your softphone credentials (provisioned on first use): SIP user, password, realm, WSS server',
      tags: ['agents'],
      access: self,
      response: credentialsSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps }) => {
        const { tenantId, userId } = userOf(principal);
        return deps.deviceService.credentials(tenantId, userId);
      },
    })
    .route({
      method: 'post',
      path: '/agents/:userId/device',
      summary:
        'Provision or rotate a user’s softphone credentials at the telephony provider (the old password stops working)',
      tags: ['agents'],
      access: { roles: ['admin'], scopes: ['users:write'] },
      params: z.object({ userId: z.uuid() }),
      response: z.object({ sipUser: z.string(), realm: z.string().nullable(), wsServer: z.string().nullable() }),
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => {
        const { sipUser, realm, wsServer } = await deps.deviceService.provision(principal.tenantId, params.userId);
        return { sipUser, realm, wsServer };
      },
    })
    .route({
      method: 'get',
      path: '/me/answering',
      summary: 'Where your offers ring (IN-02) and whether your softphone answers them by itself (IN-03)',
      tags: ['agents'],
      access: self,
      response: answeringSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps }) => {
        const { tenantId, userId } = userOf(principal);
        return deps.deviceService.answering(tenantId, userId);
      },
    })
    .route({
      method: 'put',
      path: '/me/answering',
      summary: 'Choose where your offers ring (IN-02) and auto-answer (IN-03)',
      tags: ['agents'],
      access: self,
      body: answeringPatch,
      response: answeringSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, body }) => {
        const { tenantId, userId } = userOf(principal);
        return deps.deviceService.setAnswering(tenantId, userId, body);
      },
    })
    .route({
      method: 'put',
      path: '/agents/:userId/answering',
      summary: 'Set where an agent’s offers ring (IN-02) and auto-answer (IN-03)',
      tags: ['agents'],
      access: { roles: ['admin'], scopes: ['users:write'] },
      params: z.object({ userId: z.uuid() }),
      body: answeringPatch,
      response: answeringSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params, body }) =>
        deps.deviceService.setAnswering(principal.tenantId, params.userId, body),
    })
    .route({
      method: 'put',
      path: '/me/mobile',
      summary: 'Change your bound mobile (AGT-03): used for mobile answering and SMS sign-in; null removes it',
      tags: ['agents'],
      access: self,
      body: z.object({ mobile: e164Schema.nullable() }).strict(),
      response: z.object({ mobile: z.string().nullable() }),
      errors: { 404: 'not_found', 409: 'conflict' },
      handler: async ({ principal, deps, body }) => {
        const { tenantId, userId } = userOf(principal);
        const row = await deps.userRepo.update(tenantId, userId, { mobile: body.mobile }).catch(mobileTaken);
        if (!row) throw createError('not_found', 'No such user');
        return { mobile: row.mobile };
      },
    })
    .route({
      method: 'get',
      path: '/agent-mobile-numbers',
      summary: 'Numbers that dial agents’ mobiles (ADM-05), used round robin as the caller id',
      tags: ['numbers'],
      access: { roles: ['admin', 'supervisor'], scopes: ['tenant:read'] },
      response: z.object({ items: z.array(agentMobileNumberSchema) }),
      handler: async ({ principal, deps }) => ({
        items: (await deps.numberRepo.listAgentMobile(principal.tenantId)).map(agentMobileView),
      }),
    })
    .route({
      method: 'put',
      path: '/agent-mobile-numbers/:numberId',
      summary: 'Designate one of your numbers to dial agents’ mobiles (ADM-05)',
      tags: ['numbers'],
      access: { roles: ['admin'], scopes: ['tenant:write'] },
      params: z.object({ numberId: z.uuid() }),
      response: agentMobileNumberSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) =>
        agentMobileView(await setAgentMobile(deps.numberRepo, principal.tenantId, params.numberId, true)),
    })
    .route({
      method: 'delete',
      path: '/agent-mobile-numbers/:numberId',
      summary: 'Stop using a number to dial agents’ mobiles (ADM-05)',
      tags: ['numbers'],
      access: { roles: ['admin'], scopes: ['tenant:write'] },
      params: z.object({ numberId: z.uuid() }),
      status: 204,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => {
        await setAgentMobile(deps.numberRepo, principal.tenantId, params.numberId, false);
      },
    });
}
