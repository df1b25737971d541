/**
 * The ring of an incoming call (ui-anchors W3, R4): a tone made with the Web Audio API (no audio
 * file to fetch), looped until the offer ends. Browsers keep audio locked until the user
 * interacts with the page, so the context is resumed on the first click or key press, as
 * Chatwoot's `App.vue` does; `soundReady` tells the screen to say so while it is not.
 *
 * @example
 * const ring = useRingtone();
 * watch(ringing, (on) => (on ? ring.start() : ring.stop()));
 */
import { readonly, ref, type Ref } from 'vue';

/** One ring: two short bursts of 440+480 Hz (a familiar phone ring), then silence. */
const BURSTS = [
  { at: 0, length: 0.4 },
  { at: 0.6, length: 0.4 },
];
/** A ring every this many seconds. */
export const RING_PERIOD_S = 2.5;
const VOLUME = 0.18;

type Ctx = AudioContext;

const soundReady = ref(false);
const playing = ref(false);
let ctx: Ctx | undefined;
let timer: ReturnType<typeof setInterval> | undefined;
let listening = false;
let gain: GainNode | undefined;

function context(): Ctx | undefined {
  if (ctx) return ctx;
  const Impl = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
  if (!Impl) return undefined;
  ctx = new Impl();
  ctx.onstatechange = () => (soundReady.value = ctx?.state === 'running');
  soundReady.value = ctx.state === 'running';
  return ctx;
}

/** Resumes audio on the first user gesture (and again after the browser suspends it). */
function unlock(): void {
  const c = context();
  if (!c) return;
  if (c.state !== 'running') void c.resume().then(() => (soundReady.value = c.state === 'running'));
}

function listenForGesture(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  for (const type of ['pointerdown', 'keydown'] as const) window.addEventListener(type, unlock, { capture: true });
}

function ringOnce(c: Ctx, out: AudioNode): void {
  const t0 = c.currentTime + 0.05;
  for (const b of BURSTS) {
    const env = c.createGain();
    env.gain.setValueAtTime(0, t0 + b.at);
    env.gain.linearRampToValueAtTime(1, t0 + b.at + 0.02);
    env.gain.setValueAtTime(1, t0 + b.at + b.length - 0.02);
    env.gain.linearRampToValueAtTime(0, t0 + b.at + b.length);
    env.connect(out);
    for (const f of [440, 480]) {
      const osc = c.createOscillator();
      osc.frequency.value = f;
      osc.connect(env);
      osc.start(t0 + b.at);
      osc.stop(t0 + b.at + b.length + 0.01);
    }
  }
}

/** Starts the looping ring (no-op while ringing, or where the browser has no Web Audio). */
function start(): void {
  listenForGesture();
  if (playing.value) return;
  const c = context();
  playing.value = true;
  if (!c) return;
  if (c.state !== 'running') void c.resume().catch(() => undefined);
  gain = c.createGain();
  gain.gain.value = VOLUME;
  gain.connect(c.destination);
  const out = gain;
  // A suspended context plays nothing and schedules nothing: the next tick rings once unlocked.
  const tick = () => {
    if (c.state === 'running') ringOnce(c, out);
  };
  tick();
  timer = setInterval(tick, RING_PERIOD_S * 1000);
}

/** Stops the ring at once. */
function stop(): void {
  clearInterval(timer);
  timer = undefined;
  playing.value = false;
  gain?.disconnect();
  gain = undefined;
}

export interface Ringtone {
  /** Audio is unlocked (the user interacted with the page); until then nothing can be heard. */
  soundReady: Readonly<Ref<boolean>>;
  /** The ring is on (audible only when `soundReady`). */
  playing: Readonly<Ref<boolean>>;
  start(): void;
  stop(): void;
}

/** The app's one ringtone (shared by every caller). */
export function useRingtone(): Ringtone {
  listenForGesture();
  context();
  return { soundReady: readonly(soundReady), playing: readonly(playing), start, stop };
}
