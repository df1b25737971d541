import WebSocket from 'ws';
import type { SimClock } from './clock.js';
import { deferred, newSid } from './util.js';

/** Subprotocol offered by FreeSWITCH mod_audio_fork (docs wrongly say audio.jambonz.org). */
export const AUDIO_FORK_SUBPROTOCOL = 'audio.drachtio.org';

/** Options of one audio fork, from a `listen` verb or `config.listen`. */
export interface AudioForkOptions {
  url: string;
  sampleRate: number;
  mixType: 'mono' | 'stereo' | 'mixed';
  wsAuth?: { username: string; password: string };
  /** Forward the caller's DTMF as `{event:'dtmf', dtmf, duration}` text frames. */
  passDtmf?: boolean;
  /** Wall ms the WebSocket opening handshake may take (default 5000). */
  handshakeTimeoutMs?: number;
}

/** Observable state of an audio fork, for tests and snapshots. */
export interface ForkRecord {
  id: string;
  callSid: string;
  url: string;
  sampleRate: number;
  mixType: 'mono' | 'stereo' | 'mixed';
  channels: 1 | 2;
  /** `listen` verb, `config.listen` background fork, or `dial.listen`. */
  source: 'listen' | 'config' | 'dial';
  state: 'connecting' | 'open' | 'closed' | 'failed';
  /** Simulated ms at which the fork started (audio is covered from this instant). */
  startedAtSim: number;
  /** Simulated ms at which the fork stopped; undefined while running. */
  endedAtSim?: number;
  /** Simulated length of the fork, `endedAtSim - startedAtSim`, once stopped. */
  simulatedMs?: number;
  /** Samples per channel written to the socket (silence included). */
  samplesSent: number;
  /** Samples per channel not sent because of `listen_status: pause`. */
  samplesPaused: number;
  /** Binary bytes written to the socket. */
  bytesSent: number;
  /** The JSON sent as first text frame. */
  metadata: Record<string, unknown>;
}

/** 20 ms frames, the packetisation of the media path. */
const FRAME_MS = 20;
/** Cap on one binary message (1 s of audio) so a long backlog is not sent as one huge frame. */
const MAX_FRAMES_PER_MESSAGE = 50;

/**
 * A simulated `mod_audio_fork` stream: connects to the app's websocket with the
 * `audio.drachtio.org` subprotocol, sends one JSON text frame, then L16 little-endian PCM
 * (stereo interleaved: channel 0 = caller, channel 1 = what the caller hears) that covers
 * exactly the simulated time between start and stop, minus paused time. Once the caller has
 * spoken ({@link SimCall.speak}), channel 0 carries its voice exactly while it talks.
 */
export class AudioFork {
  readonly record: ForkRecord;
  private readonly ws: WebSocket;
  private cursor = 0;
  private mode: 'send' | 'pause' | 'silence' = 'send';
  private stopTicker: () => void = () => undefined;
  private stopping = false;
  private aborted = false;
  private readonly done = deferred<void>();
  private noiseState = 12345;

