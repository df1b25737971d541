import getRawBody from 'raw-body';
import { z } from 'zod';
import { createError } from '../../errors/registry.js';
import type { ApiRouter } from '../../http/api-router.js';
import { multiLine } from '../../http/text.js';
import type { Principal } from '../auth/principal.js';
import { ROLES } from '../users/schema.js';
import { IMAGE_TYPES, imageTooLarge, MAX_IMAGE_BYTES } from './image.js';
import { MESSAGE_KINDS } from './schema.js';
import type { Me } from './service.js';

/*
 * Internal instant messages (AGT-05) between the users of one tenant. Signed-in users only (an
 * API key is nobody to talk to); every route is scoped to the caller's tenant and to
 * conversations the caller is part of.
 */

const TAGS = ['messages'];
const USERS = { roles: ['admin', 'supervisor', 'agent'] } as const;

/** The image upload path: its body is streamed by the route, not parsed as JSON. */
export const IMAGE_UPLOAD_PATH = '/api/v1/messages/image';

/** Longest text message, in characters. */
export const MAX_TEXT_LENGTH = 4000;

export const messageSchema = z
  .object({
    id: z.uuid(),
    seq: z.number().int().meta({ description: 'Order in the conversation; the paging cursor (`before`)' }),
    senderId: z.uuid(),
    recipientId: z.uuid(),
    kind: z.enum(MESSAGE_KINDS),
    text: z.string().nullable(),
    image: z
      .object({
        url: z.string().meta({ example: '/api/v1/messages/4f7c…/image' }),
        contentType: z.enum(Object.keys(IMAGE_TYPES) as [keyof typeof IMAGE_TYPES]),
        sizeBytes: z.number().int(),
      })
      .nullable()
      .meta({ description: 'Fetch `url` with your access token (sender and recipient only)' }),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .meta({ id: 'Message' });

const peerSchema = z.object({ id: z.uuid(), name: z.string(), staffNo: z.string(), role: z.enum(ROLES) });

const conversationSchema = z
  .object({ peer: peerSchema, lastMessage: messageSchema, unread: z.number().int() })
  .meta({ id: 'Conversation' });

const peerParams = z.object({ userId: z.uuid() });
const seq = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

function me(principal: Principal): Me {
  if (principal.kind !== 'user') throw createError('forbidden', 'Only a signed-in user has messages');
  return { tenantId: principal.tenantId, userId: principal.userId };
}

export function registerMessageRoutes(api: ApiRouter): void {
  api
    .route({
      method: 'get',
      path: '/messages/conversations',
      summary: 'Your conversations, the most recent first, with their unread counts (AGT-05)',
      tags: TAGS,
      access: USERS,
      response: z.object({ items: z.array(conversationSchema), unreadTotal: z.number().int() }),
      handler: ({ principal, deps }) => deps.messageService.conversations(me(principal)),
    })
    .route({
      method: 'get',
      path: '/messages/conversations/:userId',
      summary: 'The conversation with a colleague, newest first; page back with `before` (AGT-05)',
      tags: TAGS,
      access: USERS,
      params: peerParams,
      query: z
        .object({
          before: seq.optional().meta({ description: '`nextBefore` of the previous page: messages older than it' }),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        })
        .strict(),
      response: z.object({
        items: z.array(messageSchema),
        nextBefore: z
          .number()
          .int()
          .nullable()
          .meta({ description: 'Cursor of the next (older) page; null at the start' }),
      }),
      errors: { 404: 'not_found (no such colleague in your tenant)' },
      handler: ({ principal, deps, params, query }) =>
        deps.messageService.history(me(principal), params.userId, query.before, query.limit),
    })
    .route({
      method: 'post',
      path: '/messages/conversations/:userId/read',
      summary:
        'Mark what a colleague sent you read, up to `upToSeq` (the newest message you showed) (AGT-05); both sides get `im.read`',
      tags: TAGS,
      access: USERS,
      params: peerParams,
      body: z
        .object({
          upToSeq: z
            .number()
            .int()
            .min(1)
            .max(Number.MAX_SAFE_INTEGER)
            .meta({ description: 'The `seq` of the newest message shown; later ones stay unread' }),
        })
        .strict(),
      response: z.object({ read: z.number().int().meta({ description: 'Messages marked read now' }) }),
      errors: { 404: 'not_found (no such colleague in your tenant)' },
      handler: ({ principal, deps, params, body }) =>
        deps.messageService.markRead(me(principal), params.userId, body.upToSeq),
    })
    .route({
      method: 'post',
      path: '/messages',
      summary: 'Send a colleague a text message (AGT-05); delivered over /ws as `im.message`',
      tags: TAGS,
      access: USERS,
      status: 201,
      body: z.object({ to: z.uuid(), text: multiLine(MAX_TEXT_LENGTH) }).strict(),
      response: messageSchema,
      errors: { 404: 'not_found (no such colleague in your tenant)', 409: 'conflict (their account is disabled)' },
      handler: ({ principal, deps, body }) => deps.messageService.sendText(me(principal), body.to, body.text),
    })
    .route({
      method: 'post',
      path: '/messages/image',
      summary: 'Send a colleague an image (PNG, JPEG, GIF or WebP, at most 5 MB) as the raw request body (AGT-05)',
      tags: TAGS,
      access: USERS,
      status: 201,
      query: z.object({ to: z.uuid().meta({ description: 'The colleague’s user id' }) }).strict(),
      rawBody: {
        contentTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/octet-stream'],
        description:
          'The image itself, e.g. `curl --data-binary @shot.png -H "Content-Type: image/png" ' +
          "'…/api/v1/messages/image?to=<userId>'`. The type is sniffed from the bytes; the Content-Type " +
          'header and any file name are ignored. Anything but PNG, JPEG, GIF or WebP is refused with 415 ' +
          '`image_unsupported_type`; more than 5 MB with 413 `image_too_large`.',
      },
      response: messageSchema,
      errors: {
        404: 'not_found (no such colleague in your tenant)',
        409: 'conflict (their account is disabled)',
        413: 'image_too_large',
        415: 'image_unsupported_type',
      },
      handler: async ({ principal, deps, query, ctx }) => {
        const who = me(principal);
        // Refused before a byte of the upload is read: a wrong recipient or a declared size over the limit.
        await deps.messageService.recipient(who, query.to);
        if (ctx.request.length > MAX_IMAGE_BYTES) throw imageTooLarge();
        let bytes: Buffer;
        try {
          bytes = await getRawBody(ctx.req, { limit: MAX_IMAGE_BYTES, length: ctx.request.length || undefined });
        } catch (err) {
          if ((err as { type?: string }).type === 'entity.too.large') throw imageTooLarge();
          throw createError('validation_failed', 'The upload could not be read', { cause: err });
        }
        return deps.messageService.sendImage(who, query.to, bytes);
      },
    })
    .route({
      method: 'get',
      path: '/messages/:id/image',
      summary: 'Fetch the image of a message you sent or received (AGT-05)',
      tags: TAGS,
      access: USERS,
      params: z.object({ id: z.uuid() }),
      produces: Object.keys(IMAGE_TYPES),
      errors: { 404: 'not_found (no image message of yours with that id)' },
      handler: async ({ principal, deps, params, ctx }) => {
        const { row, size, body } = await deps.messageService.image(me(principal), params.id);
        // The type sniffed at upload, never guessed again by the browser; shown, never run.
        ctx.type = row.imageType!;
        ctx.length = size;
        ctx.set('X-Content-Type-Options', 'nosniff');
        ctx.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; sandbox");
        ctx.set(
          'Content-Disposition',
          `inline; filename="${row.id}.${IMAGE_TYPES[row.imageType as keyof typeof IMAGE_TYPES]}"`,
        );
        // An image of an id never changes; only its two participants may keep it.
        ctx.set('Cache-Control', 'private, max-age=86400, immutable');
        return body;
      },
    });
}
