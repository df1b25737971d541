import type { ImMessageRow, MessageKind } from './schema.js';

/** A message as the API and the `im.message` event show it (AGT-05). */
export interface MessageView {
  id: string;
  /** Order within the conversation; pass it as `before` to page back from it. */
  seq: number;
  senderId: string;
  recipientId: string;
  kind: MessageKind;
  /** The text of a `text` message; null for an image. */
  text: string | null;
  /** An `image` message's picture: fetch `url` with your credentials. */
  image: { url: string; contentType: string; sizeBytes: number } | null;
  createdAt: string;
  /** When the recipient read it; null while unread. */
  readAt: string | null;
}

/** The path an image message is served from (signed-in participants only). */
export function imageUrl(messageId: string): string {
  return `/api/v1/messages/${messageId}/image`;
}

export function toMessageView(m: ImMessageRow): MessageView {
  return {
    id: m.id,
    seq: m.seq,
    senderId: m.senderId,
    recipientId: m.recipientId,
    kind: m.kind,
    text: m.kind === 'text' ? m.body : null,
    image:
      m.kind === 'image' && m.imageType
        ? { url: imageUrl(m.id), contentType: m.imageType, sizeBytes: m.imageBytes ?? 0 }
        : null,
    createdAt: m.createdAt.toISOString(),
    readAt: m.readAt?.toISOString() ?? null,
  };
}
