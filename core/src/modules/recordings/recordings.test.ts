/**
 * Recordings end to end: an audio fork exactly as jambonz opens it (subprotocol, Basic auth,
 * JSON metadata, binary stereo L16) → MP3 on disk → `recording.ready` to plugins and
 * supervisors → playback with range requests and download over the REST API.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MPEGDecoder } from 'mpg123-decoder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { z } from 'zod';
import {
  createAudioForkHandler,
  type AudioForkHandler,
  type AudioForkOptions,
} from '../../../../jambonz-apps/src/app/audio-fork.js';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { definePlugin } from '../../plugins/define-plugin.js';
import type { RecordingReadyPayload } from '../../plugins/types.js';
import { signPlayback } from './playback-link.js';
import { LocalDiskStorage } from './storage.js';

const AUTH = { username: 'jambonz', password: 'fork-secret' };
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

const received: RecordingReadyPayload[] = [];
const probe = definePlugin({
  name: 'rec-probe',
  version: '1.0.0',
  config: z.object({}),
  hooks: {
    'recording.ready': (payload) => {
      received.push(payload);
    },
  },
});

/** 20 ms frames of 8 kHz stereo L16: caller 440 Hz on the left, agent 1000 Hz on the right. */
function stereoFrames(seconds: number, sampleRate = 8000): Buffer[] {
  const perFrame = sampleRate / 50;
  const frames: Buffer[] = [];
  for (let f = 0; f < seconds * 50; f++) {
    const buf = Buffer.alloc(perFrame * 4);
    for (let i = 0; i < perFrame; i++) {
      const n = f * perFrame + i;
      buf.writeInt16LE(Math.round(6000 * Math.sin((2 * Math.PI * 440 * n) / sampleRate)), i * 4);
      buf.writeInt16LE(Math.round(6000 * Math.sin((2 * Math.PI * 1000 * n) / sampleRate)), i * 4 + 2);
    }
    frames.push(buf);
  }
  return frames;
}

class Refused extends Error {
  constructor(readonly status: number) {
    super(`refused with HTTP ${status}`);
  }
}

