/**
 * The IM store's unread counts and threads follow the server's events (AGT-05): each incoming
 * message counts once however often it is delivered, each read counts once whether this tab's
 * answer or its event comes first, and an open, visible thread is marked read.
 *
 * The server is a stub `fetch` answering the few requests the store makes, as the real routes do.
 */
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImMessage, ServerFrame } from '@/api/realtime-events';
import { SESSION_KEY } from './auth';
import { useImStore } from './im';
import { useRealtimeStore } from './realtime';

const ME = '11111111-1111-4111-8111-111111111111';
const AMY = '22222222-2222-4222-8222-222222222222';
const BO = '33333333-3333-4333-8333-333333333333';
const realFetch = globalThis.fetch;
let seq = 100;

function msg(from: string, to: string, patch: Partial<ImMessage> = {}): ImMessage {
  seq += 1;
  return {
    id: crypto.randomUUID(),
    seq,
    senderId: from,
    recipientId: to,
    kind: 'text',
    text: `hello ${seq}`,
    image: null,
    createdAt: new Date(Date.now() + seq).toISOString(),
    readAt: null,
    ...patch,
  };
}

function frame<T extends 'im.message' | 'im.read'>(type: T, data: ServerFrame<T>['data']): ServerFrame {
  if (type === 'im.message') {
    const m = (data as ServerFrame<'im.message'>['data']).message;
    if (!stored.some((x) => x.id === m.id)) stored.push(m);
  }
  if (type === 'im.read' && (data as ServerFrame<'im.read'>['data']).readerId === ME) {
    const r = data as ServerFrame<'im.read'>['data'];
    readUpTo[r.peerId] = Math.max(readUpTo[r.peerId] ?? 0, r.upToSeq);
  }
  return { type, data, id: crypto.randomUUID(), at: new Date().toISOString() } as ServerFrame;
}

const sender = (id: string, name: string) => ({ id, name, staffNo: id === AMY ? '3001' : '3002' });

/** What the stub server was asked, and how it answers `…/read`. */
let requests: Array<{ method: string; path: string; body: unknown }> = [];
let readAnswer = 0;
let history: ImMessage[] = [];
/** Every message "on the server" and how far I read each peer, for the conversation list. */
let stored: ImMessage[] = [];
let readUpTo: Record<string, number> = {};
const PEERS: Record<string, { id: string; name: string; staffNo: string; role: 'agent' }> = {
  [AMY]: { id: AMY, name: 'Amy', staffNo: '3001', role: 'agent' },
  [BO]: { id: BO, name: 'Bo', staffNo: '3002', role: 'agent' },
};

function conversations() {
  const peers = [...new Set(stored.map((m) => (m.senderId === ME ? m.recipientId : m.senderId)))];
  const items = peers.map((p) => {
    const mine = stored.filter((m) => m.senderId === p || m.recipientId === p);
    const unread = mine.filter((m) => m.senderId === p && m.seq > (readUpTo[p] ?? 0)).length;
    return { peer: PEERS[p], lastMessage: mine.at(-1), unread };
  });
  return { items, unreadTotal: items.reduce((n, c) => n + c.unread, 0) };
}

beforeEach(() => {
  localStorage.setItem(
    SESSION_KEY,
    JSON.stringify({
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: Date.now() + 60_000,
      user: { id: ME, tenantId: ME, email: 'me@x.y', mobile: null, name: 'Me', staffNo: '3003', role: 'agent' },
    }),
  );
  requests = [];
  readAnswer = 0;
  history = [];
  stored = [];
  readUpTo = {};
  globalThis.fetch = (async (req: Request) => {
    const url = new URL(req.url, 'http://x');
    const body =
      req.method === 'GET'
        ? undefined
        : await req
            .clone()
            .json()
            .catch(() => undefined);
    requests.push({ method: req.method, path: url.pathname, body });
    const json = (status: number, data: unknown) =>
      new Response(JSON.stringify(data), { status, headers: { 'Content-Type': 'application/json' } });
    if (url.pathname.endsWith('/read')) {
      const peer = url.pathname.split('/').at(-2)!;
      readUpTo[peer] = (body as { upToSeq: number }).upToSeq;
      return json(200, { read: readAnswer });
    }
    if (url.pathname === '/api/v1/messages/conversations') return json(200, conversations());
    if (url.pathname.startsWith('/api/v1/messages/conversations/'))
      return json(200, { items: [...history].reverse(), nextBefore: null });
    return json(404, { error: { code: 'not_found', message: 'no' } });
  }) as typeof fetch;
  setActivePinia(createPinia());
});

afterEach(() => {
  globalThis.fetch = realFetch;
});

