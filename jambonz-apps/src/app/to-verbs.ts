import type { CallAction, Prompt } from '@switchboard/core';
import {
  conference,
  configListen,
  dial,
  enqueue,
  gather,
  hangup,
  leave,
  listen,
  pause,
  phoneTarget,
  play,
  redirect,
  say,
  sipDecline,
  type GatherVerb,
  type Verb,
} from '../protocol/index.js';

/** Where the adapter's hooks live (relative: jambonz resolves them against the app's call hook). */
export const HOOKS = {
  call: '/jambonz/call',
  status: '/jambonz/status',
  ivr: '/jambonz/ivr',
  queueWait: '/jambonz/queue/wait',
  queueAction: '/jambonz/queue/action',
  queueEvent: '/jambonz/queue-event',
  agent: '/jambonz/agent',
  room: '/jambonz/room',
  redirect: '/jambonz/redirect',
  roomExit: '/jambonz/room-exit',
  hold: '/jambonz/hold',
  audio: '/jambonz/audio',
  dial: '/jambonz/dial',
  voicemail: '/jambonz/voicemail',
} as const;

/** What the translation needs to know about this deployment. */
export interface VerbContext {
  /** `ws(s)://host/jambonz/audio`: where audio forks go. */
  audioUrl: string;
  audioAuth?: { username: string; password: string };
  /** Sample rate of recordings. */
  sampleRate: number;
}

/** A prompt's TTS voice as a jambonz `synthesizer` (none: the application's defaults). */
function synthesizer(p: Prompt): { synthesizer?: { vendor: string; language?: string; voice?: string } } {
  return p.kind === 'say' && p.voice ? { synthesizer: { ...p.voice } } : {};
}

function promptVerb(p: Prompt): Verb {
  return p.kind === 'say' ? say(p.text, synthesizer(p)) : play(p.url);
}

/**
 * Turns core's vendor-neutral actions into jambonz 0.9.x verbs. The result is always checked
 * with verb-specifications before it leaves the adapter.
 */
export function toVerbs(actions: readonly CallAction[], vc: VerbContext): Verb[] {
  const verbs: Verb[] = [];
  for (const a of actions) {
    switch (a.type) {
      case 'prompt':
        verbs.push(promptVerb(a.prompt));
        break;
      case 'pause':
        verbs.push(pause(a.seconds));
        break;
      case 'collectDigits': {
        // A gather nests one prompt; earlier ones play before it (they cannot be barged into).
        const prompts = [...a.prompts];
        const allSay = prompts.every((p) => p.kind === 'say');
        const g: GatherVerb = gather({
          input: ['digits'],
          actionHook: `${HOOKS.ivr}?step=${encodeURIComponent(a.step)}`,
          timeout: a.timeoutSeconds,
          ...(a.numDigits ? { numDigits: a.numDigits } : {}),
          ...(a.minDigits ? { minDigits: a.minDigits } : {}),
          ...(a.maxDigits ? { maxDigits: a.maxDigits } : {}),
          ...(a.finishOnKey ? { finishOnKey: a.finishOnKey } : {}),
        });
        if (allSay && prompts.length) {
          g.say = { text: prompts.map((p) => (p.kind === 'say' ? p.text : '')).join(' '), ...synthesizer(prompts[0]!) };
        } else {
          const last = prompts.pop();
          for (const p of prompts) verbs.push(promptVerb(p));
          if (last?.kind === 'say') g.say = { text: last.text, ...synthesizer(last) };
          else if (last?.kind === 'play') g.play = { url: last.url };
        }
        verbs.push(g);
        break;
      }
      case 'enqueue':
        verbs.push(enqueue(a.queue, { waitHook: HOOKS.queueWait, actionHook: HOOKS.queueAction }));
        break;
      case 'joinRoom':
        if (a.record) {
          // A background fork of this leg: stereo = the caller, and what the caller hears.
          // jambonz skips a `config.listen` while one runs on the leg, so a rejoin (transfer,
          // return from an IVR) stops the running fork first: the new room gets its own part.
          verbs.push(
            configListen({ enable: false }),
            configListen({
              enable: true,
              url: vc.audioUrl,
              mixType: 'stereo',
              sampleRate: vc.sampleRate,
              metadata: { sessionId: a.record.sessionId, tenantId: a.record.tenantId },
              ...(vc.audioAuth ? { wsAuth: vc.audioAuth } : {}),
            }),
          );
        }
        verbs.push(
          conference(a.room, {
            beep: false,
            // Explicitly true: it also makes the member a moderator (research §2.6).
            startConferenceOnEnter: true,
            endConferenceOnExit: a.endRoomOnExit,
            memberTag: a.role,
            ...(a.joinMuted ? { joinMuted: true } : {}),
            ...(a.askOnExit ? { actionHook: HOOKS.roomExit } : {}),
          }),
        );
        break;
      case 'awaitResult':
        verbs.push(pause(a.seconds), redirect(HOOKS.redirect));
        break;
      case 'leaveQueue':
        verbs.push(leave());
        break;
      case 'dial': {
        // `dialMusic` takes a URL only: a spoken ringing prompt is said once before dialling,
        // after which the caller hears the carrier's ringback.
        if (a.ringingPrompt?.kind === 'say') verbs.push(say(a.ringingPrompt.text));
        verbs.push(
          dial(phoneTarget(a.number), {
            actionHook: `${HOOKS.dial}?step=${encodeURIComponent(a.step)}`,
            timeout: a.timeoutSeconds,
            ...(a.callerId ? { callerId: a.callerId } : {}),
            ...(a.ringingPrompt?.kind === 'play' ? { dialMusic: a.ringingPrompt.url } : {}),
            // The far-end leg's statuses carry the session, so core sees it answer.
            tag: { ...a.context },
            // Nested listen: forks from the bridge (the answer) to its end, stereo = the caller
            // and what they hear (the external party), like a room's recording.
            ...(a.record
              ? {
                  listen: {
                    url: vc.audioUrl,
                    mixType: 'stereo' as const,
                    sampleRate: vc.sampleRate,
                    metadata: { sessionId: a.record.sessionId, tenantId: a.record.tenantId },
                    ...(vc.audioAuth ? { wsAuth: vc.audioAuth } : {}),
                  },
                }
              : {}),
          }),
        );
        break;
      }
      case 'recordMessage':
        verbs.push(
          listen(vc.audioUrl, {
            mixType: 'mono',
            sampleRate: vc.sampleRate,
            metadata: { sessionId: a.record.sessionId, tenantId: a.record.tenantId, kind: 'voicemail' },
            ...(vc.audioAuth ? { wsAuth: vc.audioAuth } : {}),
            maxLength: a.maxLengthSeconds,
            finishOnKey: a.finishOnKey,
            playBeep: a.beep,
            actionHook: `${HOOKS.voicemail}?step=${encodeURIComponent(a.step)}`,
          }),
        );
        break;
      case 'reject':
        verbs.push(sipDecline(a.sipStatus, a.reason));
        break;
      case 'hangup':
        verbs.push(hangup());
        break;
    }
  }
  return verbs;
}