/** A jambonz audio fork client (what `mod_audio_fork` does). */
class Fork {
  readonly closed: Promise<{ code: number; reason: string }>;
  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static open(url: string, opts: { protocol?: string; authorization?: string | null } = {}): Promise<Fork> {
    const authorization = opts.authorization === undefined ? basic(AUTH.username, AUTH.password) : opts.authorization;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, opts.protocol ?? 'audio.drachtio.org', {
        headers: authorization ? { authorization } : {},
      });
      const fork = new Fork(ws);
      ws.once('open', () => resolve(fork));
      ws.once('unexpected-response', (_req, res) => {
        reject(new Refused(res.statusCode ?? 0));
        res.resume();
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  metadata(m: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(m));
  }

  async audio(frames: Buffer[]): Promise<void> {
    for (const f of frames) await new Promise<void>((r, j) => this.ws.send(f, (err) => (err ? j(err) : r())));
  }

  async end(): Promise<{ code: number; reason: string }> {
    this.ws.close(1000);
    return this.closed;
  }
}

async function eventually<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, ms = 8000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function decodedSeconds(mp3: Buffer): Promise<{ seconds: number; channels: number; errors: unknown[] }> {
  const d = new MPEGDecoder();
  await d.ready;
  try {
    const r = d.decode(new Uint8Array(mp3));
    return { seconds: r.samplesDecoded / r.sampleRate, channels: r.channelData.length, errors: r.errors };
  } finally {
    d.free();
  }
}

describe('recordings', () => {
  let t: TestApp;
  let dataDir: string;
  let acme: { tenantId: string; users: Record<string, SeededUser> };
  let globex: { tenantId: string; users: Record<string, SeededUser> };
  const liveSessions = new Map<string, string>();
  let forkUrl: string;
  const handlers: AudioForkHandler[] = [];

  /** GET as bytes (the JSON helper would mangle audio). */
  const fetchBytes = async (path: string, token: string | undefined, headers: Record<string, string> = {}) => {
    const res = await fetch(t.url + path, {
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    const body = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, body, json: () => JSON.parse(body.toString()) };
  };

  /** Opens a fork for a new live session of acme, streams `seconds` of audio and hangs up. */
  const recordCall = async (seconds: number): Promise<{ sessionId: string; recordingId: string }> => {
    const sessionId = randomUUID();
    liveSessions.set(sessionId, acme.tenantId);
    const fork = await Fork.open(forkUrl);
    fork.metadata({ sampleRate: 8000, mixType: 'stereo', callSid: randomUUID(), sessionId, tenantId: acme.tenantId });
    await fork.audio(stereoFrames(seconds));
    fork.ws.send(JSON.stringify({ event: 'dtmf', dtmf: '5', duration: '160' })); // ignored
    expect((await fork.end()).code).toBe(1000);
    const row = await eventually(async () => {
      const [r] = await t.app.container.cradle.recordingService.listBySession(acme.tenantId, sessionId);
      return r?.status === 'ready' && r;
    });
    return { sessionId, recordingId: row.id };
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sb-rec-'));
    t = await startTestApp({ config: { plugins: [probe({})], database: { dataDir } } });
    acme = await t.seedTenant({ slug: 'rec-acme', roles: ['admin', 'supervisor', 'agent'] });
    globex = await t.seedTenant({ slug: 'rec-globex', roles: ['admin'] });
    const mount = (path: string, opts: Partial<AudioForkOptions>) => {
      const handler = createAudioForkHandler({
        recordings: t.app.container.cradle.recordingService,
        sessionTenant: async (id) => liveSessions.get(id) ?? null,
        logger: t.app.logger,
        ...opts,
      });
      handlers.push(handler);
      t.app.upgrades.route(path, handler);
    };
    mount('/test/audio', { auth: AUTH });
    mount('/test/audio-quick', { metadataTimeoutMs: 200 });
    forkUrl = `${t.url.replace(/^http/, 'ws')}/test/audio`;
  });

  afterAll(async () => {
    // Upgraded sockets keep the HTTP server open: end the forks first, as the adapter does.
    for (const h of handlers) await h.close();
    await t?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('a recorded call', () => {
    let sessionId: string;
    let recordingId: string;
    let full: Buffer;
    const frames: Array<{ type: string; data: Record<string, unknown> }> = [];
    let supervisorWs: WebSocket;

    beforeAll(async () => {
      const ticket = await t.request('POST', '/api/v1/realtime/tickets', { token: acme.users.supervisor!.token });
      supervisorWs = new WebSocket(`${t.url.replace(/^http/, 'ws')}${ticket.body.url as string}`);
      supervisorWs.on('message', (d) => frames.push(JSON.parse(d.toString())));
      await new Promise((r) => supervisorWs.once('open', r));
      await eventually(() => frames.some((f) => f.type === 'session.ready'));

      ({ sessionId, recordingId } = await recordCall(2.5));
      const res = await fetchBytes(`/api/v1/recordings/${recordingId}`, acme.users.admin!.token);
      expect(res.status).toBe(200);
      full = res.body;
    });
    afterAll(() => supervisorWs?.terminate());

    it('[REC-04] is ready seconds after hang-up, with exact metadata', async () => {
      const res = await t.request('GET', `/api/v1/recordings?sessionId=${sessionId}`, {
        token: acme.users.supervisor!.token,
      });
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.items[0]).toMatchObject({
        id: recordingId,
        sessionId,
        status: 'ready',
        contentType: 'audio/mpeg',
        sampleRate: 8000,
        channels: 2,
        durationMs: 2500,
        sizeBytes: full.length,
        error: null,
        url: `/api/v1/recordings/${recordingId}`,
      });
      expect(Date.parse(res.body.items[0].endedAt)).toBeGreaterThanOrEqual(Date.parse(res.body.items[0].startedAt));
    });

    it('[REC-04] is a valid stereo MP3 of the call duration, stored under the tenant and date', async () => {
      expect(full.readUInt16BE(0) & 0xffe0).toBe(0xffe0);
      const decoded = await decodedSeconds(full);
      expect(decoded.errors).toEqual([]);
      expect(decoded.channels).toBe(2);
      expect(Math.abs(decoded.seconds - 2.5)).toBeLessThanOrEqual(0.1);

      const now = new Date();
      const day = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCDate()).padStart(2, '0')}`;
      const onDisk = await readFile(join(dataDir, 'recordings', acme.tenantId, day, `${recordingId}.mp3`));
      expect(onDisk.equals(full)).toBe(true);
      // Nothing is left behind in the encoder's scratch space.
      expect(await readdir(join(dataDir, 'tmp', 'recordings'))).toEqual([]);
    });

    it('[REC-04] reaches plugins through the durable recording.ready hook', async () => {
      const payload = await eventually(() => received.find((p) => p.recordingId === recordingId));
      expect(payload).toMatchObject({
        tenantId: acme.tenantId,
        sessionId,
        recordingId,
        idempotencyKey: `recording:${recordingId}`,
        contentType: 'audio/mpeg',
        durationMs: 2500,
        sizeBytes: full.length,
      });
      expect(payload.storageKey).toMatch(new RegExp(`^${acme.tenantId}/\\d{4}/\\d{2}/\\d{2}/${recordingId}\\.mp3$`));
      expect(Number.isNaN(Date.parse(payload.occurredAt))).toBe(false);
    });

    it("[REC-04] reaches the tenant's supervisors in real time", async () => {
      const frame = await eventually(() => frames.find((f) => f.type === 'recording.ready'));
      expect(frame.data).toEqual({ recordingId, sessionId, durationMs: 2500 });
    });

    it('[REC-05] serves the whole file with Accept-Ranges', async () => {
      const res = await fetchBytes(`/api/v1/recordings/${recordingId}`, acme.users.supervisor!.token);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('audio/mpeg');
      expect(res.headers.get('accept-ranges')).toBe('bytes');
      expect(res.headers.get('content-length')).toBe(String(full.length));
      expect(res.headers.get('content-disposition')).toBeNull();
      expect(res.body.equals(full)).toBe(true);
    });

    it('[REC-05] answers byte ranges with 206 and Content-Range, so players can seek', async () => {
      const size = full.length;
      const cases: Array<[string, number, number]> = [
        ['bytes=100-199', 100, 199],
        ['bytes=-50', size - 50, size - 1],
        [`bytes=${size - 10}-`, size - 10, size - 1],
        [`bytes=0-${size + 1000}`, 0, size - 1],
        ['bytes=0-0', 0, 0],
      ];
      for (const [range, start, end] of cases) {
        const res = await fetchBytes(`/api/v1/recordings/${recordingId}`, acme.users.admin!.token, { range });
        expect(res.status, range).toBe(206);
        expect(res.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${size}`);
        expect(res.headers.get('content-length'), range).toBe(String(end - start + 1));
        expect(res.headers.get('content-type')).toBe('audio/mpeg');
        expect(res.body.equals(full.subarray(start, end + 1)), range).toBe(true);
      }
      // Multi-range requests are answered with the whole file, as RFC 9110 allows.
      const multi = await fetchBytes(`/api/v1/recordings/${recordingId}`, acme.users.admin!.token, {
        range: 'bytes=0-1,5-6',
      });
      expect(multi.status).toBe(200);
      expect(multi.body.equals(full)).toBe(true);
    });

    it('[REC-05] answers unsatisfiable ranges with 416 and Content-Range: bytes */size', async () => {
      for (const range of [`bytes=${full.length}-`, 'bytes=500-100', 'bytes=-0', 'bytes=abc']) {
        const res = await fetchBytes(`/api/v1/recordings/${recordingId}`, acme.users.admin!.token, { range });
        expect(res.status, range).toBe(416);
        expect(res.headers.get('content-range'), range).toBe(`bytes */${full.length}`);
        expect(res.json().error.code).toBe('range_not_satisfiable');
      }
    });

    it('[REC-05] a playback link plays in an <audio> element without a token: whole file, 206 ranges, 416', async () => {
      const link = await t.request('GET', `/api/v1/recordings/${recordingId}/playback`, {
        token: acme.users.supervisor!.token,
      });
      expect(link.status).toBe(200);
      expect(link.body.url).toMatch(new RegExp(`^/api/v1/recordings/${recordingId}/media\\?t=.+&exp=\\d+&sig=.+$`));
      expect(Date.parse(link.body.expiresAt)).toBeGreaterThan(Date.now());
      const whole = await fetchBytes(link.body.url, undefined);
      expect(whole.status).toBe(200);
      expect(whole.headers.get('accept-ranges')).toBe('bytes');
      expect(whole.headers.get('content-type')).toBe('audio/mpeg');
      expect(whole.body.equals(full)).toBe(true);
      // What a browser asks for when the listener seeks: the rest of the file from a byte on.
      const part = await fetchBytes(link.body.url, undefined, { range: 'bytes=1000-' });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 1000-${full.length - 1}/${full.length}`);
      expect(part.body.equals(full.subarray(1000))).toBe(true);
      const beyond = await fetchBytes(link.body.url, undefined, { range: `bytes=${full.length}-` });
      expect(beyond.status).toBe(416);
      expect(beyond.headers.get('content-range')).toBe(`bytes */${full.length}`);
      const download = await fetchBytes(`${link.body.url}&download=1`, undefined);
      expect(download.headers.get('content-disposition')).toBe(
        `attachment; filename="${sessionId}-${recordingId}.mp3"`,
      );
    });

    it('[REC-05] a playback link opens only its recording, only until it expires; agents only for their calls', async () => {
      const link = (
        await t.request('GET', `/api/v1/recordings/${recordingId}/playback`, { token: acme.users.admin!.token })
      ).body.url as string;
      const u = new URL(link, t.url);
      const tampered = new URL(u);
      tampered.searchParams.set('exp', String(Number(u.searchParams.get('exp')) + 3600));
      const otherId = new URL(u);
      otherId.pathname = `/api/v1/recordings/${randomUUID()}/media`;
      for (const bad of [tampered, otherId]) {
        const res = await fetchBytes(bad.pathname + bad.search, undefined);
        expect(res.status, bad.toString()).toBe(403);
        expect(res.json().error.code).toBe('media_signature_invalid');
      }
      const grant = { tenantId: acme.tenantId, recordingId, exp: Math.floor(Date.now() / 1000) - 1 };
      const sig = signPlayback(t.app.container.cradle.authKeys.media, grant);
      const expired = await fetchBytes(
        `/api/v1/recordings/${recordingId}/media?t=${acme.tenantId}&exp=${grant.exp}&sig=${sig}`,
        undefined,
      );
      expect(expired.status).toBe(403);
      expect(expired.json().error.message).toMatch(/expired/);
      const agent = await t.request('GET', `/api/v1/recordings/${recordingId}/playback`, {
        token: acme.users.agent!.token,
      });
      expect(agent.status).toBe(403);
      const outsider = await t.request('GET', `/api/v1/recordings/${recordingId}/playback`, {
        token: globex.users.admin!.token,
      });
      expect(outsider.status).toBe(404);
    });

    it('[REC-06] downloads as an MP3 attachment named after the session and recording', async () => {
      const res = await fetchBytes(`/api/v1/recordings/${recordingId}?download=1`, acme.users.admin!.token);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${sessionId}-${recordingId}.mp3"`);
      expect(res.body.equals(full)).toBe(true);
    });

