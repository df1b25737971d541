import type * as JsSIPTypes from 'jssip';
import type { RTCSession, EndEvent } from 'jssip/lib/RTCSession';
import type { IncomingRTCSessionEvent, UA, UAConfiguration } from 'jssip/lib/UA';
import {
  audioConstraints,
  loadDevicePreferences,
  saveDevicePreferences,
  type PreferenceStorage,
} from './device-check.js';
import { TypedEmitter } from './emitter.js';
import {
  DTMF_DIGITS,
  type EndCause,
  type RegistrationState,
  type Softphone,
  type SoftphoneCall,
  type SoftphoneCredentials,
  type SoftphoneEvents,
} from './types.js';

/** The JsSIP module (loaded on demand). */
export type JsSipModule = typeof JsSIPTypes;

/** Options of {@link JsSipSoftphone}. */
export interface JsSipSoftphoneOptions {
  /** `GET /api/v1/me/device` (mode `sip`). */
  credentials: SoftphoneCredentials;
  /**
   * Loads JsSIP. Default: a dynamic `import('jssip')`, so the library (≈ 300 kB) is a chunk of its
   * own that only agents who start the phone download.
   */
  loadJsSip?: () => Promise<JsSipModule>;
  /** Where the chosen devices are remembered (default `localStorage`). */
  storage?: PreferenceStorage;
  /** ICE servers etc. for the peer connection. */
  pcConfig?: RTCConfiguration;
  /** Answer rings whose INVITE asks for it (`Call-Info: …;answer-after=N`, IN-03). Default true. */
  honourAutoAnswer?: boolean;
  /** How DTMF travels: RFC 2833 telephone-events in the media (default; what jambonz expects) or SIP INFO. */
  dtmfTransport?: 'RFC2833' | 'INFO';
  /** Seconds between re-REGISTERs (the registrar may shorten it; jambonz gives NAT-ed clients 30 s). */
  registerExpires?: number;
  /** The element that plays the far side (default: a new detached `<audio>`). */
  audioElement?: HTMLAudioElement;
  /** The media API (default `navigator.mediaDevices`). */
  mediaDevices?: Pick<MediaDevices, 'getUserMedia'>;
}

/** Seconds in `Call-Info: <…>;answer-after=N`, if the INVITE asks to be answered by itself. */
export function answerAfterSeconds(callInfo: string | undefined): number | null {
  const m = callInfo ? /;\s*answer-after\s*=\s*(\d+)/i.exec(callInfo) : null;
  return m ? Number(m[1]) : null;
}

/** How a JsSIP session ended, in the softphone's words. */
function endCause(e: EndEvent, answered: boolean): EndCause {
  if (answered) {
    if (e.cause === 'Terminated') return e.originator === 'local' ? 'local-hangup' : 'remote-hangup';
    return 'failed';
  }
  if (e.originator === 'local' && (e.cause === 'Rejected' || e.cause === 'Busy')) return 'rejected';
  if (e.originator === 'remote' && e.cause === 'Canceled') return 'cancelled';
  return 'failed';
}

/** The remote party as a person reads it: display name, else the user part of the URI. */
function remoteDisplayOf(session: RTCSession): string {
  const identity = session.remote_identity;
  return identity.display_name || identity.uri.user || identity.uri.toString();
}

/**
 * The WebRTC softphone: a JsSIP user agent registered to jambonz's SBC over WSS with the
 * agent's own credentials (docs/adr/0006-agent-devices.md), receiving the offers the ACD rings.
 * The microphone is taken when a call is answered and released when it ends; the chosen
 * microphone and speaker are applied to the call and remembered.
 */
export class JsSipSoftphone extends TypedEmitter<SoftphoneEvents> implements Softphone {
  readonly kind = 'sip' as const;
  private ua: UA | undefined;
  private session: RTCSession | undefined;
  private current: SoftphoneCall | null = null;
  private localStream: MediaStream | undefined;
  private state: RegistrationState = 'stopped';
  private autoAnswerTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly audio: HTMLAudioElement;
  private readonly opts: JsSipSoftphoneOptions;

  constructor(opts: JsSipSoftphoneOptions) {
    super();
    this.opts = opts;
    this.audio = opts.audioElement ?? new Audio();
    this.audio.autoplay = true;
  }

  get registration(): RegistrationState {
    return this.state;
  }

  get call(): SoftphoneCall | null {
    return this.current ? { ...this.current } : null;
  }

