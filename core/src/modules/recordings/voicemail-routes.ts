import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { ApiRouter } from '../../http/api-router.js';
import { callSessions } from '../calls/schema.js';
import { RECORDING_STATUSES, recordings } from './schema.js';

/** One voicemail in the list. */
const voicemailSchema = z
  .object({
    /** The recording id: the audio is `GET /recordings/:id` (MP3, Range requests). */
    id: z.uuid(),
    sessionId: z.uuid(),
    caller: z.string(),
    callee: z.string(),
    status: z.enum(RECORDING_STATUSES),
    durationMs: z.number().int().nullable(),
    startedAt: z.string(),
    url: z.string().meta({ example: '/api/v1/recordings/4f7c…' }),
  })
  .meta({ id: 'Voicemail' });

/**
 * Voicemails (IVR-31): messages callers left through a voicemail IVR node. They are recordings
 * of kind `voicemail`, so they are stored, encoded and served exactly like call recordings;
 * this list adds who called which number. Supervisors and admins (or `recordings:read` keys).
 */
export function registerVoicemailRoutes(api: ApiRouter): void {
  api.route({
    method: 'get',
    path: '/voicemails',
    summary: 'Voicemails left by callers, newest first',
    tags: ['recordings'],
    access: { roles: ['admin', 'supervisor'], scopes: ['recordings:read'] },
    query: z
      .object({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        /** Cursor: messages started before this time (the last item's `startedAt`). */
        before: z.iso.datetime().optional(),
      })
      .strict(),
    response: z.object({ items: z.array(voicemailSchema), nextBefore: z.string().nullable() }),
    handler: async ({ principal, deps, query }) => {
      const rows = await deps.db
        .select({
          id: recordings.id,
          sessionId: recordings.sessionId,
          caller: callSessions.caller,
          callee: callSessions.callee,
          status: recordings.status,
          durationMs: recordings.durationMs,
          startedAt: recordings.startedAt,
        })
        .from(recordings)
        .innerJoin(
          callSessions,
          and(eq(callSessions.id, recordings.sessionId), eq(callSessions.tenantId, recordings.tenantId)),
        )
        .where(
          and(
            eq(recordings.tenantId, principal.tenantId),
            eq(recordings.kind, 'voicemail'),
            query.before ? lt(recordings.startedAt, new Date(query.before)) : undefined,
          ),
        )
        .orderBy(desc(recordings.startedAt), desc(recordings.id))
        .limit(query.limit);
      const items = rows.map((r) => ({
        ...r,
        startedAt: r.startedAt.toISOString(),
        url: `/api/v1/recordings/${r.id}`,
      }));
      return {
        items,
        nextBefore: items.length === query.limit ? (items[items.length - 1]?.startedAt ?? null) : null,
      };
    },
  });
}
