import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { Db } from '../../db/database.js';
import type { ApiRouter } from '../../http/api-router.js';
import type { Principal } from '../auth/principal.js';
import {
  agentNumberView,
  customerNumber,
  hideNumbers,
  hideNumbersDeep,
  numberProtectionOn,
  PLAIN_VIEW,
  type NumberView,
} from '../calls/number-protection.js';
import { RECORDING_STATUSES, recordings } from '../recordings/schema.js';
import { agentVariableMask, sessionLegs } from '../sessions/legs.js';
import { sessionControls } from '../sessions/schema.js';
import { END_STATUS, type EndStatusName } from '../calls/end-status.js';
import { tenantTimeZone } from '../agents/settings.js';
import type { TenantRow } from '../tenants/schema.js';
import { singleLine } from '../../http/text.js';
import { csvStream, xlsxStream, type ExportRow } from './records-export.js';
import {
  RECORD_SORTS,
  recordBatches,
  recordsByCursor,
  recordsByPage,
  type RecordFilters,
  type RecordListRow,
} from './records-repo.js';
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

/**
 * How a viewer sees a record's numbers: whole for staff; for agents the customer as the ID the
 * call had (RT-08) and numbers masked when the tenant protects them (RT-07).
 */
type NumbersFor = (c: CdrRow) => NumberView;

const PLAIN: NumbersFor = () => PLAIN_VIEW;

function numbersFor(principal: Principal, tenant: TenantRow | undefined): NumbersFor {
  if (!(principal.kind === 'user' && principal.role === 'agent')) return PLAIN;
  const protect = numberProtectionOn(tenant);
  return (c) => agentNumberView({ customer: customerNumber(c), alias: c.customerAlias, protect });
}

/** A CDR as the API returns it, its numbers as `numbers` shows them to the viewer (RT-07, RT-08). */
function view(c: CdrRow, numbers: NumbersFor, agentVars?: VariableMask, sessionNotes?: string | null) {
  const note = c.note ?? sessionNotes ?? null;
  const v = numbers(c);
  const { customerAlias: _alias, ...rest } = c;
  return {
    ...rest,
    // The agent's notes (kept with the live session until the CDR has its own); a note may hold the number.
    note: note !== null && v.alters ? hideNumbers(note, v.hidden) : note,
    // The customer's side: the caller of an inbound call, the callee of an outbound one (redial).
    caller: c.direction !== 'outbound' ? v(c.caller) : c.caller,
    // RT-07 / CTL-10: for agents, masked-template digits and the customer's number stay hidden
    // in the variables too (a flow may have copied the caller's number into one).
    variables: agentVars ? agentVars(c.variables, v.hidden) : c.variables,
    callee: c.direction === 'outbound' ? v(c.callee) : c.callee,
    annotations: v.alters ? hideNumbersDeep(c.annotations, v.hidden) : c.annotations,
    startedAt: c.startedAt.toISOString(),
    queuedAt: c.queuedAt?.toISOString() ?? null,
    ringAt: c.ringAt?.toISOString() ?? null,
    acceptedAt: c.acceptedAt?.toISOString() ?? null,
    endedAt: c.endedAt.toISOString(),
    createdAt: c.createdAt.toISOString(),
  };
}

