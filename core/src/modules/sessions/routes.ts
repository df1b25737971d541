import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { createError, isAppError } from '../../errors/registry.js';
import type { ApiRouter, RouteAccess } from '../../http/api-router.js';
import type { Principal } from '../auth/principal.js';
import type { SessionControlService } from './control-service.js';
import { collectTemplates, type CollectTemplateRow } from './schema.js';
import { multiLine, singleLine } from '../../http/text.js';
import { callerLocationSchema } from '../caller-location/schema.js';
import { companyNumberSchema } from '../numbers/company-number.js';

const params = z.object({ id: z.uuid() });

/** Which of the agent's devices a call they place rings first (OUT-04/05: the mini-program's is the mobile). */
export const agentDeviceSchema = z.enum(['auto', 'mobile']).meta({
  description:
    'Which of your devices rings first: `auto` (default) per your answer mode; `mobile` your bound mobile whatever the mode (the mini-program, which has no softphone)',
});
const legParams = z.object({ id: z.uuid(), legId: z.uuid() });
/** Everyone who takes calls; the service then allows only the agent on the call or a supervisor. */
const onCall = { roles: ['agent', 'supervisor', 'admin'] } as const;
const advancedOnCall = { roles: ['agent', 'supervisor', 'admin'], edition: 'advanced' } as const;
const supervisors = { roles: ['supervisor', 'admin'], edition: 'advanced' } as const;
/** What sends the customer away from the agent for a while (CTL-10 digits, CTL-11 self-service). */
const customerAway = {
  access: advancedOnCall,
  status: 202,
  errors: {
    403: 'forbidden, not_your_call, edition_required',
    404: 'not_found',
    409: 'session_not_live, customer_away',
  },
} as const;
/** A phone number as dialled: digits, an optional leading +. */
const phoneNumber = z.string().regex(/^\+?[0-9]{3,20}$/, 'a phone number: digits, optionally a leading +');

const legSchema = z.looseObject({
  kind: z.enum(['agent', 'external', 'supervisor', 'customer']),
  purpose: z.string(),
  agentId: z.uuid().nullable(),
  startedAt: z.string(),
  answeredAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  transferFrom: z.object({ agentId: z.uuid().nullable() }).nullable(),
  transferTo: z.looseObject({ type: z.string() }).nullable(),
});

const sessionSchema = z
  .looseObject({
    id: z.uuid(),
    state: z.string(),
    direction: z.enum(['inbound', 'outbound', 'internal']),
    caller: z.string().meta({
      description:
        'Inbound: the customer, masked for agents when the tenant protects numbers (RT-07); outbound: the company number shown (OUT-07)',
    }),
    callee: z.string().meta({
      description:
        'Inbound: the company number dialled (IN-05), never masked; outbound: the customer, masked for agents when the tenant protects numbers (OUT-09)',
    }),
    callerLocation: callerLocationSchema.nullable(),
    companyNumber: companyNumberSchema.nullable(),
    annotations: z.record(z.string(), z.unknown()).meta({
      description:
        'What `call.incoming` / `call.outbound` plugins added (a CRM card…), the customer’s number masked for agents',
    }),
    held: z.boolean(),
    agentMuted: z.boolean(),
    ivrKeys: z.array(z.looseObject({ key: z.string(), label: z.string() })),
    variables: z.record(z.string(), z.string()),
    notes: z.string().nullable(),
    legs: z.array(legSchema),
  })
  .meta({ id: 'Session' });

const transferSchema = z
  .object({
    to: z.discriminatedUnion('type', [
      z.object({ type: z.literal('skillGroup'), skillGroupId: z.uuid() }).strict(),
      z.object({ type: z.literal('agent'), agentId: z.uuid() }).strict(),
      z.object({ type: z.literal('external'), number: phoneNumber }).strict(),
    ]),
  })
  .strict();

const partySchema = z
  .object({
    with: z.discriminatedUnion('type', [
      z.object({ type: z.literal('agent'), agentId: z.uuid() }).strict(),
      z.object({ type: z.literal('external'), number: phoneNumber }).strict(),
    ]),
  })
  .strict();

