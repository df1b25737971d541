import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { RecordingSink, RecordingWriter, TelephonyContext, UpgradeHandler } from '@switchboard/core';

/**
 * Subprotocols of a jambonz audio fork: FreeSWITCH's `mod_audio_fork` offers
 * `audio.drachtio.org`; the jambonz docs say `audio.jambonz.org`. Either is accepted.
 */
export const AUDIO_FORK_SUBPROTOCOLS = ['audio.drachtio.org', 'audio.jambonz.org'] as const;

/** Close codes the handler uses (RFC 6455). */
export const AUDIO_FORK_CLOSE = {
  /** Bad or missing metadata, unknown session, binary before metadata. */
  policy: 1008,
  /** More audio arrived before the recording started than the handler will hold. */
  tooBig: 1009,
  /** The recording could not be started. */
  internal: 1011,
  /** The server is shutting down. */
  goingAway: 1001,
} as const;

/** Options of {@link createAudioForkHandler}. */
export interface AudioForkOptions {
  /** Where the audio goes. */
  recordings: RecordingSink;
  /** Tenant of a live session, or null: a fork for anything else is refused. */
  sessionTenant: (sessionId: string) => Promise<string | null>;
  logger: TelephonyContext['logger'];
  /** Owner of the fork's start, which nobody awaits (without one: logged only). */
  background?: TelephonyContext['background'];
  /** HTTP Basic credentials jambonz sends (`wsAuth` of `listen`); none = no check. */
  auth?: { username: string; password: string };
  /** How long to wait for the metadata frame. Default 5000 ms. */
  metadataTimeoutMs?: number;
  /** Largest WebSocket message accepted. Default 1 MiB (a fork sends ~20–100 ms per frame). */
  maxMessageBytes?: number;
  /** Audio held while the recording row is created (the socket is paused meanwhile). Default 1 MiB. */
  maxPendingBytes?: number;
}

/** The upgrade handler, plus a way to end every fork on shutdown. */
export type AudioForkHandler = UpgradeHandler & {
  /** Closes every fork (1001) and waits until their recordings are finished. */
  close(): Promise<void>;
};

/** The JSON a fork starts with: jambonz's `{sampleRate, mixType, …call info}` plus our `metadata`. */
interface ForkMetadata {
  sessionId: string;
  tenantId?: string;
  sampleRate: number;
  channels: 1 | 2;
  /** `voicemail` when the metadata says so (a `listen` verb recording a message). */
  kind?: 'voicemail';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the metadata frame; returns a reason string when it is unusable. */
export function parseForkMetadata(text: string): ForkMetadata | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'metadata is not JSON';
  }
  if (typeof json !== 'object' || json === null) return 'metadata is not an object';
  const m = json as Record<string, unknown>;
  // Our `metadata` is merged into the frame; the leg's `tag` (customerData) carries it too.
  const tag = m.customerData;
  const sessionId =
    m.sessionId ?? (typeof tag === 'object' && tag !== null ? (tag as Record<string, unknown>).sessionId : undefined);
  if (typeof sessionId !== 'string' || !UUID.test(sessionId)) return 'metadata has no valid sessionId';
  const sampleRate = Number(m.sampleRate ?? 8000);
  if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 96_000) return 'unsupported sampleRate';
  const mixType = m.mixType ?? 'mono';
  if (mixType !== 'mono' && mixType !== 'stereo' && mixType !== 'mixed') return 'unsupported mixType';
  return {
    sessionId,
    ...(typeof m.tenantId === 'string' ? { tenantId: m.tenantId } : {}),
    sampleRate,
    channels: mixType === 'stereo' ? 2 : 1,
    ...(m.kind === 'voicemail' ? { kind: 'voicemail' as const } : {}),
  };
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function basicAuthOk(header: string | undefined, auth: { username: string; password: string }): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Evaluate both so the time taken does not tell which one was wrong.
  const userOk = safeEqual(decoded.slice(0, colon), auth.username);
  const passOk = safeEqual(decoded.slice(colon + 1), auth.password);
  return userOk && passOk;
}

function refuse(socket: Duplex, status: string, headers: Record<string, string> = {}): void {
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status}\r\n${extra}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * The audio fork endpoint (REC-04): jambonz's `listen` connects here and streams the call as
 * L16 PCM; every fork becomes one {@link RecordingWriter}.
 *
 * Protocol: subprotocol `audio.drachtio.org` or `audio.jambonz.org` (others are refused with
 * 400 before the upgrade), HTTP Basic auth when {@link AudioForkOptions.auth} is set (401),
 * then a JSON text frame with `sampleRate`, `mixType` and our `sessionId` (closed with 1008
 * if it is missing, invalid, for an unknown session, or does not come within 5 s), then
 * binary frames (`stereo`: two interleaved channels). Later text frames (DTMF, marks) are
 * only logged. When the socket closes the recording is finished, or aborted if the socket
 * failed before any audio arrived.
 *
 * Back-pressure: encoding is synchronous, so frames are consumed as fast as they are read;
 * while the recording is being created the socket is paused, and at most
 * {@link AudioForkOptions.maxPendingBytes} that were already read are held.
 */