  constructor(
    private readonly opts: AudioForkOptions,
    callSid: string,
    source: ForkRecord['source'],
    metadata: Record<string, unknown>,
    private readonly clock: SimClock,
    private readonly alert: (message: string) => void,
    /** The caller's scripted speech ({@link SimCall.speak}): talking at a simulated instant, or undefined (unscripted). */
    private readonly speakingAt: (sim: number) => boolean | undefined = () => undefined,
  ) {
    this.record = {
      id: newSid(),
      callSid,
      url: opts.url,
      sampleRate: opts.sampleRate,
      mixType: opts.mixType,
      channels: opts.mixType === 'stereo' ? 2 : 1,
      source,
      state: 'connecting',
      startedAtSim: clock.now(),
      samplesSent: 0,
      samplesPaused: 0,
      bytesSent: 0,
      metadata,
    };
    const headers: Record<string, string> = {};
    if (opts.wsAuth) {
      headers.Authorization = `Basic ${Buffer.from(`${opts.wsAuth.username}:${opts.wsAuth.password}`).toString('base64')}`;
    }
    this.ws = new WebSocket(opts.url, AUDIO_FORK_SUBPROTOCOL, {
      headers,
      handshakeTimeout: opts.handshakeTimeoutMs ?? 5000,
    });
    this.ws.on('open', () => {
      this.record.state = 'open';
      this.ws.send(JSON.stringify(metadata));
      if (this.stopping) {
        this.finish();
        return;
      }
      this.pump(false);
      this.stopTicker = clock.everyWall(FRAME_MS, () => this.pump(false));
    });
    this.ws.on('error', (err) => {
      if (this.record.state === 'connecting') {
        this.record.state = 'failed';
        // A fork aborted by the simulator's shutdown while connecting is not the app's fault.
        if (!this.aborted) this.alert(`audio fork to ${opts.url} failed: ${err.message}`);
      }
      this.markEnded();
    });
    this.ws.on('close', () => {
      if (this.record.state !== 'failed') this.record.state = 'closed';
      this.markEnded();
    });
    // Text frames from the app (playAudio, killAudio, disconnect, mark) are accepted and ignored,
    // except `disconnect`, which ends the fork as in FS.
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      try {
        const msg = JSON.parse(data.toString()) as { type?: string };
        if (msg.type === 'disconnect') void this.stop();
      } catch {
        // ignore malformed text frames like mod_audio_fork does
      }
    });
  }

  /** Resolves when the fork has ended (stopped, closed by the app, or failed to connect). */
  get ended(): Promise<void> {
    return this.done.promise;
  }

  /** Applies a `listen_status`: pause stops sending, silence sends zeros, resume sends audio. */
  setStatus(status: 'pause' | 'silence' | 'resume'): void {
    if (this.record.state === 'open') this.pump(false);
    this.mode = status === 'resume' ? 'send' : status;
  }

  /** Sends a DTMF text frame when the fork was opened with `passDtmf`. */
  sendDtmf(digit: string): void {
    if (this.opts.passDtmf && this.ws.readyState === WebSocket.OPEN && !this.stopping) {
      this.ws.send(JSON.stringify({ event: 'dtmf', dtmf: digit, duration: '1600' }));
    }
  }

  /** Stops the fork: sends the audio still due up to now, then closes the socket. */
  stop(): Promise<void> {
    if (this.stopping) return this.done.promise;
    this.stopping = true;
    this.stopTicker();
    const end = this.clock.now();
    this.record.endedAtSim = end;
    this.record.simulatedMs = end - this.record.startedAtSim;
    if (this.record.state === 'open') this.finish();
    else if (this.record.state !== 'connecting') this.markEnded();
    // While connecting, the 'open' handler flushes and closes (or 'error' ends it).
    return this.done.promise;
  }

  /** Closes abruptly without flushing (simulator shutdown). */
  abort(): void {
    this.stopping = true;
    this.aborted = true;
    this.stopTicker();
    this.ws.terminate();
    this.markEnded();
  }

  private finish(): void {
    this.pump(true);
    this.ws.close(1000, 'fork stopped');
  }

  private markEnded(): void {
    this.stopTicker();
    if (this.record.endedAtSim === undefined) {
      this.record.endedAtSim = this.clock.now();
      this.record.simulatedMs = this.record.endedAtSim - this.record.startedAtSim;
    }
    this.done.resolve();
  }

  /** Sends every whole 20 ms frame due (or, when `final`, everything up to the stop instant). */
  private pump(final: boolean): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const rate = this.opts.sampleRate;
    const endSim = final && this.record.endedAtSim !== undefined ? this.record.endedAtSim : this.clock.now();
    const target = Math.floor(((endSim - this.record.startedAtSim) * rate) / 1000);
    const frameSamples = Math.round((rate * FRAME_MS) / 1000);
    let due = target - this.cursor;
    if (!final) due -= due % frameSamples;
    while (due > 0) {
      const n = Math.min(due, frameSamples * MAX_FRAMES_PER_MESSAGE);
      if (this.mode === 'pause') {
        this.record.samplesPaused += n;
      } else {
        const buf = this.render(this.cursor, n, this.mode === 'silence');
        this.ws.send(buf);
        this.record.samplesSent += n;
        this.record.bytesSent += buf.length;
      }
      this.cursor += n;
      due -= n;
    }
  }

  /** Synthetic signal: speech-like gated 440 Hz + noise for the caller, 660 Hz for the far side. */
  private render(start: number, count: number, silent: boolean): Buffer {
    const channels = this.record.channels;
    const buf = Buffer.alloc(count * channels * 2);
    if (silent) return buf;
    const rate = this.opts.sampleRate;
    for (let i = 0; i < count; i++) {
      const n = start + i;
      const t = n / rate;
      // The caller's scripted speech when it spoke; otherwise a 1.2 s talk / 0.6 s pause cycle,
      // so the caller channel has real speech-like structure.
      const scripted = this.speakingAt(this.record.startedAtSim + t * 1000);
      const talking = (scripted ?? t % 1.8 < 1.2) ? 1 : 0.05;
      this.noiseState = (this.noiseState * 1103515245 + 12345) & 0x7fffffff;
      const noise = (this.noiseState / 0x7fffffff - 0.5) * 0.04;
      const caller = talking * 0.3 * Math.sin(2 * Math.PI * 440 * t) + noise;
      const far = 0.25 * Math.sin(2 * Math.PI * 660 * t);
      if (channels === 2) {
        buf.writeInt16LE(toInt16(caller), i * 4);
        buf.writeInt16LE(toInt16(far), i * 4 + 2);
      } else {
        buf.writeInt16LE(toInt16(this.opts.mixType === 'mixed' ? (caller + far) / 2 : caller), i * 2);
      }
    }
    return buf;
  }
}

function toInt16(x: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(x * 32767)));
}
