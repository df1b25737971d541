import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { sql } from 'drizzle-orm';
import type { Next } from 'koa';
import type { Cradle } from '../../container.js';
import type { Db } from '../../db/database.js';
import type { Principal } from '../auth/principal.js';
import { tookPart } from '../records/participation.js';
import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter, RouteAccess } from '../../http/api-router.js';
import type { AppContext } from '../../http/types.js';
import { RECORDING_STATUSES, type RecordingRow } from './schema.js';
import type { ByteRange } from './storage.js';
import { checkPlayback, PLAYBACK_LINK_TTL_SECONDS, signPlayback } from './playback-link.js';

/** A recording's metadata as returned by the API. */
export const recordingViewSchema = z
  .object({
    id: z.uuid(),
    sessionId: z.uuid(),
    status: z.enum(RECORDING_STATUSES),
    contentType: z.string(),
    sampleRate: z.number().int(),
    channels: z.number().int(),
    durationMs: z.number().int().nullable(),
    sizeBytes: z.number().int().nullable(),
    error: z.string().nullable(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    /** Where to fetch the audio (when `ready`). */
    url: z.string().meta({ example: '/api/v1/recordings/4f7c…' }),
    /** Key of the archived copy in the tenant's object store (REC-09), null until archived. */
    objectKey: z.string().nullable(),
    /** A presigned URL of the archived copy (REC-09, `CustomRecordURL`), null until archived. */
    archivedUrl: z.string().nullable(),
  })
  .meta({ id: 'Recording' });

export type RecordingView = z.output<typeof recordingViewSchema>;

export function toRecordingView(row: RecordingRow): RecordingView {
  return {
    id: row.id,
    sessionId: row.sessionId,
    status: row.status,
    contentType: row.contentType,
    sampleRate: row.sampleRate,
    channels: row.channels,
    durationMs: row.durationMs,
    sizeBytes: row.sizeBytes,
    error: row.error,
    startedAt: row.startedAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    url: `/api/v1/recordings/${row.id}`,
    objectKey: row.archiveObjectKey,
    archivedUrl: row.archivedUrl,
  };
}

/** What a `Range` header asks of an object of `size` bytes. */
export type RangeRequest = { kind: 'full' } | ({ kind: 'partial' } & ByteRange) | { kind: 'unsatisfiable' };

/**
 * Interprets a `Range` header (RFC 9110 §14) for one object. Supports one range of
 * `bytes=a-b`, `bytes=a-` and `bytes=-n`; other units and multi-range requests are answered
 * with the whole object (which the RFC allows), invalid or unsatisfiable ranges with 416.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (!header) return { kind: 'full' };
  const unit = /^\s*bytes\s*=(.*)$/i.exec(header);
  if (!unit) return { kind: 'full' };
  const specs = unit[1]!.split(',');
  if (specs.length !== 1) return { kind: 'full' };
  const m = /^\s*(\d*)\s*-\s*(\d*)\s*$/.exec(specs[0]!);
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'unsatisfiable' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const last = m[2] === '' ? size - 1 : Number(m[2]);
  if (start >= size || last < start) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end: Math.min(last, size - 1) };
}

/**
 * Answers with byte ranges (206) on a path. ApiRouter answers with its route's fixed status; a
 * range response needs 206, so the handler records the status it wants and a path middleware
 * applies it afterwards.
 */
export function rangeResponses(api: ApiRouter, path: string) {
  const wantedStatus = new WeakMap<AppContext, number>();
  api.router.use(path, async (ctx: AppContext, next: Next) => {
    await next();
    const status = wantedStatus.get(ctx);
    if (status) ctx.status = status;
  });
  return {
    /**
     * The part of an object of `size` bytes the request's `Range` header asks for (undefined:
     * the whole); 416 `range_not_satisfiable` when it asks for none of it. `what` names the
     * object in the message.
     */
    requested(ctx: AppContext, size: number, what: string): ByteRange | undefined {
      const range = parseRange(ctx.get('range') || undefined, size);
      if (range.kind === 'unsatisfiable') {
        throw createError('range_not_satisfiable', `${what} has ${size} bytes`, {
          headers: { 'Content-Range': `bytes */${size}`, 'Accept-Ranges': 'bytes' },
        });
      }
      return range.kind === 'partial' ? range : undefined;
    },
    /** Status (206 for a part), `Content-Range` and length of the answer. */
    answer(ctx: AppContext, size: number, range: ByteRange | undefined): void {
      ctx.set('Accept-Ranges', 'bytes');
      if (range) {
        wantedStatus.set(ctx, 206);
        ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
        ctx.length = range.end - range.start + 1;
      } else {
        ctx.length = size;
      }
    },
  };
}

const access = { roles: ['admin', 'supervisor', 'agent'], scopes: ['recordings:read'] } as const satisfies RouteAccess;

/**
 * REC-05 for agents: they play the recordings of calls they took part in (any leg they served or
 * placed, {@link tookPart}); another call of their tenant is 403 `forbidden` (another tenant's
 * ids stay 404, as for everyone). Supervisors, admins and API keys reach the tenant's.
 */
async function assertMayHear(db: Db, principal: Principal, sessionId: string): Promise<void> {
  if (!(principal.kind === 'user' && principal.role === 'agent')) return;
  const rows = await db.execute(sql`select 1 as ok where ${tookPart(principal.userId, sql`${sessionId}::uuid`)}`);
  if (rows.rows.length === 0) {
    throw createError('forbidden', 'Agents may play only the recordings of calls they took part in');
  }
}

/**
 * Recordings (REC-04…07): metadata by session, and the MP3 itself with HTTP range requests, so
 * a browser `<audio>` element can seek (REC-05), or as a download (REC-06).
 *
 * `GET /recordings/:id` answers 404 `not_found` for ids of other tenants, and 409 `conflict`
 * while the recording is still being made or when it failed (the message says which; the
 * metadata from `GET /recordings?sessionId=` has the details).
 */
export function registerRecordingRoutes(api: ApiRouter): void {
  const ranges = rangeResponses(api, '/recordings/:id');
  const mediaRanges = rangeResponses(api, '/recordings/:id/media');

  api
    .route({
      method: 'get',
      path: '/recordings',
      summary: "List a session's recordings",
      tags: ['recordings'],
      access,
      query: z.object({ sessionId: z.uuid() }).strict(),
      response: z.object({ items: z.array(recordingViewSchema) }),
      errors: { 403: 'forbidden (agents: not a call of theirs)' },
      handler: async ({ principal, deps, query }) => {
        await assertMayHear(deps.db, principal, query.sessionId);
        return {
          items: (await deps.recordingService.listBySession(principal.tenantId, query.sessionId)).map(toRecordingView),
        };
      },
    })
    .route({
      method: 'get',
      path: '/recordings/:id',
      summary: 'Fetch a recording (audio/mpeg; supports Range requests)',
      tags: ['recordings'],
      access,
      params: z.object({ id: z.uuid() }),
      query: z
        .object({
          download: z
            .enum(['1', 'true', '0', 'false'])
            .optional()
            .meta({ description: '`1`: send as an attachment named `<sessionId>-<recordingId>.mp3`' }),
        })
        .strict(),
      errors: {
        403: 'forbidden (agents: not a call of theirs)',
        404: 'not_found',
        409: 'conflict',
        416: 'range_not_satisfiable',
      },
      handler: async ({ principal, deps, params, query, ctx }) => {
        const row = await found(deps, principal.tenantId, params.id);
        await assertMayHear(deps.db, principal, row.sessionId);
        assertPlayable(row);
        return serveAudio(ctx, deps, row, ranges, query.download === '1' || query.download === 'true');
      },
    })
    .route({
      method: 'get',
      path: '/recordings/:id/playback',
      summary: 'A short-lived link the browser plays the recording from, with Range requests (REC-05)',
      tags: ['recordings'],
      access,
      params: z.object({ id: z.uuid() }),
      response: z
        .object({
          url: z.string().meta({ example: '/api/v1/recordings/4f7c…/media?t=…&exp=…&sig=…' }),
          expiresAt: z.string(),
        })
        .meta({ id: 'RecordingPlayback' }),
      errors: { 403: 'forbidden (agents: not a call of theirs)', 404: 'not_found', 409: 'conflict' },
      handler: async ({ principal, deps, params }) => {
        const row = await found(deps, principal.tenantId, params.id);
        await assertMayHear(deps.db, principal, row.sessionId);
        assertPlayable(row);
        const grant = {
          tenantId: principal.tenantId,
          recordingId: row.id,
          exp: Math.floor(Date.now() / 1000) + PLAYBACK_LINK_TTL_SECONDS,
        };
        const q = new URLSearchParams({
          t: grant.tenantId,
          exp: String(grant.exp),
          sig: signPlayback(deps.authKeys.media, grant),
        });
        return {
          url: `/api/v1/recordings/${row.id}/media?${q.toString()}`,
          expiresAt: new Date(grant.exp * 1000).toISOString(),
        };
      },
    })
    .route({
      method: 'get',
      path: '/recordings/:id/media',
      summary: 'Play a recording from its signed playback link (audio/mpeg; supports Range requests)',
      tags: ['recordings'],
      access: 'public',
      params: z.object({ id: z.uuid() }),
      query: z
        .object({
          t: z.uuid().meta({ description: 'Tenant of the recording (covered by the signature)' }),
          exp: z.coerce.number().int().positive().meta({ description: 'Expiry, epoch seconds' }),
          sig: z.string().min(1).max(100),
          download: z.enum(['1', 'true', '0', 'false']).optional(),
        })
        .strict(),
      produces: ['audio/mpeg'],
      errors: {
        403: 'media_signature_invalid (wrong or expired link)',
        404: 'not_found',
        409: 'conflict',
        416: 'range_not_satisfiable',
      },
      handler: async ({ deps, params, query, ctx }) => {
        // Checked before any lookup: without a valid link nothing is revealed, not even existence.
        const why = checkPlayback(
          deps.authKeys.media,
          { tenantId: query.t, recordingId: params.id, exp: query.exp },
          query.sig,
        );
        if (why === 'expired') throw createError('media_signature_invalid', 'The playback link has expired');
        if (why) throw createError('media_signature_invalid');
        const row = await found(deps, query.t, params.id);
        assertPlayable(row);
        return serveAudio(ctx, deps, row, mediaRanges, query.download === '1' || query.download === 'true');
      },
    });
}

/** The tenant's recording of that id; 404 `not_found` when there is none. */
async function found(deps: Cradle, tenantId: string, id: string): Promise<RecordingRow> {
  const row = await deps.recordingService.findById(tenantId, id);
  if (!row) throw createError('not_found', 'No recording with that id');
  return row;
}

/** 409 `conflict` while the recording is still being made or when it failed. */
function assertPlayable(row: RecordingRow): void {
  if (row.status === 'recording') {
    throw createError('conflict', 'The recording is still in progress; it is ready shortly after the call ends', {
      details: { status: row.status },
    });
  }
  if (row.status === 'failed') {
    throw createError('conflict', `The recording failed: ${row.error ?? 'unknown error'}`, {
      details: { status: row.status },
    });
  }
}

/** The MP3 of a playable recording, whole or the byte range asked for, optionally as an attachment. */
async function serveAudio(
  ctx: AppContext,
  deps: Cradle,
  row: RecordingRow,
  ranges: ReturnType<typeof rangeResponses>,
  download: boolean,
): Promise<unknown> {
  const stat = await deps.recordingStorage.stat(row.storageKey);
  if (!stat && row.archiveObjectKey && row.sizeBytes !== null) {
    return serveArchivedCopy(ctx, deps, row, row.sizeBytes, ranges, download);
  }
  if (!stat) {
    ctx.state.log.error({ recordingId: row.id, storageKey: row.storageKey }, 'recording file is missing');
    throw createError('not_found', 'The recording file is missing');
  }
  const range = ranges.requested(ctx, stat.size, 'The recording');
  const body = await deps.recordingStorage.read(row.storageKey, range);
  ctx.type = row.contentType;
  ctx.set('Cache-Control', 'private, max-age=3600');
  ctx.set('ETag', `"${row.id}-${stat.size}"`);
  if (download) ctx.set('Content-Disposition', `attachment; filename="${row.sessionId}-${row.id}.mp3"`);
  ranges.answer(ctx, stat.size, range);
  return body;
}

/**
 * REC-09: the local file is gone and an archive plugin holds the copy (COS). The server fetches
 * it (the range asked for) and passes it on, rather than redirecting: the player stays on this
 * origin (the console's CSP allows media from here only), and the archive's credentials and
 * links never reach the browser.
 */
async function serveArchivedCopy(
  ctx: AppContext,
  deps: Cradle,
  row: RecordingRow,
  size: number,
  ranges: ReturnType<typeof rangeResponses>,
  download: boolean,
): Promise<unknown> {
  const range = ranges.requested(ctx, size, 'The recording');
  const url = await deps.recordingArchive.archivedCopyUrl(row);
  const res = url
    ? await fetch(url, {
        headers: range ? { range: `bytes=${range.start}-${range.end}` } : {},
        signal: AbortSignal.timeout(30_000),
      }).catch((err: unknown) => {
        ctx.state.log.error({ err, recordingId: row.id }, 'archived recording could not be fetched');
        return null;
      })
    : null;
  if (!res?.ok || !res.body || (range && res.status !== 206)) {
    void res?.body?.cancel();
    if (res)
      ctx.state.log.error({ recordingId: row.id, status: res.status }, 'archived recording could not be fetched');
    throw createError('not_found', 'The recording file is missing, and its archived copy could not be fetched');
  }
  ctx.type = row.contentType;
  ctx.set('Cache-Control', 'private, max-age=3600');
  ctx.set('ETag', `"${row.id}-${size}"`);
  if (download) ctx.set('Content-Disposition', `attachment; filename="${row.sessionId}-${row.id}.mp3"`);
  ranges.answer(ctx, size, range);
  return Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
}