  /** Whether the microphone is held right now (only during a call). */
  get microphoneInUse(): boolean {
    return this.localStream?.getTracks().some((t) => t.readyState === 'live') ?? false;
  }

  async start(): Promise<void> {
    if (this.ua) return;
    const { credentials: c } = this.opts;
    if (c.mode !== 'sip' || !c.wsServer || !c.realm) {
      throw new Error(`softphone: no SIP server to register to (mode ${c.mode})`);
    }
    this.state = 'starting';
    const load = this.opts.loadJsSip ?? (() => import('jssip'));
    const mod = await load();
    // A CommonJS module: bundlers hand it over as the namespace or as its `default`.
    const JsSIP = ((mod as { default?: JsSipModule }).default ?? mod) as JsSipModule;
    const config: UAConfiguration = {
      sockets: [new JsSIP.WebSocketInterface(c.wsServer)],
      uri: `sip:${c.sipUser}@${c.realm}`,
      authorization_user: c.sipUser,
      password: c.password,
      realm: c.realm,
      register: true,
      register_expires: this.opts.registerExpires ?? 300,
      // jambonz's SBC refreshes nothing itself; session timers only add re-INVITEs to go wrong.
      session_timers: false,
      user_agent: 'Switchboard softphone',
    };
    const ua = new JsSIP.UA(config);
    this.ua = ua;
    ua.on('registered', () => {
      this.state = 'registered';
      this.emit('registered', { sipUser: c.sipUser });
    });
    ua.on('unregistered', (e) => {
      this.state = this.ua ? 'unregistered' : 'stopped';
      this.emit('unregistered', { reason: e?.cause ?? null });
    });
    ua.on('registrationFailed', (e) => {
      this.state = 'failed';
      this.emit('registrationFailed', { cause: e.cause ?? 'unknown' });
    });
    ua.on('newRTCSession', (e: IncomingRTCSessionEvent | { originator: 'local' }) => {
      if (e.originator === 'remote') this.onIncoming(e as IncomingRTCSessionEvent);
    });
    ua.start();
  }

  async stop(): Promise<void> {
    const ua = this.ua;
    if (!ua) return;
    if (this.session && !this.session.isEnded()) this.session.terminate();
    this.ua = undefined;
    if (this.state === 'registered') {
      // Unregister before the socket closes, so the registrar stops ringing this browser at once.
      await new Promise<void>((resolve) => {
        ua.once('unregistered', () => resolve());
        ua.once('registrationFailed', () => resolve());
        ua.unregister();
        setTimeout(resolve, 2000);
      });
    }
    ua.stop();
    this.state = 'stopped';
    this.releaseMicrophone();
  }

  async answer(): Promise<void> {
    const session = this.ringing();
    this.clearAutoAnswer();
    const { inputDeviceId } = loadDevicePreferences(this.opts.storage);
    const media = this.opts.mediaDevices ?? navigator.mediaDevices;
    // Taken now, for this call only: the browser's "microphone in use" light is off between calls.
    const stream = await media.getUserMedia({ audio: audioConstraints(inputDeviceId), video: false });
    if (session.isEnded()) {
      for (const t of stream.getTracks()) t.stop();
      throw new Error('softphone: the call ended before it could be answered');
    }
    this.localStream = stream;
    session.answer({
      mediaStream: stream,
      ...(this.opts.pcConfig ? { pcConfig: this.opts.pcConfig } : {}),
    });
  }

  async reject(): Promise<void> {
    const session = this.ringing();
    this.clearAutoAnswer();
    session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
  }

