import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { ColleagueRepo } from './repo.js';
import { PRESENCE_STATES, presenceOf } from './presence.js';

export const colleagueSchema = z
  .object({
    id: z.uuid().meta({ description: 'The user id (what internal calls and transfers take as `agentId`)' }),
    name: z.string(),
    staffNo: z.string(),
    skillGroups: z.array(z.object({ id: z.uuid(), name: z.string() })),
    state: z.enum(PRESENCE_STATES),
    reason: z.string().nullable().meta({ description: 'The rest reason, with `rest` only' }),
    since: z.string().meta({ description: 'When the agent entered the state' }),
  })
  .meta({ id: 'Colleague' });

/**
 * Colleagues with live presence (AGT-04): whom an agent can call or hand a call to. Any
 * signed-in user of the tenant; live changes come over `/ws` as `presence` events.
 */
export function registerColleagueRoutes(api: ApiRouter): void {
  api.route({
    method: 'get',
    path: '/colleagues',
    summary:
      'Every agent of your tenant with their skill groups and presence (idle, ringing, onCall, wrapUp, notReady, rest, offline) and since when; live changes arrive on /ws as `presence`',
    tags: ['agents'],
    access: { roles: ['admin', 'supervisor', 'agent'], scopes: ['users:read'] },
    response: z.object({ items: z.array(colleagueSchema) }),
    handler: async ({ principal, deps }) => {
      const rows = await new ColleagueRepo({ db: deps.db }).list(principal.tenantId);
      return {
        items: rows.map((r) => ({
          id: r.id,
          name: r.name,
          staffNo: r.staffNo,
          skillGroups: r.skillGroups,
          state: presenceOf(r.state),
          reason: r.state === 'rest' ? r.reason : null,
          since: r.stateSince.toISOString(),
        })),
      };
    },
  });
}
