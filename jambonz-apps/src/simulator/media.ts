import type { PlayVerb, SayVerb, Synthesizer, Verb } from '../protocol/verbs.js';
import type { SimLeg } from './call-leg.js';
import type { Engine } from './engine.js';

/** Simulated TTS speed: 60 ms per character (≈ 150 words per minute). */
export const SAY_MS_PER_CHAR = 60;
/** Shortest simulated TTS prompt. */
export const MIN_SAY_MS = 500;

/** The application's speech defaults (the simulator's `defaults.synthesizer`): a `say` without its own synthesizer uses them. */
export const DEFAULT_SYNTHESIZER: Synthesizer = { vendor: 'google', language: 'en-US', voice: 'en-US-Standard-C' };

/** Simulated length of a TTS prompt. */
export function sayDurationMs(text: string): number {
  return Math.max(MIN_SAY_MS, text.length * SAY_MS_PER_CHAR);
}

/** `loop` semantics of say/play in FS: 'forever' repeats until killed, 0/absent plays once. */
function loopCount(loop: number | string | undefined): number {
  if (loop === 'forever') return Number.POSITIVE_INFINITY;
  const n = typeof loop === 'string' ? Number.parseInt(loop, 10) : loop;
  return n && n > 0 ? n : 1;
}

/** Plays a `say` to the leg's far end; false when interrupted. */
export async function playSay(
  engine: Engine,
  leg: SimLeg,
  verb: Omit<SayVerb, 'verb'>,
  signal: AbortSignal,
): Promise<boolean> {
  const texts = Array.isArray(verb.text) ? verb.text : [verb.text];
  const loops = loopCount(verb.loop);
  for (let i = 0; i < loops; i++) {
    for (const text of texts) {
      if (signal.aborted || leg.gone) return false;
      leg.hear(text, verb.synthesizer ?? DEFAULT_SYNTHESIZER);
      leg.promptStarted(text);
      const completed = await engine.clock.sleep(sayDurationMs(text), signal);
      leg.promptEnded(text, !completed);
      if (!completed) return false;
    }
  }
  return true;
}

/**
 * Plays a `play` to the leg's far end. `playedMs` is the nominal length of what was played when
 * it completed (so reports do not depend on timer jitter), the elapsed time when interrupted.
 */
export async function playUrls(
  engine: Engine,
  leg: SimLeg,
  verb: Omit<PlayVerb, 'verb' | 'actionHook'>,
  signal: AbortSignal,
): Promise<{ completed: boolean; playedMs: number }> {
  const urls = Array.isArray(verb.url) ? verb.url : [verb.url];
  const loops = loopCount(verb.loop);
  let played = 0;
  for (let i = 0; i < loops; i++) {
    for (const url of urls) {
      if (signal.aborted || leg.gone) return { completed: false, playedMs: played };
      leg.hear(url);
      let ms = engine.playDurationMs(url);
      if (verb.timeoutSecs !== undefined) ms = Math.min(ms, Number(verb.timeoutSecs) * 1000);
      const started = engine.clock.now();
      leg.promptStarted(url);
      const completed = await engine.clock.sleep(ms, signal);
      leg.promptEnded(url, !completed);
      if (!completed) {
        return { completed: false, playedMs: played + Math.min(ms, engine.clock.now() - started) };
      }
      played += ms;
    }
  }
  return { completed: true, playedMs: played };
}

/**
 * Runs the verbs of a waitHook/hold-hook response (FS "ConfirmCallSession"): only the verbs in
 * `allowed` may appear (the caller checked that). Returns 'leave' when a `leave` verb is reached.
 */
export async function runPromptVerbs(
  engine: Engine,
  leg: SimLeg,
  verbs: Verb[],
  signal: AbortSignal,
): Promise<'done' | 'aborted' | 'leave'> {
  for (const verb of verbs) {
    if (signal.aborted || leg.gone) return 'aborted';
    switch (verb.verb) {
      case 'say':
        if (!(await playSay(engine, leg, verb, signal))) return 'aborted';
        break;
      case 'play':
        if (!(await playUrls(engine, leg, verb, signal)).completed) return 'aborted';
        break;
      case 'pause':
        if (!(await engine.clock.sleep(verb.length * 1000, signal))) return 'aborted';
        break;
      case 'tag':
        leg.customerData = verb.data;
        break;
      case 'leave':
        return 'leave';
      default:
        break;
    }
  }
  return 'done';
}
