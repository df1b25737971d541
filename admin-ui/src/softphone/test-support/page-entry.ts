/**
 * The test page of the softphone's browser tests: the real softphone modules, bundled for the
 * browser, plus a far-end "caller" peer connection for real media. Tests drive it through
 * `window.softphoneTest` (playwright `page.evaluate`).
 */
import {
  checkBrowserSupport,
  listAudioDevices,
  loadDevicePreferences,
  microphonePermission,
  requestMicrophone,
  saveDevicePreferences,
} from '../device-check.js';
import { createSoftphone } from '../create-softphone.js';
import { JsSipSoftphone, type JsSipSoftphoneOptions } from '../jssip-softphone.js';
import type { SoftphoneCredentials, SoftphoneEvents } from '../types.js';

type Recorded = { type: keyof SoftphoneEvents; payload: unknown };

/** Every microphone stream handed out on this page (to check it is released after a call). */
const grabbed: MediaStream[] = [];
const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
  const stream = await realGetUserMedia(constraints);
  grabbed.push(stream);
  constraintsSeen.push(JSON.parse(JSON.stringify(constraints ?? null)));
  return stream;
};
const constraintsSeen: unknown[] = [];

let phone: JsSipSoftphone | undefined;
/** The element the phone plays the far end on (to read the speaker it was given). */
const remoteAudio = new Audio();
const events: Recorded[] = [];
let caller: RTCPeerConnection | undefined;
const callerAudio: { track?: MediaStreamTrack } = {};

/** Makes `p` the page's phone and records its events. */
function listen(p: JsSipSoftphone): void {
  phone = p;
  const types = [
    'registered',
    'unregistered',
    'registrationFailed',
    'incoming',
    'accepted',
    'ended',
    'muted',
    'error',
  ] as const;
  for (const type of types) {
    p.on(type, (payload) => events.push({ type, payload: JSON.parse(JSON.stringify(payload ?? null)) }));
  }
}

const api = {
  events,
  constraintsSeen,
  create(credentials: SoftphoneCredentials, opts: Partial<JsSipSoftphoneOptions> = {}) {
    listen(new JsSipSoftphone({ credentials, audioElement: remoteAudio, ...opts }));
  },
  /** The workbench's way: `createSoftphone` asks the server (`GET /api/v1/me/device`) which phone. */
  async createFromServer(): Promise<string | null> {
    const made = await createSoftphone({
      api: {
        async request<T>(method: string, path: string): Promise<T> {
          const res = await fetch(`/api/v1${path}`, { method });
          if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
          return (await res.json()) as T;
        },
      },
    });
    if (made instanceof JsSipSoftphone) listen(made);
    return made ? made.kind : null;
  },
  async run(
    method:
      'start' | 'stop' | 'answer' | 'reject' | 'hangup' | 'mute' | 'sendDtmf' | 'setInputDevice' | 'setOutputDevice',
    arg?: unknown,
  ) {
    if (!phone) throw new Error('create the phone first');
    await (phone[method] as (a?: unknown) => Promise<void>).call(phone, arg);
  },
  /** The speaker the far end plays on ('' = system default). */
  sinkId() {
    return (remoteAudio as HTMLAudioElement & { sinkId?: string }).sinkId ?? null;
  },
  state() {
    return { registration: phone?.registration, call: phone?.call ?? null, microphoneInUse: phone?.microphoneInUse };
  },
  /** Live microphone tracks handed out so far (0 = every microphone released). */
  liveMicrophones() {
    return grabbed.flatMap((s) => s.getAudioTracks()).filter((t) => t.readyState === 'live').length;
  },
  /** The enabled flag of the newest microphone track (false while muted). */
  lastMicrophoneEnabled() {
    return grabbed.at(-1)?.getAudioTracks()[0]?.enabled ?? null;
  },
  /** A real WebRTC offer from a far-end peer connection (audio, all candidates gathered). */
  async makeOffer(): Promise<string> {
    caller?.close();
    caller = new RTCPeerConnection();
    caller.addTransceiver('audio', { direction: 'sendrecv' });
    caller.ontrack = (e) => {
      callerAudio.track = e.track;
    };
    await caller.setLocalDescription(await caller.createOffer());
    if (caller.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) =>
        caller!.addEventListener(
          'icegatheringstatechange',
          () => caller!.iceGatheringState === 'complete' && resolve(),
        ),
      );
    }
    return caller.localDescription!.sdp;
  },
  async acceptAnswer(sdp: string) {
    await caller!.setRemoteDescription({ type: 'answer', sdp });
  },
  /** RTP bytes the far end has received from the softphone so far. */
  async bytesFromSoftphone(): Promise<number> {
    if (!caller) return 0;
    let bytes = 0;
    (await caller.getStats()).forEach((r: { type: string; kind?: string; bytesReceived?: number }) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') bytes += r.bytesReceived ?? 0;
    });
    return bytes;
  },
  closeCaller() {
    caller?.close();
    caller = undefined;
  },
  checkBrowserSupport,
  listAudioDevices,
  microphonePermission,
  requestMicrophone,
  loadDevicePreferences,
  saveDevicePreferences,
};

/** What tests reach as `softphoneTest` in the page. */
export type SoftphoneTestApi = typeof api;

(globalThis as unknown as { softphoneTest: SoftphoneTestApi }).softphoneTest = api;
document.title = 'softphone test page ready';