    it('[REC-07] API keys with recordings:read may list and fetch; others may not', async () => {
      const mk = async (scopes: string[]) =>
        (await t.request('POST', '/api/v1/api-keys', { token: acme.users.admin!.token, body: { name: 'r', scopes } }))
          .body.key as string;
      const reader = await mk(['recordings:read']);
      const other = await mk(['users:read']);
      expect((await fetchBytes(`/api/v1/recordings/${recordingId}`, reader)).body.equals(full)).toBe(true);
      const list = await t.request('GET', `/api/v1/recordings?sessionId=${sessionId}`, { token: reader });
      expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([recordingId]);
      expect((await fetchBytes(`/api/v1/recordings/${recordingId}`, other)).status).toBe(403);
    });

    it('[REC-05] agents not on the call get 403, other tenants 404, strangers 401', async () => {
      const agent = await fetchBytes(`/api/v1/recordings/${recordingId}`, acme.users.agent!.token);
      expect(agent.status).toBe(403);
      expect(agent.json().error.code).toBe('forbidden');
      const outsider = await fetchBytes(`/api/v1/recordings/${recordingId}`, globex.users.admin!.token);
      expect(outsider.status).toBe(404);
      expect(outsider.json().error.code).toBe('not_found');
      const list = await t.request('GET', `/api/v1/recordings?sessionId=${sessionId}`, {
        token: globex.users.admin!.token,
      });
      expect(list.body.items).toEqual([]);
      expect((await fetchBytes(`/api/v1/recordings/${recordingId}`, undefined)).status).toBe(401);
    });
  });

  describe('the audio fork endpoint', () => {
    const count = async () =>
      Number((await t.app.database.pool.query('select count(*)::int as n from recordings')).rows[0].n);

    it('[REC-04] accepts the documented audio.jambonz.org subprotocol too', async () => {
      const sessionId = randomUUID();
      liveSessions.set(sessionId, acme.tenantId);
      const fork = await Fork.open(forkUrl, { protocol: 'audio.jambonz.org' });
      expect(fork.ws.protocol).toBe('audio.jambonz.org');
      fork.metadata({ sampleRate: 8000, mixType: 'mono', sessionId });
      await fork.audio(stereoFrames(0.5)); // 4 bytes per sample, read as mono: 1 s
      await fork.end();
      const row = await eventually(async () => {
        const [r] = await t.app.container.cradle.recordingService.listBySession(acme.tenantId, sessionId);
        return r?.status === 'ready' && r;
      });
      expect(row.channels).toBe(1);
      expect(row.durationMs).toBe(1000);
    });

    it('[REC-04] refuses other subprotocols and bad credentials before upgrading', async () => {
      const before = await count();
      const refused = (p: Promise<Fork>) =>
        p.then(
          (f) => {
            f.ws.terminate();
            return 0;
          },
          (e: unknown) => (e instanceof Refused ? e.status : -1),
        );
      expect(await refused(Fork.open(forkUrl, { protocol: 'chat.example.org' }))).toBe(400);
      expect(await refused(Fork.open(forkUrl, { authorization: basic(AUTH.username, 'wrong') }))).toBe(401);
      expect(await refused(Fork.open(forkUrl, { authorization: basic('someone', AUTH.password) }))).toBe(401);
      expect(await refused(Fork.open(forkUrl, { authorization: null }))).toBe(401);
      expect(await count()).toBe(before);
    });

    it('[REC-04] closes with 1008 for an unknown session and records nothing', async () => {
      const before = await count();
      const fork = await Fork.open(forkUrl);
      fork.metadata({ sampleRate: 8000, mixType: 'stereo', sessionId: randomUUID() });
      fork.ws.send(stereoFrames(0.1)[0]!);
      expect(await fork.closed).toEqual({ code: 1008, reason: 'unknown session' });
      expect(await count()).toBe(before);
    });

    it('[REC-04] closes with 1008 for a session of another tenant than the metadata claims', async () => {
      const sessionId = randomUUID();
      liveSessions.set(sessionId, acme.tenantId);
      const fork = await Fork.open(forkUrl);
      fork.metadata({ sampleRate: 8000, mixType: 'stereo', sessionId, tenantId: globex.tenantId });
      expect((await fork.closed).code).toBe(1008);
    });

    it('[REC-04] closes with 1008 on missing or malformed metadata', async () => {
      for (const first of ['not json', JSON.stringify({ sampleRate: 8000, mixType: 'stereo' }), Buffer.alloc(640)]) {
        const fork = await Fork.open(forkUrl);
        fork.ws.send(first);
        expect((await fork.closed).code).toBe(1008);
      }
    });

    it('[REC-04] closes with 1008 when no metadata arrives in time', async () => {
      const fork = await Fork.open(`${t.url.replace(/^http/, 'ws')}/test/audio-quick`, { authorization: null });
      expect(await fork.closed).toEqual({ code: 1008, reason: 'no metadata' });
    });

    it('[REC-04] a fork that hangs up before any audio is stored as failed, and the API says so', async () => {
      const sessionId = randomUUID();
      liveSessions.set(sessionId, acme.tenantId);
      const fork = await Fork.open(forkUrl);
      fork.metadata({ sampleRate: 8000, mixType: 'stereo', sessionId });
      // Wait until the row exists, then hang up without audio.
      const started = await eventually(async () => {
        const [r] = await t.app.container.cradle.recordingService.listBySession(acme.tenantId, sessionId);
        return r;
      });
      const inProgress = await fetchBytes(`/api/v1/recordings/${started.id}`, acme.users.admin!.token);
      expect(inProgress.status).toBe(409);
      expect(inProgress.json().error).toMatchObject({ code: 'conflict', details: { status: 'recording' } });
      expect(inProgress.json().error.message).toMatch(/in progress/);

      await fork.end();
      const failed = await eventually(async () => {
        const r = await t.app.container.cradle.recordingService.findById(acme.tenantId, started.id);
        return r?.status === 'failed' && r;
      });
      expect(failed.error).toBe('no audio');
      const res = await fetchBytes(`/api/v1/recordings/${started.id}`, acme.users.admin!.token);
      expect(res.status).toBe(409);
      expect(res.json().error.message).toMatch(/failed: no audio/);
      expect(received.some((p) => p.recordingId === started.id)).toBe(false);
    });
  });

  describe('RecordingService', () => {
    it('[REC-04] finish() is idempotent and announces once', async () => {
      const { recordingService } = t.app.container.cradle;
      const sessionId = randomUUID();
      const w = await recordingService.start({ tenantId: acme.tenantId, sessionId, sampleRate: 8000, channels: 2 });
      for (const f of stereoFrames(1)) w.write(f);
      await Promise.all([w.finish(), w.finish()]);
      await w.finish();
      await w.abort('too late'); // no effect after finish
      w.write(Buffer.alloc(640)); // ignored
      const row = await recordingService.findById(acme.tenantId, w.recordingId);
      expect(row).toMatchObject({ status: 'ready', durationMs: 1000, error: null });
      await eventually(() => received.some((p) => p.recordingId === w.recordingId));
      await new Promise((r) => setTimeout(r, 700)); // a second job would have run by now
      expect(received.filter((p) => p.recordingId === w.recordingId)).toHaveLength(1);
    });

    it('[REC-04] abort() marks the recording failed and removes its scratch file', async () => {
      const { recordingService } = t.app.container.cradle;
      const w = await recordingService.start({
        tenantId: acme.tenantId,
        sessionId: randomUUID(),
        sampleRate: 8000,
        channels: 2,
      });
      for (const f of stereoFrames(1)) w.write(f);
      const scratch = join(dataDir, 'tmp', 'recordings', `${w.recordingId}.mp3.part`);
      await eventually(async () => (await stat(scratch).catch(() => null))?.isFile());
      await w.abort('stream broke');
      await w.finish(); // no effect after abort
      expect(await stat(scratch).catch(() => null)).toBeNull();
      const row = await recordingService.findById(acme.tenantId, w.recordingId);
      expect(row).toMatchObject({ status: 'failed', error: 'stream broke', sizeBytes: null });
      expect(received.some((p) => p.recordingId === w.recordingId)).toBe(false);
    });

    it('[REC-04] is tenant-scoped: ids of one tenant are invisible to another', async () => {
      const { recordingService } = t.app.container.cradle;
      const w = await recordingService.start({
        tenantId: globex.tenantId,
        sessionId: randomUUID(),
        sampleRate: 8000,
        channels: 1,
      });
      expect(await recordingService.findById(acme.tenantId, w.recordingId)).toBeUndefined();
      expect(await recordingService.findById(globex.tenantId, w.recordingId)).toBeDefined();
      await w.abort('test');
    });
  });

  describe('LocalDiskStorage', () => {
    it('[REC-04] refuses keys that could leave its directory', async () => {
      const storage = new LocalDiskStorage({ config: { database: { dataDir } } });
      for (const key of ['../x.mp3', 'a/../../x.mp3', '/etc/passwd', 'a//b', 'a/./b', 'a\\b', '']) {
        await expect(storage.put(key, { stream: [Buffer.from('x')] }), key).rejects.toThrow(/invalid storage key/);
        await expect(storage.stat(key), key).rejects.toThrow(/invalid storage key/);
      }
      const { size } = await storage.put('t/2025/01/02/r.mp3', { stream: [Buffer.from('hello world')] });
      expect(size).toBe(11);
      expect(await storage.stat('t/2025/01/02/r.mp3')).toEqual({ size: 11 });
      const chunks: Buffer[] = [];
      for await (const c of await storage.read('t/2025/01/02/r.mp3', { start: 6, end: 10 })) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe('world');
      // No temporary files remain beside the object.
      expect(await readdir(join(dataDir, 'recordings', 't', '2025', '01', '02'))).toEqual(['r.mp3']);
      await storage.delete('t/2025/01/02/r.mp3');
      await storage.delete('t/2025/01/02/r.mp3');
      expect(await storage.stat('t/2025/01/02/r.mp3')).toBeNull();
      await expect(storage.read('t/2025/01/02/r.mp3')).rejects.toThrow(/ENOENT/);
    });
  });
});