describe('IM store', () => {
  it('[AGT-05] counts unread from im.message events: incoming once each, own messages never', () => {
    const im = useImStore();
    const realtime = useRealtimeStore();
    const a1 = msg(AMY, ME);
    realtime.dispatch(frame('im.message', { message: a1, sender: sender(AMY, 'Amy') }));
    expect(im.conversation(AMY)?.unread).toBe(1);
    expect(im.conversation(AMY)?.peer.name).toBe('Amy');
    // The same message again (another frame id, e.g. after a reconnect): not counted twice.
    realtime.dispatch(frame('im.message', { message: a1, sender: sender(AMY, 'Amy') }));
    realtime.dispatch(frame('im.message', { message: msg(AMY, ME), sender: sender(AMY, 'Amy') }));
    realtime.dispatch(frame('im.message', { message: msg(BO, ME), sender: sender(BO, 'Bo') }));
    // What I sent from another tab is no unread of mine.
    realtime.dispatch(frame('im.message', { message: msg(ME, AMY), sender: sender(ME, 'Me') }));
    expect(im.conversation(AMY)?.unread).toBe(2);
    expect(im.conversation(BO)?.unread).toBe(1);
    expect(im.unreadTotal).toBe(3);
    // Newest conversation first: the last message was mine to Amy.
    expect(im.sorted.map((c) => c.peer.id)).toEqual([AMY, BO]);
  });

  it('[AGT-05] a read in another tab (im.read to me) clears the badge by its count', () => {
    const im = useImStore();
    const realtime = useRealtimeStore();
    const m1 = msg(AMY, ME);
    const m2 = msg(AMY, ME);
    const m3 = msg(AMY, ME);
    for (const m of [m1, m2, m3]) realtime.dispatch(frame('im.message', { message: m, sender: sender(AMY, 'Amy') }));
    expect(im.unreadTotal).toBe(3);
    const read = { readerId: ME, peerId: AMY, upToSeq: m2.seq, count: 2, at: new Date().toISOString() };
    realtime.dispatch(frame('im.read', read));
    expect(im.conversation(AMY)?.unread).toBe(1);
    // The same read delivered again does not count twice.
    realtime.dispatch(frame('im.read', read));
    expect(im.conversation(AMY)?.unread).toBe(1);
  });

  it('[AGT-05] an open, visible thread is marked read; the answer and the event count once together', async () => {
    const im = useImStore();
    const realtime = useRealtimeStore();
    const m1 = msg(AMY, ME);
    const m2 = msg(AMY, ME);
    history = [m1, m2];
    for (const m of history) realtime.dispatch(frame('im.message', { message: m, sender: sender(AMY, 'Amy') }));
    expect(im.unreadTotal).toBe(2);

    // Open but not visible (another tab in front): nothing is marked read.
    await im.open(AMY);
    expect(requests.some((r) => r.path.endsWith('/read'))).toBe(false);

    readAnswer = 2;
    im.setThreadVisible(true);
    await expect.poll(() => im.unreadTotal).toBe(0);
    const read = requests.find((r) => r.path.endsWith('/read'));
    expect(read).toMatchObject({ method: 'POST', path: `/api/v1/messages/conversations/${AMY}/read` });
    expect(read?.body).toEqual({ upToSeq: m2.seq });
    // The server's im.read for the same read, to this tab too: already counted.
    realtime.dispatch(frame('im.read', { readerId: ME, peerId: AMY, upToSeq: m2.seq, count: 2, at: m2.createdAt }));
    expect(im.unreadTotal).toBe(0);

    // A new message into the open, visible thread is shown and read at once.
    readAnswer = 1;
    const m3 = msg(AMY, ME);
    realtime.dispatch(frame('im.message', { message: m3, sender: sender(AMY, 'Amy') }));
    expect(im.thread(AMY).messages.map((m) => m.id)).toEqual([m1.id, m2.id, m3.id]);
    await expect.poll(() => requests.filter((r) => r.path.endsWith('/read')).length).toBe(2);
    await expect.poll(() => im.unreadTotal).toBe(0);
  });

  it('[AGT-05] read receipts: the peer’s im.read marks what I sent them read', async () => {
    const im = useImStore();
    const realtime = useRealtimeStore();
    const mine = msg(ME, AMY);
    history = [mine];
    await im.open(AMY);
    expect(im.thread(AMY).messages[0]?.readAt).toBeNull();
    const at = new Date().toISOString();
    realtime.dispatch(frame('im.read', { readerId: AMY, peerId: ME, upToSeq: mine.seq, count: 1, at }));
    expect(im.thread(AMY).messages[0]?.readAt).toBe(at);
    expect(im.unreadTotal).toBe(0);
  });
});