export function createAudioForkHandler(opts: AudioForkOptions): AudioForkHandler {
  const log = opts.logger;
  const metadataTimeoutMs = opts.metadataTimeoutMs ?? 5000;
  const maxPendingBytes = opts.maxPendingBytes ?? 1024 * 1024;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxMessageBytes ?? 1024 * 1024,
    perMessageDeflate: false,
    handleProtocols: (offered) => AUDIO_FORK_SUBPROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  const live = new Set<WebSocket>();
  const settling = new Set<Promise<void>>();
  let closing = false;

  const handler = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (closing) return refuse(socket, '503 Service Unavailable');
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.some((p) => (AUDIO_FORK_SUBPROTOCOLS as readonly string[]).includes(p))) {
      log.warn({ offered }, 'audio fork refused: unsupported subprotocol');
      return refuse(socket, '400 Bad Request');
    }
    if (opts.auth && !basicAuthOk(req.headers.authorization, opts.auth)) {
      log.warn({ remote: req.socket.remoteAddress }, 'audio fork refused: bad credentials');
      return refuse(socket, '401 Unauthorized', { 'WWW-Authenticate': 'Basic realm="switchboard-audio"' });
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  };

  function onConnection(ws: WebSocket): void {
    live.add(ws);
    let state: 'metadata' | 'starting' | 'recording' | 'closed' = 'metadata';
    let writer: RecordingWriter | undefined;
    let meta: ForkMetadata | undefined;
    let errored = false;
    let audioBytes = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let connLog = log;

    const timer = setTimeout(() => {
      connLog.warn('audio fork closed: no metadata');
      ws.close(AUDIO_FORK_CLOSE.policy, 'no metadata');
    }, metadataTimeoutMs);

    const start = async (m: ForkMetadata): Promise<void> => {
      ws.pause();
      try {
        const tenantId = await opts.sessionTenant(m.sessionId);
        if (!tenantId || (m.tenantId && m.tenantId !== tenantId)) {
          connLog.warn('audio fork closed: unknown session');
          ws.resume(); // to read the peer's half of the close handshake
          ws.close(AUDIO_FORK_CLOSE.policy, 'unknown session');
          return;
        }
        writer = await opts.recordings.start({
          tenantId,
          sessionId: m.sessionId,
          sampleRate: m.sampleRate,
          channels: m.channels,
          ...(m.kind ? { kind: m.kind } : {}),
        });
      } catch (err) {
        connLog.error({ err }, 'audio fork closed: could not start the recording');
        ws.resume();
        ws.close(AUDIO_FORK_CLOSE.internal, 'recording unavailable');
        return;
      }
      connLog = connLog.child({ recordingId: writer.recordingId });
      connLog.info({ sampleRate: m.sampleRate, channels: m.channels }, 'audio fork recording');
      for (const buf of pending) writer.write(buf);
      pending = [];
      pendingBytes = 0;
      if (state === 'closed') {
        // The socket closed while the row was being created: settle now.
        settle();
        return;
      }
      state = 'recording';
      ws.resume();
    };

    const settle = (): void => {
      const w = writer;
      if (!w) return;
      writer = undefined;
      const done =
        errored && audioBytes === 0
          ? w.abort('the audio stream failed before any audio arrived')
          : w.finish().then(() => connLog.info({ audioBytes }, 'audio fork recording finished'));
      const tracked = done
        .catch((err: unknown) => connLog.error({ err }, 'audio fork recording could not be finished'))
        .finally(() => settling.delete(tracked));
      settling.add(tracked);
    };

    ws.on('message', (data, isBinary) => {
      if (state === 'closed') return;
      if (state === 'metadata') {
        if (isBinary) {
          ws.close(AUDIO_FORK_CLOSE.policy, 'metadata must come first');
          return;
        }
        clearTimeout(timer);
        const parsed = parseForkMetadata(toBuffer(data).toString('utf8'));
        if (typeof parsed === 'string') {
          log.warn({ reason: parsed }, 'audio fork closed: bad metadata');
          ws.close(AUDIO_FORK_CLOSE.policy, parsed);
          return;
        }
        meta = parsed;
        connLog = log.child({ sessionId: parsed.sessionId });
        state = 'starting';
        void start(parsed).catch((err: unknown) => {
          const ctx = { tenantId: parsed.tenantId, sessionId: parsed.sessionId };
          if (opts.background) opts.background.report('audioFork.start', ctx, err);
          else connLog.error({ err, step: 'audioFork.start' }, 'audio fork start failed');
        });
        return;
      }
      if (!isBinary) {
        // DTMF (`passDtmf`), playDone, marks: nothing to record.
        connLog.debug({ event: toBuffer(data).toString('utf8').slice(0, 200) }, 'audio fork event');
        return;
      }
      const buf = toBuffer(data);
      audioBytes += buf.length;
      if (state === 'recording') {
        writer!.write(buf);
        return;
      }
      // Still starting: frames read before the pause took effect.
      pendingBytes += buf.length;
      if (pendingBytes > maxPendingBytes) {
        pending = [];
        ws.close(AUDIO_FORK_CLOSE.tooBig, 'too much audio before the recording started');
        return;
      }
      pending.push(buf);
    });

    ws.on('error', (err) => {
      errored = true;
      connLog.warn({ err }, 'audio fork socket error');
    });

    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      live.delete(ws);
      const wasStarting = state === 'starting';
      state = 'closed';
      connLog.debug({ code, reason: reason.toString(), audioBytes, session: meta?.sessionId }, 'audio fork closed');
      // While starting, `start` settles once the writer exists.
      if (!wasStarting) settle();
    });
  }

  return Object.assign(handler, {
    async close(): Promise<void> {
      closing = true;
      for (const ws of live) ws.close(AUDIO_FORK_CLOSE.goingAway, 'server shutting down');
      // Sockets that do not answer the close handshake are cut after a moment.
      const cut = setTimeout(() => {
        for (const ws of live) ws.terminate();
      }, 2000);
      while (live.size > 0) await new Promise((r) => setTimeout(r, 20));
      clearTimeout(cut);
      while (settling.size > 0) await Promise.all([...settling]);
      wss.close();
    },
  });
}
