import { timingSafeEqual } from 'node:crypto';
import { decrypt, getSignature } from '@wecom/crypto';

/**
 * The WeCom callback protocol (self-built app, 接收消息): signature first, then decryption, then
 * the corp id. Pure functions; the route in `plugin.ts` wires them to HTTP.
 */

/** Largest callback body read, in bytes: an event is well under 4 KB. */
export const MAX_CALLBACK_BYTES = 64 * 1024;

/**
 * How far a callback's `timestamp` may be from our clock, in seconds. WeCom sends the time of
 * the request; an old signed request replayed later is refused.
 */
export const MAX_CLOCK_SKEW_S = 300;

/** Why a callback was refused (logged; the caller only sees 403/400). */
export type CallbackRefusal = 'bad_signature' | 'stale_timestamp' | 'bad_ciphertext' | 'wrong_corp' | 'bad_xml';

/** A refused callback. `status` is what the route answers. */
export class CallbackRefused extends Error {
  override readonly name = 'CallbackRefused';
  constructor(
    readonly reason: CallbackRefusal,
    readonly status: 400 | 403,
  ) {
    super(`WeCom callback refused: ${reason}`);
  }
}

/** The signed query of a callback (`msg_signature`, `timestamp`, `nonce`). */
export interface SignedQuery {
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

/** What opening a callback needs: the tenant's callback secrets and corp id, and the time. */
export interface CallbackKeys {
  corpId: string;
  callbackToken: string;
  encodingAesKey: string;
}

/**
 * Checks the signature over `encrypted` and only then decrypts it; the ReceiveId must be the
 * tenant's corp id. Returns the plain message. Throws {@link CallbackRefused}.
 *
 * The order matters: `@wecom/crypto`'s `decrypt` does not check the ReceiveId and, with a wrong
 * key, returns garbage instead of throwing — an unsigned body must never reach it.
 */
export function openCallback(keys: CallbackKeys, q: SignedQuery, encrypted: string, nowMs: number): string {
  const ts = Number(q.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowMs / 1000 - ts) > MAX_CLOCK_SKEW_S) {
    throw new CallbackRefused('stale_timestamp', 403);
  }
  const expected = getSignature(keys.callbackToken, q.timestamp, q.nonce, encrypted);
  if (!sameHex(expected, q.msgSignature)) throw new CallbackRefused('bad_signature', 403);
  let opened: { message: string; id: string };
  try {
    opened = decrypt(keys.encodingAesKey, encrypted);
  } catch {
    // Signed but not decryptable: the tenant's EncodingAESKey does not match WeCom's.
    throw new CallbackRefused('bad_ciphertext', 400);
  }
  if (!sameText(opened.id, keys.corpId)) throw new CallbackRefused('wrong_corp', 403);
  return opened.message;
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The child elements of a flat `<xml>…</xml>` document, as WeCom sends them: CDATA or plain
 * text (entities decoded). Nested elements are flattened; the events this plugin reads have
 * none. Deliberately tiny instead of a general XML parser: text only, no attributes, no
 * entity expansion beyond the five predefined ones, and every value stays a string (a 19-digit
 * `MsgId` must not become a lossy number).
 */
export function parseFlatXml(xml: string): Record<string, string> | undefined {
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<xml>([\s\S]*)<\/xml>\s*$/.exec(xml);
  if (!root) return undefined;
  const out: Record<string, string> = {};
  const element = /<([A-Za-z_][A-Za-z0-9_]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g;
  for (const m of root[1]!.matchAll(element)) {
    const name = m[1]!;
    if (name in out) continue;
    out[name] = m[2] ?? decodeEntities(m[3] ?? '');
  }
  return out;
}

function decodeEntities(s: string): string {
  return s.replace(
    /&(lt|gt|amp|quot|apos);/g,
    (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!,
  );
}

/** The `ChangeType`s of `change_external_contact` (客户联系 → 客户变更). */
export type ExternalContactChange =
  | 'add_external_contact'
  | 'edit_external_contact'
  | 'add_half_external_contact'
  | 'del_external_contact'
  | 'del_follow_user'
  | 'transfer_fail';

/** A callback event, typed. */
export type WeComCallbackEvent =
  | {
      type: 'change_external_contact';
      changeType: ExternalContactChange | (string & {});
      /** The corp that sent it (ToUserName). */
      corpId: string;
      /** The member (UserID) the customer was added by or removed from. */
      userId: string;
      /** The customer's external user id (`wm…`). */
      externalUserId: string;
      /** The `state` of the contact way the customer used: a task reference. */
      state?: string;
      /** For sending a welcome message (valid 20 s). */
      welcomeCode?: string;
      /** Seconds since the epoch, WeCom's. */
      createTime: number;
      /** Same for a retried delivery of the same event: deduplicate on it. */
      dedupeKey: string;
    }
  | {
      /** Any other message or event: accepted (WeCom must not retry it), not acted on. */
      type: 'other';
      msgType: string;
      event?: string;
      dedupeKey: string;
    };

/** The event inside a decrypted callback message; `undefined` if it is not WeCom's XML. */
export function parseCallbackEvent(message: string): WeComCallbackEvent | undefined {
  const x = parseFlatXml(message);
  if (!x?.MsgType) return undefined;
  const createTime = Number(x.CreateTime ?? '0');
  if (x.MsgType === 'event' && x.Event === 'change_external_contact') {
    if (!x.ChangeType || !x.UserID || !x.ExternalUserID) return undefined;
    return {
      type: 'change_external_contact',
      changeType: x.ChangeType,
      corpId: x.ToUserName ?? '',
      userId: x.UserID,
      externalUserId: x.ExternalUserID,
      ...(x.State ? { state: x.State } : {}),
      ...(x.WelcomeCode ? { welcomeCode: x.WelcomeCode } : {}),
      createTime: Number.isFinite(createTime) ? createTime : 0,
      dedupeKey: ['ec', x.ToUserName, x.CreateTime, x.ChangeType, x.UserID, x.ExternalUserID].join(':'),
    };
  }
  return {
    type: 'other',
    msgType: x.MsgType,
    ...(x.Event ? { event: x.Event } : {}),
    dedupeKey: x.MsgId ?? ['other', x.FromUserName, x.CreateTime, x.Event ?? ''].join(':'),
  };
}
