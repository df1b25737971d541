import getRawBody from 'raw-body';
import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import { rangeResponses } from '../recordings/routes.js';
import { MEDIA_CONTENT_TYPES } from './probe.js';
import { AUDIO_FORMATS } from './schema.js';
import { multiLine, singleLine } from '../../http/text.js';

/*
 * The audio library (ADM-01) and TTS preview (IVR-02). Admins manage files, admins and
 * supervisors read them (API keys: `ivr:write` / `ivr:read`, as for IVR flows, since flows
 * are what play them). The media route is public but signed: jambonz fetches it without our auth.
 */

const READ = { roles: ['admin', 'supervisor'], scopes: ['ivr:read'] } as const;
const WRITE = { roles: ['admin'], scopes: ['ivr:write'] } as const;
const TAGS = ['audio'];

/** The upload path: its body is streamed by the route, not parsed by the JSON body parser. */
export const AUDIO_UPLOAD_PATH = '/api/v1/audio-files';

const name = singleLine(100);

export const audioFileSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    format: z.enum(AUDIO_FORMATS),
    contentType: z.string().meta({ example: 'audio/wav' }),
    sizeBytes: z.number().int(),
    durationMs: z.number().int(),
    sha256: z.string(),
    url: z.string().meta({
      description: 'Signed URL the file plays from (no auth needed); what IVR `audio` prompts play',
      example: 'https://cc.example.com/api/v1/media/audio/4f7c…?sig=…',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AudioFile' });

const idParams = z.object({ id: z.uuid() });
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** `<id>`, `<id>.wav` or `<id>.mp3` (the extension is for FreeSWITCH; the signature covers the id). */
const mediaParams = z.object({
  id: z
    .string()
    .regex(new RegExp(`^${UUID}(\\.(wav|mp3))?$`), 'must be an audio file id, optionally with .wav or .mp3')
    .meta({ example: '4f7c1d2e-0a1b-4c3d-8e9f-001122334455.wav' }),
});

/** A voice or language tag as espeak-ng and BCP-47 spell them (`en-us`, `zh-CN`, `en-us+f3`). */
const voiceTag = z
  .string()
  .regex(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8}){0,3}(\+[A-Za-z0-9]{1,16})?$/, 'not a voice name');

