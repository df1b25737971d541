import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { AGENT_STATES } from '../agents/schema.js';

/** Supervisors and admins of the tenant; agents get 403 (MON-01/02 are in both editions). */
const staff = { roles: ['supervisor', 'admin'] } as const;

const LIVE_SESSION_STATES = ['ivr', 'queued', 'offering', 'bridged'] as const;
const ts = z.string().meta({ description: 'ISO 8601 time' });

const agentLiveShape = {
  agentId: z.uuid(),
  state: z.enum(AGENT_STATES),
  reason: z.string().nullable().meta({ description: 'The rest reason, with `rest` only' }),
  stateSince: ts,
  today: z
    .object({
      online: z.number().int(),
      idle: z.number().int(),
      notReady: z.number().int(),
      rest: z.number().int(),
      busy: z.number().int().meta({ description: 'Ringing and talking' }),
      afterCallWork: z.number().int(),
    })
    .meta({ description: "Seconds per state since the tenant's midnight (settings.timezone)" }),
  callsToday: z.number().int().meta({ description: 'Calls the agent answered today' }),
  currentCall: z
    .object({
      sessionId: z.uuid(),
      direction: z.enum(['inbound', 'outbound', 'internal']),
      customer: z.string(),
      state: z.enum(['ivr', 'queued', 'offering', 'bridged', 'ended']),
    })
    .nullable(),
  at: ts.meta({ description: 'When the figures were computed (server clock)' }),
};

export const monitorAgentSchema = z
  .object({
    ...agentLiveShape,
    name: z.string(),
    staffNo: z.string(),
    role: z.enum(['admin', 'supervisor', 'agent']),
    skillGroups: z.array(z.object({ id: z.uuid(), name: z.string() })),
  })
  .meta({ id: 'MonitorAgent' });

const countsSchema = z.object({
  online: z.number().int(),
  idle: z.number().int(),
  ringing: z.number().int(),
  busy: z.number().int(),
  afterCallWork: z.number().int(),
  notReady: z.number().int(),
  rest: z.number().int(),
  offline: z.number().int(),
});

export const monitorSkillGroupSchema = z
  .object({
    skillGroupId: z.uuid(),
    name: z.string(),
    type: z.enum(['inbound', 'outbound']),
    agents: countsSchema.meta({ description: 'Member agents by state; online = all but offline' }),
    queueLength: z.number().int(),
    longestWaitSince: ts.nullable().meta({ description: 'Since when the longest-waiting caller waits' }),
    callsToday: z.number().int().meta({ description: 'Calls that entered the group today' }),
    answeredToday: z.number().int(),
    at: ts,
  })
  .meta({ id: 'MonitorSkillGroup' });

export const monitorSessionSchema = z
  .object({
    sessionId: z.uuid(),
    state: z.enum(LIVE_SESSION_STATES),
    direction: z.enum(['inbound', 'outbound', 'internal']),
    caller: z.string(),
    callee: z.string(),
    skillGroup: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    agent: z.object({ id: z.uuid(), name: z.string(), staffNo: z.string(), email: z.string() }).nullable(),
    roomId: z.string().meta({ description: 'The conference room the parties meet in (API-04)' }),
    accessNumber: z.string().nullable().meta({
      description:
        'The company number the call uses: the one dialled (inbound) or shown (outbound); null for internal calls',
    }),
    startedAt: ts,
    queuedAt: ts.nullable(),
    acceptedAt: ts.nullable(),
    held: z.boolean(),
    listeners: z.array(z.object({ supervisorId: z.uuid(), legId: z.uuid(), state: z.enum(['ringing', 'joined']) })),
  })
  .meta({ id: 'MonitorSession' });

/**
 * Live monitors (MON-01/02 and the call list of MON-03) for supervisors and admins. Each list
 * is the whole tenant (live tables, not pages); live changes arrive on `/ws` as `monitor.agent`,
 * `monitor.skillGroup` and `session.state` / `session.listen`.
 */
export function registerMonitorRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/monitor/agents',
      summary:
        'Agent monitor (MON-01): staff no., name, role, skill groups, state and since when, seconds online / idle / notReady / rest / busy / wrap-up today, current call, calls answered today. Live: `monitor.agent` on /ws',
      tags: ['monitor'],
      access: staff,
      query: z
        .object({
          skillGroupId: z.uuid().optional().meta({ description: 'Members of this skill group only' }),
          state: z.enum(AGENT_STATES).optional(),
        })
        .strict(),
      response: z.object({ items: z.array(monitorAgentSchema) }),
      handler: async ({ principal, deps, query }) => ({
        items: await deps.monitorService.agents(principal.tenantId, query),
      }),
    })
    .route({
      method: 'get',
      path: '/monitor/skill-groups',
      summary:
        'Skill group monitor (MON-02): member agents by state, queue length, longest wait, calls today and answered. Live: `monitor.skillGroup` on /ws',
      tags: ['monitor'],
      access: staff,
      response: z.object({ items: z.array(monitorSkillGroupSchema) }),
      handler: async ({ principal, deps }) => ({ items: await deps.monitorService.skillGroups(principal.tenantId) }),
    })
    .route({
      method: 'get',
      path: '/monitor/sessions',
      summary:
        'Calls in progress (MON-03 list, API-04): state, direction, numbers (whole: staff only), room, company number used, skill group, agent (with email), times, hold, supervisors listening. API keys with records:read. Live: `session.state` and `session.listen` on /ws',
      tags: ['monitor'],
      access: { ...staff, scopes: ['records:read'] },
      query: z
        .object({
          skillGroupId: z.uuid().optional(),
          state: z.enum(LIVE_SESSION_STATES).optional(),
        })
        .strict(),
      response: z.object({ items: z.array(monitorSessionSchema) }),
      handler: async ({ principal, deps, query }) => ({
        items: await deps.monitorService.sessions(principal.tenantId, query),
      }),
    });
}
