import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BackgroundSteps } from '../../background.js';
import type { Db } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { EventBus } from '../../realtime/bus.js';
import type { StoragePort } from '../recordings/storage.js';
import { imageTooLarge, MAX_IMAGE_BYTES, sniffImage } from './image.js';
import { MessageRepo } from './repo.js';
import type { ImMessageRow } from './schema.js';
import { toMessageView, type MessageView } from './view.js';

/** Dependencies of {@link MessageService} (from the container). */
export interface MessageServiceDeps {
  db: Db;
  bus: EventBus;
  background: BackgroundSteps;
  /** Where image messages are kept (local disk under `<DATA_DIR>/im` by default). */
  imStorage: StoragePort;
}

/** A conversation as the API lists it. */
export interface ConversationView {
  peer: { id: string; name: string; staffNo: string; role: string };
  lastMessage: MessageView;
  unread: number;
}

/** The signed-in user the service acts for. */
export interface Me {
  tenantId: string;
  userId: string;
}

/** Storage key of an image: `<tenant>/<yyyy>/<mm>/<dd>/<messageId>.<ext>` (UTC date). */
function imageKey(tenantId: string, id: string, ext: string, at: Date): string {
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(at.getUTCDate()).padStart(2, '0');
  return `${tenantId}/${at.getUTCFullYear()}/${mm}/${dd}/${id}.${ext}`;
}

/**
 * Internal instant messages (AGT-05): one-to-one, text or an image, between users of one
 * tenant. A message is stored, then delivered over `/ws` (`im.message`) to the recipient and
 * to the sender's own sockets; reading a conversation sends `im.read` to both sides.
 */
export class MessageService {
  readonly repo: MessageRepo;

  constructor(private readonly deps: MessageServiceDeps) {
    this.repo = new MessageRepo({ db: deps.db });
  }

  /**
   * The colleague `peerId` of `me`: 404 for an id that is not a user of the same tenant (so
   * another tenant's users are as unknown as made-up ids), 400 for oneself.
   */
  async colleague(me: Me, peerId: string) {
    if (peerId === me.userId) throw createError('validation_failed', 'You cannot message yourself');
    const peer = await this.repo.colleague(me.tenantId, peerId);
    if (!peer) throw createError('not_found', 'No colleague with that id');
    return peer;
  }

  /** Checks the recipient can receive messages (before an upload is even read). */
  async recipient(me: Me, to: string) {
    const peer = await this.colleague(me, to);
    if (peer.status !== 'active') throw createError('conflict', `${peer.name}'s account is disabled`);
    return peer;
  }

  async sendText(me: Me, to: string, text: string): Promise<MessageView> {
    await this.recipient(me, to);
    const row = await this.repo.insert(me.tenantId, {
      senderId: me.userId,
      recipientId: to,
      kind: 'text',
      body: text,
    });
    return this.deliver(me, row);
  }

  /**
   * Sends an image: `bytes` is the whole upload (the route caps it at {@link MAX_IMAGE_BYTES}).
   * The type comes from the bytes; the file is stored first, and removed again if the message
   * cannot be written.
   */
  async sendImage(me: Me, to: string, bytes: Buffer): Promise<MessageView> {
    await this.recipient(me, to);
    if (bytes.length > MAX_IMAGE_BYTES) throw imageTooLarge();
    if (bytes.length === 0) throw createError('validation_failed', 'The image is empty');
    const { type, ext } = await sniffImage(bytes);
    const id = randomUUID();
    const key = imageKey(me.tenantId, id, ext, new Date());
    await this.deps.imStorage.put(key, { stream: [bytes] }, { contentType: type });
    let row: ImMessageRow;
    try {
      row = await this.repo.insert(me.tenantId, {
        id,
        senderId: me.userId,
        recipientId: to,
        kind: 'image',
        imageKey: key,
        imageType: type,
        imageBytes: bytes.length,
      });
    } catch (err) {
      await this.deps.imStorage.delete(key).catch(() => undefined);
      throw err;
    }
    return this.deliver(me, row);
  }

  /** An image message's bytes, for its sender or recipient only (404 for anyone else). */
  async image(me: Me, messageId: string): Promise<{ row: ImMessageRow; size: number; body: Readable }> {
    const row = await this.repo.imageFor(me.tenantId, me.userId, messageId);
    if (!row?.imageKey) throw createError('not_found', 'No image message with that id');
    const stat = await this.deps.imStorage.stat(row.imageKey);
    if (!stat) throw createError('not_found', 'The image file is missing');
    return { row, size: stat.size, body: await this.deps.imStorage.read(row.imageKey) };
  }

  /** A page of the conversation with `peerId`, newest first, and the cursor of the next (older) page. */
  async history(
    me: Me,
    peerId: string,
    before: number | undefined,
    limit: number,
  ): Promise<{ items: MessageView[]; nextBefore: number | null }> {
    await this.colleague(me, peerId);
    const rows = await this.repo.page(me.tenantId, me.userId, peerId, before, limit + 1);
    const page = rows.slice(0, limit);
    return {
      items: page.map(toMessageView),
      nextBefore: rows.length > limit ? page.at(-1)!.seq : null,
    };
  }

  /** Every conversation, the most recent first, with unread counts (and their total). */
  async conversations(me: Me): Promise<{ items: ConversationView[]; unreadTotal: number }> {
    const rows = await this.repo.conversations(me.tenantId, me.userId, 500);
    return {
      items: rows.map((r) => ({ peer: r.peer, lastMessage: toMessageView(r.last), unread: r.unread })),
      unreadTotal: rows.reduce((n, r) => n + r.unread, 0),
    };
  }

  /** Marks what `peerId` sent read up to `upToSeq`; tells both sides when anything changed. */
  async markRead(me: Me, peerId: string, upToSeq: number): Promise<{ read: number }> {
    await this.colleague(me, peerId);
    const done = await this.repo.markRead(me.tenantId, me.userId, peerId, upToSeq);
    if (done.count > 0 && done.upToSeq !== null) {
      void this.deps.bus
        .publish(
          [
            { tenantId: me.tenantId, kind: 'user', userId: me.userId },
            { tenantId: me.tenantId, kind: 'user', userId: peerId },
          ],
          'im.read',
          {
            readerId: me.userId,
            peerId,
            upToSeq: done.upToSeq,
            count: done.count,
            at: new Date().toISOString(),
          },
        )
        .catch(this.deps.background.failed('messages.publishRead', { tenantId: me.tenantId }));
    }
    return { read: done.count };
  }

  /** Publishes a stored message to the recipient and the sender's own sockets. */
  private async deliver(me: Me, row: ImMessageRow): Promise<MessageView> {
    const message = toMessageView(row);
    const sender = await this.repo.colleague(me.tenantId, me.userId);
    void this.deps.bus
      .publish(
        [
          { tenantId: me.tenantId, kind: 'user', userId: row.recipientId },
          { tenantId: me.tenantId, kind: 'user', userId: row.senderId },
        ],
        'im.message',
        { message, sender: { id: me.userId, name: sender?.name ?? '', staffNo: sender?.staffNo ?? '' } },
      )
      .catch(this.deps.background.failed('messages.publishMessage', { tenantId: me.tenantId }));
    return message;
  }
}
