/**
 * Internal instant messages (AGT-05) over the real API and real `/ws` sockets: text delivered
 * live to the recipient and the sender's other tab, unread counts and marking read (with
 * `im.read` to both sides), history paging by cursor, images sniffed from their bytes (a
 * renamed text file or an SVG refused with 415), the 5 MB limit (413, declared or streamed),
 * images served back only to the two participants, and tenants kept apart.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { WsClient, type WsFrame } from '../../../test/support/ws-client.js';
import { MAX_IMAGE_BYTES } from './image.js';

let t: TestApp;
let dataDir: string;
let tenantId: string;
let alice: SeededUser;
let bob: SeededUser;
let carol: SeededUser;
let mallory: SeededUser;
const sockets: WsClient[] = [];

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
/** A 1×1 GIF. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

async function open(user: SeededUser): Promise<WsClient> {
  const ws = await WsClient.open(t.url, `?access_token=${user.token}`);
  sockets.push(ws);
  await ws.next((f) => f.type === 'session.ready');
  return ws;
}

const text = (from: SeededUser, to: SeededUser, body: string) =>
  t.request('POST', '/api/v1/messages', { token: from.token, body: { to: to.id, text: body } });

const image = (from: SeededUser, to: string, bytes: Buffer, contentType = 'image/png') =>
  t.request('POST', `/api/v1/messages/image?to=${to}`, {
    token: from.token,
    rawBody: bytes,
    headers: { 'content-type': contentType },
  });

const unreadFrom = async (reader: SeededUser, peer: SeededUser) => {
  const r = await t.request('GET', '/api/v1/messages/conversations', { token: reader.token });
  expect(r.status).toBe(200);
  return (r.body.items as Array<{ peer: { id: string }; unread: number }>).find((c) => c.peer.id === peer.id)?.unread;
};

const imMessage = (pred: (m: Record<string, unknown>) => boolean) => (f: WsFrame) =>
  f.type === 'im.message' && pred((f.data as { message: Record<string, unknown> }).message);

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sb-im-'));
  t = await startTestApp({ config: { database: { dataDir } } });
  const a = await t.seedTenant({ slug: 'im', roles: ['agent', 'agent', 'supervisor'] });
  tenantId = a.tenantId;
  alice = a.users.agent0!;
  bob = a.users.agent1!;
  carol = a.users.supervisor!;
  mallory = (await t.seedTenant({ slug: 'im-other', roles: ['agent'] })).users.agent!;
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});
afterAll(async () => {
  await t?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('internal messages', () => {
  it('[AGT-05] a text message reaches the recipient and the sender’s other tab over /ws', async () => {
    const bobWs = await open(bob);
    const aliceOtherTab = await open(alice);
    const sent = await text(alice, bob, 'Can you take the call from 王先生?\nHe asked for you.');
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      senderId: alice.id,
      recipientId: bob.id,
      kind: 'text',
      text: 'Can you take the call from 王先生?\nHe asked for you.',
      image: null,
      readAt: null,
    });
    const got = await bobWs.next(imMessage((m) => m.id === sent.body.id));
    expect(got.data).toEqual({
      message: sent.body,
      sender: { id: alice.id, name: 'agent 0', staffNo: '1' },
    });
    await aliceOtherTab.next(imMessage((m) => m.id === sent.body.id));
    // The supervisor of the same tenant is not part of it.
    const history = await t.request('GET', `/api/v1/messages/conversations/${alice.id}`, { token: bob.token });
    expect(history.body.items[0]).toEqual(sent.body);
  });

  it('[AGT-05] unread counts per conversation; marking read up to a message tells both sides', async () => {
    const aliceWs = await open(alice);
    const before = (await unreadFrom(bob, carol)) ?? 0;
    const sent = [];
    for (const n of [1, 2, 3]) sent.push((await text(carol, bob, `note ${n}`)).body as { id: string; seq: number });
    expect(await unreadFrom(bob, carol)).toBe(before + 3);
    // Alice's own conversations are not touched by what carol sends bob.
    const other = await text(alice, bob, 'separate');
    expect(await unreadFrom(bob, alice)).toBeGreaterThanOrEqual(1);

    const upTo = await t.request('POST', `/api/v1/messages/conversations/${carol.id}/read`, {
      token: bob.token,
      body: { upToSeq: sent[1]!.seq },
    });
    expect(upTo.body).toEqual({ read: before + 2 });
    expect(await unreadFrom(bob, carol)).toBe(1);
    const rest = await t.request('POST', `/api/v1/messages/conversations/${carol.id}/read`, {
      token: bob.token,
      body: { upToSeq: sent[2]!.seq },
    });
    expect(rest.body).toEqual({ read: 1 });
    expect(await unreadFrom(bob, carol)).toBe(0);

    const fromAlice = await t.request('POST', `/api/v1/messages/conversations/${alice.id}/read`, {
      token: bob.token,
      body: { upToSeq: other.body.seq },
    });
    expect(fromAlice.body.read).toBeGreaterThanOrEqual(1);
    // Alice (the peer) gets the read receipt, up to her last message.
    const receipt = await aliceWs.next((f) => f.type === 'im.read' && f.data?.readerId === bob.id);
    expect(receipt.data).toMatchObject({ readerId: bob.id, peerId: alice.id, upToSeq: other.body.seq });
    const read = await t.request('GET', `/api/v1/messages/conversations/${bob.id}`, { token: alice.token });
    expect(read.body.items[0]).toMatchObject({ id: other.body.id, readAt: expect.any(String) });
    const list = await t.request('GET', '/api/v1/messages/conversations', { token: bob.token });
    expect(list.body.unreadTotal).toBe(0);
    expect(list.body.items[0].peer).toEqual({ id: alice.id, name: 'agent 0', staffNo: '1', role: 'agent' });
  });

  it('[AGT-05] history pages back by cursor, newest first, nothing lost or repeated', async () => {
    const mine: number[] = [];
    for (let i = 0; i < 7; i++) mine.push((await text(carol, alice, `page ${i}`)).body.seq as number);
    const seen: number[] = [];
    let before: number | null | undefined;
    let pages = 0;
    do {
      const q: string = before ? `?limit=3&before=${before}` : '?limit=3';
      const page = await t.request('GET', `/api/v1/messages/conversations/${carol.id}${q}`, { token: alice.token });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((m: { seq: number }) => m.seq));
      before = page.body.nextBefore;
      pages++;
    } while (before && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...mine].reverse());
    // The same conversation read by the other side.
    const theirs = await t.request('GET', `/api/v1/messages/conversations/${alice.id}?limit=200`, {
      token: carol.token,
    });
    expect(theirs.body.items.map((m: { seq: number }) => m.seq)).toEqual(seen);
    expect(theirs.body.nextBefore).toBeNull();
  });

  it('[AGT-05] an image is sniffed, stored, delivered and served back to the two participants only', async () => {
    const bobWs = await open(bob);
    // The Content-Type header says nothing: a GIF sent as image/png is a GIF.
    const gif = await image(alice, bob.id, GIF, 'image/png');
    expect(gif.status).toBe(201);
    expect(gif.body).toMatchObject({
      kind: 'image',
      text: null,
      image: { contentType: 'image/gif', sizeBytes: GIF.length, url: `/api/v1/messages/${gif.body.id}/image` },
    });
    const png = await image(alice, bob.id, PNG, 'application/octet-stream');
    expect(png.status).toBe(201);
    const live = await bobWs.next(imMessage((m) => m.id === png.body.id));
    const url = (live.data as { message: { image: { url: string } } }).message.image.url;

    for (const who of [bob, alice]) {
      const res = await fetch(t.url + url, { headers: { authorization: `Bearer ${who.token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
    }
    // Not for the supervisor of the same tenant, another tenant, or nobody signed in.
    expect((await t.request('GET', url, { token: carol.token })).status).toBe(404);
    expect((await t.request('GET', url, { token: mallory.token })).status).toBe(404);
    expect((await t.request('GET', url)).status).toBe(401);
    // A text message has no image.
    const plain = await text(alice, bob, 'no picture');
    expect((await t.request('GET', `/api/v1/messages/${plain.body.id}/image`, { token: bob.token })).status).toBe(404);
    // Stored like recordings and audio: under the data directory, per tenant.
    const stored = await readdir(join(dataDir, 'im', tenantId), { recursive: true });
    expect(stored.some((f) => f.endsWith(`${png.body.id}.png`))).toBe(true);
    expect(stored.some((f) => f.endsWith(`${gif.body.id}.gif`))).toBe(true);
  });

  it('[AGT-05] a text file renamed to .png, an SVG or a PDF is refused with 415', async () => {
    const before = await t.request('GET', `/api/v1/messages/conversations/${bob.id}?limit=200`, { token: alice.token });
    const cases: Array<[Buffer, string]> = [
      [Buffer.from('Hello Bob, this is not a picture at all.\n'), 'image/png'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'image/svg+xml'],
      [Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'), 'image/jpeg'],
    ];
    for (const [bytes, type] of cases) {
      const res = await image(alice, bob.id, bytes, type);
      expect(res.status, type).toBe(415);
      expect(res.body.error.code).toBe('image_unsupported_type');
      expect(res.body.error.message).toMatch(/PNG, JPEG, GIF or WebP/);
    }
    const after = await t.request('GET', `/api/v1/messages/conversations/${bob.id}?limit=200`, { token: alice.token });
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it('[AGT-05] images over 5 MB are refused with 413, declared or streamed', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_IMAGE_BYTES + 1 - PNG.length)]);
    const declared = await image(alice, bob.id, big);
    expect(declared.status).toBe(413);
    expect(declared.body.error).toMatchObject({ code: 'image_too_large', details: { maxBytes: MAX_IMAGE_BYTES } });
    expect(declared.body.error.message).toMatch(/5 MB/);
    const streamed = await fetch(`${t.url}/api/v1/messages/image?to=${bob.id}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'image/png' },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < big.length; i += 65_536) c.enqueue(big.subarray(i, i + 65_536));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe('image_too_large');
    // Exactly at the limit is fine.
    const justFits = await image(alice, bob.id, big.subarray(0, MAX_IMAGE_BYTES));
    expect(justFits.status).toBe(201);
  });

  it('[AGT-05] users of another tenant can neither be messaged nor read', async () => {
    expect((await text(alice, mallory, 'hello?')).status).toBe(404);
    expect((await text(mallory, alice, 'hello?')).status).toBe(404);
    expect((await image(alice, mallory.id, PNG)).status).toBe(404);
    for (const [who, peer] of [
      [mallory, alice],
      [alice, mallory],
    ] as const) {
      const h = await t.request('GET', `/api/v1/messages/conversations/${peer.id}`, { token: who.token });
      expect(h.status).toBe(404);
      const r = await t.request('POST', `/api/v1/messages/conversations/${peer.id}/read`, {
        token: who.token,
        body: { upToSeq: 1 },
      });
      expect(r.status).toBe(404);
    }
    const theirs = await t.request('GET', '/api/v1/messages/conversations', { token: mallory.token });
    expect(theirs.body).toEqual({ items: [], unreadTotal: 0 });
    const rows = await t.app.database.pool.query(
      'select count(*)::int as n from im_messages where sender_id = $1 or recipient_id = $1',
      [mallory.id],
    );
    expect(rows.rows[0].n).toBe(0);
  });

  it('[AGT-05] input: no messages to oneself, text of 1…4000 characters without control characters', async () => {
    expect((await text(alice, alice, 'me')).status).toBe(400);
    expect((await text(alice, bob, 'x'.repeat(4001))).status).toBe(400);
    expect((await text(alice, bob, 'x'.repeat(4000))).status).toBe(201);
    expect((await text(alice, bob, '   ')).status).toBe(400);
    const nul = await text(alice, bob, 'a\u0000b');
    expect(nul.status).toBe(400);
    expect(nul.body.error.details[0].path).toBe('body.text');
    expect((await image(alice, bob.id, Buffer.alloc(0))).status).toBe(400);
  });
});