export function registerAudioRoutes(api: ApiRouter): void {
  const ranges = rangeResponses(api, '/media/audio/:id');

  api
    .route({
      method: 'get',
      path: '/audio-files',
      summary: "List the tenant's audio library, a page at a time, filtered by name (ADM-01)",
      tags: TAGS,
      access: READ,
      query: z
        .object({
          q: singleLine(100).optional().meta({ description: 'Part of the name (case ignored)' }),
          sort: z.enum(['name', 'createdAt']).default('name'),
          order: z.enum(['asc', 'desc']).default('asc'),
          page: z.coerce.number().int().min(1).max(100_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(100).default(100),
        })
        .strict(),
      response: z.object({
        items: z.array(audioFileSchema),
        total: z.number().int(),
        page: z.number().int(),
        pageSize: z.number().int(),
      }),
      handler: async ({ principal, deps, query }) => deps.audioLibrary.page(principal.tenantId, query),
    })
    .route({
      method: 'post',
      path: '/audio-files',
      summary: 'Upload an audio file (WAV or MP3) as the raw request body (ADM-01)',
      tags: TAGS,
      access: WRITE,
      status: 201,
      query: z
        .object({ name: name.meta({ description: 'Name in the library, unique in the tenant', example: 'Welcome' }) })
        .strict(),
      rawBody: {
        contentTypes: ['audio/wav', 'audio/mpeg', 'application/octet-stream'],
        description:
          'The file itself, e.g. `curl --data-binary @welcome.wav -H "Content-Type: audio/wav" ' +
          "'…/api/v1/audio-files?name=Welcome'`. The type is sniffed from the bytes (RIFF/WAVE, ID3 or " +
          'an MP3 frame); the Content-Type header is ignored. Limits: `audio.maxBytes` (default 10 MiB) ' +
          'and `audio.maxDurationSeconds` (default 600).',
      },
      response: audioFileSchema,
      errors: {
        409: 'conflict (name taken)',
        413: 'audio_too_large',
        415: 'audio_unsupported_type',
        422: 'audio_invalid, audio_too_long',
      },
      handler: async ({ principal, deps, query, ctx }) => {
        const limit = deps.config.audio.maxBytes;
        if (ctx.request.length > limit) throw deps.audioLibrary.tooLarge();
        let bytes: Buffer;
        try {
          bytes = await getRawBody(ctx.req, { limit, length: ctx.request.length || undefined });
        } catch (err) {
          if ((err as { type?: string }).type === 'entity.too.large') throw deps.audioLibrary.tooLarge();
          throw createError('validation_failed', 'The upload could not be read', { cause: err });
        }
        return deps.audioLibrary.upload(principal.tenantId, query.name, bytes);
      },
    })
    .route({
      method: 'get',
      path: '/audio-files/:id',
      summary: 'Read one audio file’s details (ADM-01)',
      tags: TAGS,
      access: READ,
      params: idParams,
      response: audioFileSchema,
      errors: { 404: 'not_found' },
      handler: async ({ principal, deps, params }) => deps.audioLibrary.get(principal.tenantId, params.id),
    })
    .route({
      method: 'patch',
      path: '/audio-files/:id',
      summary: 'Rename an audio file (ADM-01)',
      tags: TAGS,
      access: WRITE,
      params: idParams,
      body: z.object({ name }).strict(),
      response: audioFileSchema,
      errors: { 404: 'not_found', 409: 'conflict (name taken)' },
      handler: async ({ principal, deps, params, body }) =>
        deps.audioLibrary.rename(principal.tenantId, params.id, body.name),
    })
    .route({
      method: 'delete',
      path: '/audio-files/:id',
      summary: 'Delete an audio file, unless a published or running IVR flow version plays it (ADM-01)',
      tags: TAGS,
      access: WRITE,
      status: 204,
      params: idParams,
      errors: { 404: 'not_found', 409: 'audio_in_use (details.flows names them)' },
      handler: async ({ principal, deps, params }) => {
        await deps.audioLibrary.remove(principal.tenantId, params.id);
      },
    })
    .route({
      method: 'get',
      path: '/media/audio/:id',
      summary: 'Fetch an audio file by its signed URL (what jambonz `play`s; supports Range requests)',
      tags: TAGS,
      access: 'public',
      params: mediaParams,
      query: z.object({ sig: z.string().min(1).max(200).optional() }).strict(),
      produces: ['audio/x-wav', 'audio/mpeg'],
      errors: { 403: 'media_signature_invalid', 404: 'not_found', 416: 'range_not_satisfiable' },
      handler: async ({ deps, params, query, ctx }) => {
        // Checked before any lookup: without a valid signature nothing is revealed, not even existence.
        const [id, ext] = params.id.toLowerCase().split('.') as [string, string | undefined];
        if (!deps.audioLibrary.verify(id, query.sig)) throw createError('media_signature_invalid');
        const found = await deps.audioLibrary.media(id);
        // A wrong extension would make FreeSWITCH decode the bytes with the wrong module.
        if (!found || (ext && ext !== found.row.format)) throw createError('not_found', 'No audio file with that id');
        const { row, size } = found;
        const range = ranges.requested(ctx, size, 'The file');
        const body = await deps.audioLibrary.read(row, range);
        ctx.type = MEDIA_CONTENT_TYPES[row.format];
        // The bytes of an id never change, so caches (FreeSWITCH's http_cache) may keep them.
        ctx.set('Cache-Control', 'public, max-age=3600');
        ctx.set('ETag', `"${row.sha256}"`);
        ranges.answer(ctx, size, range);
        return body;
      },
    })
    .route({
      method: 'post',
      path: '/tts/preview',
      summary: 'Render a prompt text to speech (audio/wav) to hear it while editing a flow (IVR-02)',
      tags: TAGS,
      access: WRITE,
      body: z
        .object({
          text: multiLine(10_000),
          voice: voiceTag.optional().meta({ description: 'Engine voice, e.g. `en-us`, `cmn`, `en-us+f3`' }),
          language: voiceTag.optional().meta({ description: 'BCP-47 language, e.g. `en-US`, `zh-CN`' }),
        })
        .strict(),
      produces: ['audio/wav'],
      errors: { 502: 'tts_failed', 503: 'tts_unavailable (the engine is not installed)' },
      handler: async ({ deps, body, ctx }) => {
        const max = deps.config.tts.maxTextLength;
        if (body.text.length > max) {
          throw createError('validation_failed', `The text may be at most ${max} characters`, {
            details: [{ path: 'body.text', message: `at most ${max} characters`, code: 'too_big' }],
          });
        }
        const out = await deps.tts.synthesize({
          text: body.text,
          ...(body.voice ? { voice: body.voice } : {}),
          ...(body.language ? { language: body.language } : {}),
        });
        ctx.type = out.contentType;
        ctx.set('X-Tts-Engine', deps.tts.engine);
        ctx.set('Cache-Control', 'no-store');
        return out.audio;
      },
    });
}
