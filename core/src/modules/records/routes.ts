import { and, asc, desc, eq, gt, gte, lt, ne, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { Db } from '../../db/database.js';
import type { ApiRouter } from '../../http/api-router.js';
import type { Principal } from '../auth/principal.js';
import {
  customerNumber,
  hideNumbers,
  hideNumbersDeep,
  maskNumber,
  numberProtectionOn,
} from '../calls/number-protection.js';
import { RECORDING_STATUSES, recordings } from '../recordings/schema.js';
import { agentVariableMask, sessionLegs } from '../sessions/legs.js';
import { sessionControls } from '../sessions/schema.js';
import { END_STATUS } from '../calls/end-status.js';
import { tookPart } from './participation.js';
import { cdrs, type CdrRow } from './schema.js';

const cdrSchema = z
  .looseObject({
    sessionId: z.uuid(),
    direction: z.enum(['inbound', 'outbound', 'internal']),
    caller: z.string().meta({ description: "The customer's number is masked for agents under number protection" }),
    callee: z.string(),
    endStatus: z.number(),
    endStatusString: z.string().meta({ example: 'ok' }),
    durationSeconds: z.number().int().meta({ description: 'Talk time' }),
    startedAt: z.string().meta({ description: 'When the call began; the paging cursor (`before`, `after`)' }),
    acceptedAt: z.string().nullable(),
    endedAt: z.string(),
    hungUpSide: z.enum(['user', 'seat', 'system']),
    servingSkillGroupName: z.string().nullable(),
    agentId: z.uuid().nullable(),
    note: z.string().nullable().meta({ description: "The agents' notes on the call" }),
    recordingId: z
      .uuid()
      .nullable()
      .meta({ description: 'Play it at `/api/v1/recordings/{id}` (agents: calls they took part in)' }),
  })
  .meta({ id: 'Cdr' });

/** One record with its parts: party legs and every recording of the conversation, in order. */
const cdrDetailSchema = z
  .looseObject({
    sessionId: z.uuid(),
    caller: z.string(),
    callee: z.string(),
    endStatus: z.number(),
    recordings: z.array(
      z.object({
        id: z.uuid(),
        status: z.enum(RECORDING_STATUSES),
        agentId: z.uuid().nullable(),
        startedAt: z.string(),
        endedAt: z.string().nullable(),
        durationMs: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'CdrDetail' });

/** A CDR as the API returns it; numbers masked for agents when the tenant protects them (RT-07). */
function view(c: CdrRow, mask: boolean, agentVars?: VariableMask, sessionNotes?: string | null) {
  const note = c.note ?? sessionNotes ?? null;
  return {
    ...c,
    // The agent's notes (kept with the live session until the CDR has its own); a note may hold the number.
    note: note !== null && mask ? hideNumbers(note, [customerNumber(c)]) : note,
    // The customer's side: the caller of an inbound call, the callee of an outbound one (redial).
    caller: mask && c.direction !== 'outbound' ? maskNumber(c.caller) : c.caller,
    // RT-07 / CTL-10: for agents, masked-template digits and the customer's number stay hidden
    // in the variables too (a flow may have copied the caller's number into one).
    variables: agentVars ? agentVars(c.variables, mask ? [customerNumber(c)] : []) : c.variables,
    callee: mask && c.direction === 'outbound' ? maskNumber(c.callee) : c.callee,
    annotations: mask ? hideNumbersDeep(c.annotations, [customerNumber(c)]) : c.annotations,
    startedAt: c.startedAt.toISOString(),
    queuedAt: c.queuedAt?.toISOString() ?? null,
    ringAt: c.ringAt?.toISOString() ?? null,
    acceptedAt: c.acceptedAt?.toISOString() ?? null,
    endedAt: c.endedAt.toISOString(),
    createdAt: c.createdAt.toISOString(),
  };
}

type VariableMask = Awaited<ReturnType<typeof agentVariableMask>>;

const isAgent = (p: Principal) => p.kind === 'user' && p.role === 'agent';

/**
 * Every recording of the conversation, oldest first, each with the agent whose part it is: a
 * call handed on to another agent (CTL-03/04) has one per agent (see `writeCdr`).
 */
async function callRecordings(db: Db, c: CdrRow) {
  const rows = await db
    .select({
      id: recordings.id,
      status: recordings.status,
      startedAt: recordings.startedAt,
      endedAt: recordings.endedAt,
      durationMs: recordings.durationMs,
    })
    .from(recordings)
    .where(and(eq(recordings.tenantId, c.tenantId), eq(recordings.sessionId, c.sessionId), eq(recordings.kind, 'call')))
    .orderBy(asc(recordings.startedAt), asc(recordings.id));
  const agentOf = new Map(c.serveParticipants.flatMap((p) => (p.recordingId ? [[p.recordingId, p.agentId]] : [])));
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    agentId: agentOf.get(r.id) ?? null,
    startedAt: r.startedAt.toISOString(),
    endedAt: r.endedAt?.toISOString() ?? null,
    durationMs: r.durationMs,
  }));
}

/**
 * Agents see only calls they took part in (REC-05 "my calls": any leg they served or placed,
 * see {@link tookPart}); supervisors and admins the tenant's, or with `mine` only their own;
 * API keys the tenant's.
 */
function scope(principal: Principal, mine = false): SQL | undefined {
  if (principal.kind !== 'user') {
    if (mine) throw createError('validation_failed', '`mine` needs a signed-in user, not an API key');
    return undefined;
  }
  if (principal.role !== 'agent' && !mine) return undefined;
  return tookPart(principal.userId, sql`${cdrs.sessionId}`);
}

/** Call records (CDRs). */
export function registerRecordRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/records',
      summary:
        'Call records, newest first; filtered by direction, connected and start time, paged with `before`/`after` cursors (REC-01)',
      tags: ['records'],
      access: { roles: ['admin', 'supervisor', 'agent'], scopes: ['records:read'] },
      query: z
        .object({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          before: z.iso
            .datetime()
            .optional()
            .meta({ description: 'Older page: calls started before this time (the last `startedAt` of a page)' }),
          after: z.iso.datetime().optional().meta({
            description:
              'Newer page: the calls started just after this time (the first `startedAt` of a page), still newest first; not with `before`',
          }),
          mine: z.enum(['1', 'true', '0', 'false']).optional().meta({
            description:
              '`true`: only calls you took part in (served, transferred to you, placed by you). Agents always get only theirs.',
          }),
          direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
          connected: z
            .enum(['1', 'true', '0', 'false'])
            .optional()
            .meta({ description: '`true`: only calls that connected (end status `ok`); `false`: only the others' }),
          from: z.iso.datetime().optional().meta({ description: 'Calls started at or after this time' }),
          to: z.iso.datetime().optional().meta({ description: 'Calls started before this time' }),
        })
        .strict(),
      response: z.object({ items: z.array(cdrSchema) }),
      handler: async ({ principal, deps, query }) => {
        if (query.before && query.after) {
          throw createError('validation_failed', 'Page with `before` or with `after`, not both', {
            details: [{ path: 'query.after', message: 'not with `before`', code: 'invalid_value' }],
          });
        }
        const tenant = await deps.tenantRepo.findById(principal.tenantId);
        const mask = principal.kind === 'user' && principal.role === 'agent' && numberProtectionOn(tenant);
        const agentVars = isAgent(principal) ? await agentVariableMask(deps.db, principal.tenantId) : undefined;
        const connected =
          query.connected === undefined ? undefined : query.connected === '1' || query.connected === 'true';
        // A newer page is the oldest `limit` calls after the cursor, shown newest first like every page.
        const newer = query.after !== undefined;
        const rows = await deps.db
          .select({ cdr: cdrs, notes: sessionControls.notes })
          .from(cdrs)
          .leftJoin(
            sessionControls,
            and(eq(sessionControls.sessionId, cdrs.sessionId), eq(sessionControls.tenantId, cdrs.tenantId)),
          )
          .where(
            and(
              eq(cdrs.tenantId, principal.tenantId),
              scope(principal, query.mine === '1' || query.mine === 'true'),
              query.before ? lt(cdrs.startedAt, new Date(query.before)) : undefined,
              query.after ? gt(cdrs.startedAt, new Date(query.after)) : undefined,
              query.direction ? eq(cdrs.direction, query.direction) : undefined,
              connected === undefined
                ? undefined
                : connected
                  ? eq(cdrs.endStatus, END_STATUS.ok)
                  : ne(cdrs.endStatus, END_STATUS.ok),
              query.from ? gte(cdrs.startedAt, new Date(query.from)) : undefined,
              query.to ? lt(cdrs.startedAt, new Date(query.to)) : undefined,
            ),
          )
          .orderBy(newer ? asc(cdrs.startedAt) : desc(cdrs.startedAt))
          .limit(query.limit);
        if (newer) rows.reverse();
        return { items: rows.map((r) => view(r.cdr, mask, agentVars, r.notes)) };
      },
    })
    .route({
      method: 'get',
      path: '/records/:sessionId',
      summary: 'The record of one call',
      tags: ['records'],
      access: { roles: ['admin', 'supervisor', 'agent'], scopes: ['records:read'] },
      params: z.object({ sessionId: z.uuid() }),
      response: cdrDetailSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => {
        const [row] = await deps.db
          .select()
          .from(cdrs)
          .where(and(eq(cdrs.tenantId, principal.tenantId), eq(cdrs.sessionId, params.sessionId), scope(principal)));
        if (!row) throw createError('not_found', 'No record for that call');
        const tenant = await deps.tenantRepo.findById(principal.tenantId);
        const mask = principal.kind === 'user' && principal.role === 'agent' && numberProtectionOn(tenant);
        // One leg per serving agent (with transfer from/to) and per party call control added.
        const legs = await sessionLegs(deps.db, principal.tenantId, row.sessionId, mask);
        const [controls] = await deps.db
          .select({ notes: sessionControls.notes })
          .from(sessionControls)
          .where(and(eq(sessionControls.tenantId, principal.tenantId), eq(sessionControls.sessionId, row.sessionId)));
        const agentVars = isAgent(principal) ? await agentVariableMask(deps.db, principal.tenantId) : undefined;
        return {
          ...view(row, mask, agentVars, controls?.notes),
          legs,
          recordings: await callRecordings(deps.db, row),
        };
      },
    });
}