  async hangup(): Promise<void> {
    const session = this.session;
    if (!session || session.isEnded()) throw new Error('softphone: no call to hang up');
    this.clearAutoAnswer();
    if (!session.isEstablished()) {
      session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    session.terminate();
  }

  async mute(on: boolean): Promise<void> {
    const session = this.established();
    if (on) session.mute({ audio: true });
    else session.unmute({ audio: true });
  }

  async sendDtmf(digits: string): Promise<void> {
    if (!DTMF_DIGITS.test(digits)) throw new Error('softphone: DTMF digits are 0-9, *, #, A-D');
    const session = this.established();
    session.sendDTMF(digits.toUpperCase(), {
      transportType: (this.opts.dtmfTransport ?? 'RFC2833') as never,
      duration: 100,
      interToneGap: 70,
    });
  }

  async setOutputDevice(deviceId: string): Promise<void> {
    saveDevicePreferences({ outputDeviceId: deviceId }, this.opts.storage);
    await this.applyOutputDevice(deviceId);
  }

  async setInputDevice(deviceId: string): Promise<void> {
    saveDevicePreferences({ inputDeviceId: deviceId }, this.opts.storage);
    const session = this.session;
    if (!session?.isEstablished() || !this.localStream) return;
    // Mid-call: swap the track that is sent, then let go of the old microphone.
    const media = this.opts.mediaDevices ?? navigator.mediaDevices;
    const stream = await media.getUserMedia({ audio: audioConstraints(deviceId), video: false });
    const track = stream.getAudioTracks()[0];
    if (!track) throw new Error('softphone: the microphone gave no audio track');
    track.enabled = !this.current?.muted;
    const sender = session.connection.getSenders().find((s) => s.track?.kind === 'audio');
    await sender?.replaceTrack(track);
    this.releaseMicrophone();
    this.localStream = stream;
  }

  // ─────────────────────────────── internals ───────────────────────────────

  private onIncoming(e: IncomingRTCSessionEvent): void {
    const session = e.session;
    if (this.session && !this.session.isEnded()) {
      // One call at a time: the ACD never offers a second one, so this is a stray INVITE.
      session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    const id = e.request.getHeader('Call-ID');
    const after = this.opts.honourAutoAnswer === false ? null : answerAfterSeconds(e.request.getHeader('Call-Info'));
    this.session = session;
    this.current = {
      id,
      remoteDisplay: remoteDisplayOf(session),
      sessionId: null,
      autoAnswer: after !== null,
      state: 'ringing',
      muted: false,
    };
    let answered = false;
    session.on('peerconnection', ({ peerconnection }) => {
      peerconnection.addEventListener('track', (ev: RTCTrackEvent) => this.playRemote(ev));
    });
    session.on('accepted', () => {
      answered = true;
      if (this.current?.id === id) this.current.state = 'active';
      this.emit('accepted', { id });
    });
    session.on('muted', () => this.onMuted(id, true));
    session.on('unmuted', () => this.onMuted(id, false));
    const finish = (ev: EndEvent) => {
      if (this.session !== session) return;
      this.clearAutoAnswer();
      this.session = undefined;
      this.current = null;
      this.releaseMicrophone();
      this.audio.srcObject = null;
      this.emit('ended', { id, cause: endCause(ev, answered), detail: ev.cause ?? null });
    };
    session.on('ended', finish);
    session.on('failed', finish);
    this.emit('incoming', { ...this.current });
    if (after !== null) {
      this.autoAnswerTimer = setTimeout(() => {
        this.autoAnswerTimer = undefined;
        if (this.session === session && !session.isEnded() && !session.isEstablished()) {
          this.answer().catch((err: unknown) => this.emit('error', { message: 'auto-answer failed', cause: err }));
        }
      }, after * 1000);
    }
  }

  private onMuted(id: string, muted: boolean): void {
    if (this.current?.id === id) this.current.muted = muted;
    this.emit('muted', { id, muted });
  }

  private playRemote(ev: RTCTrackEvent): void {
    const stream = ev.streams[0] ?? new MediaStream([ev.track]);
    this.audio.srcObject = stream;
    const { outputDeviceId } = loadDevicePreferences(this.opts.storage);
    const sink = outputDeviceId ? this.applyOutputDevice(outputDeviceId) : Promise.resolve();
    sink
      .then(() => this.audio.play())
      .catch((err: unknown) => this.emit('error', { message: 'could not play the call audio', cause: err }));
  }

  private async applyOutputDevice(deviceId: string): Promise<void> {
    const el = this.audio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (typeof el.setSinkId !== 'function') throw new Error('softphone: this browser cannot choose the speaker');
    await el.setSinkId(deviceId);
  }

  private ringing(): RTCSession {
    const s = this.session;
    if (!s || s.isEnded() || s.isEstablished() || this.current?.state !== 'ringing') {
      throw new Error('softphone: no ringing call');
    }
    return s;
  }

  private established(): RTCSession {
    const s = this.session;
    if (!s || !s.isEstablished()) throw new Error('softphone: no active call');
    return s;
  }

  private clearAutoAnswer(): void {
    if (this.autoAnswerTimer !== undefined) clearTimeout(this.autoAnswerTimer);
    this.autoAnswerTimer = undefined;
  }

  private releaseMicrophone(): void {
    for (const t of this.localStream?.getTracks() ?? []) t.stop();
    this.localStream = undefined;
  }
}
