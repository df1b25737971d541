import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from '../tenants/schema.js';
import { users } from '../users/schema.js';

/** What a message carries (AGT-05). */
export const MESSAGE_KINDS = ['text', 'image'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * Internal instant messages (AGT-05): one-to-one between two users of one tenant. A
 * conversation is the pair of users (either direction); `seq` orders it and is the paging
 * cursor. Images live in the IM storage port (`<DATA_DIR>/im` by default) under `image_key`.
 */
export const imMessages = pgTable(
  'im_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Ever-increasing across the installation: the order of a conversation and its cursor. */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    senderId: uuid('sender_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    recipientId: uuid('recipient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: MESSAGE_KINDS }).notNull(),
    /** The text of a `text` message. */
    body: text('body'),
    /** Storage key of an `image` message's bytes. */
    imageKey: text('image_key'),
    /** Sniffed from the bytes at upload (`image/png|jpeg|gif|webp`); what the image is served as. */
    imageType: text('image_type'),
    imageBytes: integer('image_bytes'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the recipient marked it read; null = unread. */
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    // One conversation, either direction, newest first.
    index('im_messages_conversation_idx').on(
      t.tenantId,
      sql`least(${t.senderId}, ${t.recipientId})`,
      sql`greatest(${t.senderId}, ${t.recipientId})`,
      t.seq,
    ),
    index('im_messages_sender_idx').on(t.tenantId, t.senderId, t.seq),
    index('im_messages_unread_idx')
      .on(t.tenantId, t.recipientId, t.senderId)
      .where(sql`${t.readAt} is null`),
    check('im_messages_not_self', sql`${t.senderId} <> ${t.recipientId}`),
    check(
      'im_messages_content',
      sql`(${t.kind} = 'text' and ${t.body} is not null) or (${t.kind} = 'image' and ${t.imageKey} is not null and ${t.imageType} is not null)`,
    ),
  ],
);

export type ImMessageRow = typeof imMessages.$inferSelect;