const templateBody = z
  .object({
    name: singleLine(100),
    prompt: multiLine(1000),
    minDigits: z.number().int().min(1).max(32).default(1),
    maxDigits: z.number().int().min(1).max(32),
    finishOnKey: z.enum(['#', '*']).nullable().default('#'),
    timeoutSeconds: z.number().int().min(1).max(60).default(10),
    failurePrompt: multiLine(1000).nullable().default(null).meta({
      description: 'Said after a timeout or digits of the wrong length, before the next try and after the last',
    }),
    maxTries: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(3)
      .meta({ description: 'Tries in all; after the last failed one the agent gets session.digits with failed: true' }),
    variable: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a variable name: letters, digits, _')
      .refine((v) => !v.startsWith('System'), 'System… names are reserved'),
    mask: z.boolean().default(false),
  })
  .strict()
  .refine((t) => t.minDigits <= t.maxDigits, { message: 'minDigits must not exceed maxDigits', path: ['minDigits'] });

const templateSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prompt: z.string(),
    minDigits: z.number(),
    maxDigits: z.number(),
    finishOnKey: z.string().nullable(),
    timeoutSeconds: z.number(),
    failurePrompt: z.string().nullable(),
    maxTries: z.number(),
    variable: z.string(),
    mask: z.boolean(),
  })
  .meta({ id: 'CollectTemplate' });

function templateView(t: CollectTemplateRow) {
  return {
    id: t.id,
    name: t.name,
    prompt: t.prompt,
    minDigits: t.minDigits,
    maxDigits: t.maxDigits,
    finishOnKey: t.finishOnKey,
    timeoutSeconds: t.timeoutSeconds,
    failurePrompt: t.failurePrompt,
    maxTries: t.maxTries,
    variable: t.variable,
    mask: t.mask,
  };
}

/** Unique name per tenant: a second template of that name is a 409, not a 500. */
async function uniqueName<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const code =
      (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
    if (!isAppError(err) && code === '23505') throw createError('conflict', 'A template with that name exists');
    throw err;
  }
}

/**
 * Live call control on `/sessions/:id/…` (issue 5: CTL-01…11, MON-03) and the digit collection
 * templates admins define for it (CTL-10).
 */