/** A CDR as integrations get it (API keys, push subscriptions): every number whole. */
export function recordForIntegrations(c: CdrRow): ReturnType<typeof view> {
  return view(c, PLAIN);
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

/** The filters `GET /records` and `GET /records/export` share (REC-01). */
const filterQuery = {
  mine: z.enum(['1', 'true', '0', 'false']).optional().meta({
    description:
      '`true`: only calls you took part in (served, transferred to you, placed by you). Agents always get only theirs.',
  }),
  direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
  connected: z
    .enum(['1', 'true', '0', 'false'])
    .optional()
    .meta({ description: '`true`: only calls that connected (end status `ok`); `false`: only the others' }),
  status: z
    .enum(Object.keys(END_STATUS) as [EndStatusName, ...EndStatusName[]])
    .optional()
    .meta({ description: 'Access status: one end status (`ok`, `waitingGiveUp`, `notAnswer`…)' }),
  agentId: z.uuid().optional().meta({ description: 'The agent who served or placed the call' }),
  skillGroupId: z.uuid().optional().meta({ description: 'The skill group that served the call or that it queued for' }),
  number: singleLine(32)
    .regex(/^\+?[0-9]+$/, 'digits, optionally after a +')
    .optional()
    .meta({
      description:
        "Digits found in the caller's or callee's number; for agents under number protection only the last four digits of the customer's number are searched",
    }),
  customerId: singleLine(64).optional().meta({
    description:
      'Text found in the customer’s ID under number mapping (RT-08): what agents see instead of the number. Agents never find such a call by its number',
  }),
  from: z.iso.datetime().optional().meta({ description: 'Calls started at or after this time' }),
  to: z.iso.datetime().optional().meta({ description: 'Calls started before this time' }),
};

type FilterQuery = { [K in keyof typeof filterQuery]?: z.output<(typeof filterQuery)[K]> };

const yes = (v: string | undefined) => (v === undefined ? undefined : v === '1' || v === 'true');

/** What a viewer may see of the records, and the filters of a request, as repository filters. */
async function viewerFilters(principal: Principal, deps: { db: Db; tenantRepo: TenantLookup }, query: FilterQuery) {
  const tenant = await deps.tenantRepo.findById(principal.tenantId);
  const mask = principal.kind === 'user' && principal.role === 'agent' && numberProtectionOn(tenant);
  const numbers = numbersFor(principal, tenant);
  const agentVars = isAgent(principal) ? await agentVariableMask(deps.db, principal.tenantId) : undefined;
  const filters: RecordFilters = {
    tenantId: principal.tenantId,
    scope: scope(principal, yes(query.mine) === true),
    direction: query.direction,
    connected: yes(query.connected),
    status: query.status,
    agentId: query.agentId,
    skillGroupId: query.skillGroupId,
    number: query.number,
    customerId: query.customerId,
    maskedSearch: mask,
    aliasSearch: principal.kind === 'user' && principal.role === 'agent',
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
  };
  return { tenant, numbers, agentVars, filters };
}

type TenantLookup = { findById(id: string): Promise<TenantRow | undefined> };

/** A list row as the API returns it: the record, with the serving agent's name and staff number. */
function listView(r: RecordListRow, numbers: NumbersFor, agentVars: VariableMask | undefined) {
  return { ...view(r.cdr, numbers, agentVars, r.notes), agentName: r.agentName, agentStaffNo: r.agentStaffNo };
}

/** `records_2026-12-01_2026-12-03.csv`: the days of the range in the tenant's zone (`to` is exclusive). */
export function exportFileName(from: Date | undefined, to: Date | undefined, timeZone: string, ext: string): string {
  const day = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short' }).format(d);
  const start = from ? day(from) : 'start';
  const end = to ? day(new Date(to.getTime() - 1)) : day(new Date());
  return `records_${start}_${end}.${ext}`;
}

/** The export's rows from the repository's batches, masked as {@link view} masks the list. */
async function* exportRows(
  batches: AsyncIterable<RecordListRow[]>,
  numbers: NumbersFor,
  agentVars: VariableMask | undefined,
): AsyncGenerator<ExportRow[]> {
  for await (const batch of batches) {
    yield batch.map((r) => {
      const v = view(r.cdr, numbers, agentVars, r.notes);
      const outbound = v.direction === 'outbound';
      return {
        startedAt: r.cdr.startedAt,
        direction: v.direction,
        customer: outbound ? v.callee : v.caller,
        line: outbound ? v.caller : v.callee,
        note: v.note,
        endStatusString: v.endStatusString,
        durationSeconds: v.durationSeconds,
        agentName: r.agentName,
        agentStaffNo: r.agentStaffNo,
        skillGroup: v.servingSkillGroupName ?? v.queuedSkillGroupName,
        satisfaction: v.satisfaction?.map((s) => s.label).join(' ') || null,
        hungUpSide: v.hungUpSide,
        sessionId: v.sessionId,
      };
    });
  }
}

/** Call records (CDRs). */
export function registerRecordRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/records',
      summary:
        'Call records, newest first; filtered on the server; paged with `before`/`after` cursors, or numbered with `page` (REC-01)',
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
          page: z.coerce.number().int().min(1).max(100_000).optional().meta({
            description:
              'Numbered paging (admin lists): page `page` of `pageSize`, sorted by `sort`/`order`; the answer has `total`. Not with `before`/`after`',
          }),
          pageSize: z.coerce.number().int().min(1).max(100).default(20),
          sort: z.enum(RECORD_SORTS).default('startedAt'),
          order: z.enum(['asc', 'desc']).default('desc'),
          ...filterQuery,
        })
        .strict(),
      response: z.object({
        items: z.array(cdrSchema),
        total: z.number().int().optional().meta({ description: 'With `page`: how many records match' }),
        page: z.number().int().optional(),
        pageSize: z.number().int().optional(),
      }),
      handler: async ({ principal, deps, query }) => {
        if (query.before && query.after) {
          throw createError('validation_failed', 'Page with `before` or with `after`, not both', {
            details: [{ path: 'query.after', message: 'not with `before`', code: 'invalid_value' }],
          });
        }
        if (query.page !== undefined && (query.before || query.after)) {
          throw createError('validation_failed', 'Page with `page` or with a cursor, not both', {
            details: [{ path: 'query.page', message: 'not with `before`/`after`', code: 'invalid_value' }],
          });
        }
        const { numbers, agentVars, filters } = await viewerFilters(principal, deps, query);
        if (query.page !== undefined) {
          const { rows, total } = await recordsByPage(deps.db, filters, {
            page: query.page,
            pageSize: query.pageSize,
            sort: query.sort,
            order: query.order,
          });
          return {
            items: rows.map((r) => listView(r, numbers, agentVars)),
            total,
            page: query.page,
            pageSize: query.pageSize,
          };
        }
        const rows = await recordsByCursor(deps.db, filters, {
          limit: query.limit,
          before: query.before ? new Date(query.before) : undefined,
          after: query.after ? new Date(query.after) : undefined,
        });
        return { items: rows.map((r) => listView(r, numbers, agentVars)) };
      },
    })
    .route({
      method: 'get',
      path: '/records/export',
      // The same filters as `GET /records`; every matching record newest first, read in batches
      // and streamed, so memory stays flat however many rows (REC-01). Times in the tenant's
      // zone, numbers masked as for the viewer, the file name carries the date range.
      summary: 'Export the filtered records as CSV or XLSX (streamed; `lang=zh-CN` default headers, or `en`) (REC-01)',
      tags: ['records'],
      access: { roles: ['admin', 'supervisor', 'agent'], scopes: ['records:read'] },
      query: z
        .object({
          format: z.enum(['csv', 'xlsx']).default('csv'),
          lang: z.enum(['zh-CN', 'en']).default('zh-CN'),
          ...filterQuery,
        })
        .strict(),
      produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      handler: async ({ principal, deps, query, ctx }) => {
        const { tenant, numbers, agentVars, filters } = await viewerFilters(principal, deps, query);
        const timeZone = tenantTimeZone(tenant?.settings);
        const rows = exportRows(recordBatches(deps.db, filters), numbers, agentVars);
        const name = exportFileName(filters.from, filters.to, timeZone, query.format);
        ctx.set('Content-Disposition', `attachment; filename="${name}"`);
        ctx.set('Cache-Control', 'no-store');
        if (query.format === 'csv') {
          ctx.type = 'text/csv; charset=utf-8';
          return csvStream(rows, { lang: query.lang, timeZone });
        }
        ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
        const sheetName = query.lang === 'en' ? 'Records' : '服务记录';
        const { stream, done } = xlsxStream(rows, { lang: query.lang, timeZone, sheetName });
        done.catch((err: unknown) => ctx.state.log.error({ err }, 'records export failed'));
        return stream;
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
        const numbers = numbersFor(principal, tenant);
        // One leg per serving agent (with transfer from/to) and per party call control added.
        const legs = await sessionLegs(deps.db, principal.tenantId, row.sessionId, numbers(row));
        const [controls] = await deps.db
          .select({ notes: sessionControls.notes })
          .from(sessionControls)
          .where(and(eq(sessionControls.tenantId, principal.tenantId), eq(sessionControls.sessionId, row.sessionId)));
        const agentVars = isAgent(principal) ? await agentVariableMask(deps.db, principal.tenantId) : undefined;
        return {
          ...view(row, numbers, agentVars, controls?.notes),
          legs,
          recordings: await callRecordings(deps.db, row),
        };
      },
    });
}