export function registerSessionRoutes(api: ApiRouter): void {
  const action = (
    path: string,
    summary: string,
    run: (s: SessionControlService, p: Principal, id: string) => Promise<unknown>,
    errors: Record<number, string> = { 404: 'not_found', 409: 'session_not_live, customer_away' },
    access: Exclude<RouteAccess, 'public'> = onCall,
  ) =>
    api.route({
      method: 'post',
      path: `/sessions/:id/${path}`,
      summary,
      tags: ['sessions'],
      access,
      params,
      errors: { 403: 'forbidden, not_your_call', ...errors },
      handler: ({ principal, deps, params: { id } }) => run(deps.sessionControl, principal, id),
    });

  api.route({
    method: 'get',
    path: '/sessions/:id',
    summary: 'A call with its data: customer (masked per number protection), IVR keys, variables, notes, legs',
    tags: ['sessions'],
    access: onCall,
    params,
    response: sessionSchema,
    errors: { 403: 'forbidden, not_your_call', 404: 'not_found' },
    handler: ({ principal, deps, params: { id } }) => deps.sessionControl.view(principal, id),
  });

  action(
    'hold',
    'Put the customer on hold: they hear hold music, the agent no longer hears them (CTL-01)',
    (s, p, id) => s.hold(p, id, true),
    { 404: 'not_found', 409: 'already_held, session_not_live, customer_away' },
  );
  action('unhold', 'Take the customer off hold (CTL-01)', (s, p, id) => s.hold(p, id, false), {
    404: 'not_found',
    409: 'not_held, session_not_live, customer_away',
  });
  action('mute', "Mute the serving agent's microphone (CTL-02)", (s, p, id) => s.mute(p, id, true), {
    404: 'not_found',
    409: 'already_muted, session_not_live, customer_away',
  });
  action('unmute', "Unmute the serving agent's microphone (CTL-02)", (s, p, id) => s.mute(p, id, false), {
    404: 'not_found',
    409: 'not_muted, session_not_live, customer_away',
  });
  action(
    'hangup',
    'Hang the call up from the agent side; a call you are dialling (OUT-01) is cancelled (record: callerCancel / callerCancelWhileRing)',
    (s, p, id) => s.hangup(p, id),
  );
  api.route({
    method: 'post',
    path: '/sessions/:id/redial',
    summary: 'Call the customer back after the call ended: a new call, the agent first (CTL-07)',
    tags: ['sessions'],
    access: onCall,
    params,
    // No body at all is the workbench's call; the mini-program asks for the mobile (MP-04).
    body: z.object({ device: agentDeviceSchema.optional() }).strict(),
    errors: {
      403: 'forbidden, not_your_call',
      404: 'not_found',
      409: 'session_still_live, no_device, agent_offline, agent_busy',
    },
    handler: ({ principal, deps, params: { id }, body }) => deps.sessionControl.redial(principal, id, body?.device),
  });
  action(
    'listen',
    'Listen in: the supervisor’s device rings and joins the call muted (MON-03)',
    (s, p, id) => s.listen(p, id),
    {
      404: 'not_found',
      409: 'session_not_live, customer_away, no_device, conflict',
    },
    supervisors,
  );
  action(
    'listen/leave',
    'Stop listening in (MON-03)',
    (s, p, id) => s.leaveListen(p, id),
    {
      404: 'not_found',
    },
    supervisors,
  );

  api
    .route({
      method: 'post',
      path: '/sessions/:id/dtmf',
      summary: 'Send DTMF digits to the customer',
      tags: ['sessions'],
      access: onCall,
      params,
      body: z.object({ digits: z.string().regex(/^[0-9*#A-D]{1,32}$/, 'DTMF digits 0-9 * # A-D') }).strict(),
      errors: { 403: 'forbidden, not_your_call', 404: 'not_found', 409: 'session_not_live, customer_away' },
      handler: ({ principal, deps, params: { id }, body }) => deps.sessionControl.dtmf(principal, id, body.digits),
    })
    .route({
      method: 'put',
      path: '/sessions/:id/notes',
      summary: 'The agent’s notes on the call; they travel with transfers and go into the record',
      tags: ['sessions'],
      access: onCall,
      params,
      body: z.object({ notes: multiLine(4000, { min: 0, trim: false }) }).strict(),
      response: z.object({ notes: z.string() }),
      errors: { 403: 'forbidden, not_your_call', 404: 'not_found' },
      handler: ({ principal, deps, params: { id }, body }) => deps.sessionControl.setNotes(principal, id, body.notes),
    })
    .route({
      method: 'post',
      path: '/sessions/:id/transfer',
      summary:
        'Hand the call on, same session id, data travelling with it: to a skill group (CTL-03), an agent (CTL-04) or an external number (CTL-05)',
      tags: ['sessions'],
      access: onCall,
      params,
      body: transferSchema,
      status: 202,
      response: z.object({ sessionId: z.uuid() }),
      errors: {
        403: 'forbidden, not_your_call',
        404: 'not_found',
        409: 'session_not_live, customer_away, agent_unavailable, no_device',
      },
      handler: ({ principal, deps, params: { id }, body }) => deps.sessionControl.transfer(principal, id, body.to),
    })
    .route({
      method: 'post',
      path: '/sessions/:id/conference',
      summary: 'Three-way call: ring an external number or a second agent into the call (CTL-09)',
      tags: ['sessions'],
      access: onCall,
      params,
      body: partySchema,
      status: 202,
      response: z.object({ legId: z.uuid() }),
      errors: {
        403: 'forbidden, not_your_call',
        404: 'not_found',
        409: 'session_not_live, customer_away, agent_unavailable, no_device',
      },
      handler: ({ principal, deps, params: { id }, body }) => deps.sessionControl.addParty(principal, id, body.with),
    })
    .route({
      method: 'post',
      path: '/sessions/:id/legs/:legId/hangup',
      summary: 'Drop a party that call control added (three-way, listen-in)',
      tags: ['sessions'],
      access: onCall,
      params: legParams,
      status: 204,
      errors: { 403: 'forbidden, not_your_call', 404: 'not_found', 409: 'session_not_live' },
      handler: async ({ principal, deps, params: p }) => {
        await deps.sessionControl.dropParty(principal, p.id, p.legId);
      },
    })
    .route({
      method: 'post',
      path: '/sessions/:id/blacklist',
      summary:
        'Put the caller on the tenant blacklist, optionally hanging up; later calls are refused (CTL-08). After the call (wrap-up) the agent who served it may still do it',
      tags: ['sessions'],
      access: onCall,
      params,
      body: z.object({ hangup: z.boolean(), reason: singleLine(200).optional() }).strict(),
      errors: { 403: 'forbidden, not_your_call', 404: 'not_found', 409: 'session_not_live' },
      handler: ({ principal, deps, params: { id }, body }) =>
        deps.sessionControl.blacklist(principal, id, {
          hangup: body.hangup,
          ...(body.reason ? { reason: body.reason } : {}),
        }),
    })
    .route({
      method: 'post',
      path: '/sessions/:id/collect',
      summary: 'Have the customer key in digits for a collection template; they come back to the agent (CTL-10)',
      tags: ['sessions'],
      ...customerAway,
      params,
      body: z.object({ templateId: z.uuid() }).strict(),
      handler: ({ principal, deps, params: { id }, body }) =>
        deps.sessionControl.collect(principal, id, body.templateId),
    })
    .route({
      method: 'post',
      path: '/sessions/:id/self-service',
      summary: 'Send the customer into an IVR flow; at its end they come back to the agent (CTL-11)',
      tags: ['sessions'],
      ...customerAway,
      params,
      body: z.object({ flowId: z.uuid() }).strict(),
      handler: ({ principal, deps, params: { id }, body }) =>
        deps.sessionControl.selfService(principal, id, body.flowId),
    });

  // ── Digit collection templates (CTL-10), admin-defined ──
  const admin = { roles: ['admin'], edition: 'advanced' } as const;
  api
    .route({
      method: 'get',
      path: '/self-service-flows',
      summary: 'IVR flows an agent may send a caller into mid-call: id and name only (CTL-11)',
      tags: ['sessions'],
      // The IVR flows themselves (graphs, numbers) are for supervisors and admins; an agent on a
      // call needs only the names of the flows with a published version to pick one.
      access: { roles: ['admin', 'supervisor', 'agent'], edition: 'advanced' },
      response: z
        .object({ items: z.array(z.object({ id: z.uuid(), name: z.string() })) })
        .meta({ id: 'SelfServiceFlows' }),
      handler: async ({ principal, deps }) => ({
        items: (await deps.ivrService.list(principal.tenantId))
          .filter((f) => f.publishedVersion !== null)
          .map((f) => ({ id: f.id, name: f.name })),
      }),
    })
    .route({
      method: 'get',
      path: '/collect-templates',
      summary: 'Digit collection templates (CTL-10)',
      tags: ['sessions'],
      access: { roles: ['admin', 'supervisor', 'agent'], edition: 'advanced' },
      response: z.object({ items: z.array(templateSchema) }),
      handler: async ({ principal, deps }) => {
        const rows = await deps.db
          .select()
          .from(collectTemplates)
          .where(eq(collectTemplates.tenantId, principal.tenantId))
          .orderBy(asc(collectTemplates.name));
        return { items: rows.map(templateView) };
      },
    })
    .route({
      method: 'post',
      path: '/collect-templates',
      summary: 'Create a digit collection template (CTL-10)',
      tags: ['sessions'],
      access: admin,
      body: templateBody,
      status: 201,
      response: templateSchema,
      errors: { 409: 'conflict' },
      handler: ({ principal, deps, body }) =>
        uniqueName(async () => {
          const [row] = await deps.db
            .insert(collectTemplates)
            .values({ tenantId: principal.tenantId, ...body })
            .returning();
          return templateView(row!);
        }),
    })
    .route({
      method: 'put',
      path: '/collect-templates/:id',
      summary: 'Replace a digit collection template (CTL-10)',
      tags: ['sessions'],
      access: admin,
      params,
      body: templateBody,
      response: templateSchema,
      errors: { 404: 'not_found', 409: 'conflict' },
      handler: ({ principal, deps, params: { id }, body }) =>
        uniqueName(async () => {
          const [row] = await deps.db
            .update(collectTemplates)
            .set({ ...body, updatedAt: new Date() })
            .where(and(eq(collectTemplates.tenantId, principal.tenantId), eq(collectTemplates.id, id)))
            .returning();
          if (!row) throw createError('not_found', 'No such template');
          return templateView(row);
        }),
    })
    .route({
      method: 'delete',
      path: '/collect-templates/:id',
      summary: 'Delete a digit collection template (CTL-10)',
      tags: ['sessions'],
      access: admin,
      params,
      status: 204,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params: { id } }) => {
        const rows = await deps.db
          .delete(collectTemplates)
          .where(and(eq(collectTemplates.tenantId, principal.tenantId), eq(collectTemplates.id, id)))
          .returning({ id: collectTemplates.id });
        if (rows.length === 0) throw createError('not_found', 'No such template');
      },
    });
}
