/**
 * IVR flows that several live-call test files run. Each builder names, in its doc, what the
 * caller hears; the tests assert on those words, so they stay visible where they matter.
 */
import type { z } from 'zod';
import type { IvrGraphInput, promptSchema, transferNodeSchema } from '../../../core/src/modules/ivr/flow-model.js';
import { say } from './ivr-world.js';

/** The caller's question after the queue timeout (IVR-16, IVR-17). */
export const KEEP_WAITING = 'Press any key to keep waiting, or hash to leave.';

/** A flow that only queues the caller for `skillGroupId`; `node` adds to the transfer node. */
export function salesQueue(
  skillGroupId: string,
  node: Partial<z.input<typeof transferNodeSchema>> = {},
): IvrGraphInput {
  return {
    start: 'to-sales',
    nodes: [
      { id: 'to-sales', type: 'transfer', label: 'Sales queue', target: { type: 'skillGroup', skillGroupId }, ...node },
    ],
  };
}

/**
 * The sales queue ("Please hold.") whose timeout, after 40 s of waiting, asks {@link KEEP_WAITING}
 * with 30 s to answer. `node` adds to the transfer node (priority, hold music…).
 */
export function queueWithTimeout(
  skillGroupId: string,
  node: Partial<z.input<typeof transferNodeSchema>> = {},
): IvrGraphInput {
  return salesQueue(skillGroupId, {
    waitPrompt: say('Please hold.'),
    queueTimeoutSeconds: 40,
    queueTimeoutPrompt: say(KEEP_WAITING),
    // Generous: at timeScale 0.05 this is 1.5 s of wall time to answer.
    queueTimeoutKeySeconds: 30,
    ...node,
  });
}

/**
 * The sales queue, then, once the agent hangs up, a survey that asks "How did we do? Press 1
 * to 5." (IVR-22).
 */
export function starSurveyAfterSales(skillGroupId: string): IvrGraphInput {
  return {
    start: 'to-sales',
    nodes: [
      {
        id: 'to-sales',
        type: 'transfer',
        label: 'Sales',
        target: { type: 'skillGroup', skillGroupId },
        afterAgentNext: 'survey',
      },
      {
        id: 'survey',
        type: 'survey',
        label: 'Satisfaction',
        prompt: say('How did we do? Press 1 to 5.'),
        options: [1, 2, 3, 4, 5].map((k) => ({ key: String(k), label: `${k} stars` })),
        timeoutSeconds: 60,
      },
    ],
  };
}

/**
 * Voicemail (IVR-31): "Please leave a message after the tone.", a beep, up to 60 s ended by `#`,
 * then "Thank you, goodbye."; the message's id lands in `${MessageId}`.
 */
export function voicemailFlow(): IvrGraphInput {
  return {
    start: 'vm',
    nodes: [
      {
        id: 'vm',
        type: 'voicemail',
        label: 'Voicemail',
        prompt: say('Please leave a message after the tone.'),
        maxLengthSeconds: 60,
        finishOnKey: '#',
        beep: true,
        thanksPrompt: say('Thank you, goodbye.'),
        variable: 'MessageId',
      },
    ],
  };
}

/**
 * An external transfer to the partner at `number` (IVR-25), ringing `timeoutSeconds`. With
 * `fail`, a number that does not answer is told "Nobody answered." and then "Goodbye.".
 */
export function externalTransfer(opts: {
  number: string;
  timeoutSeconds: number;
  ringingPrompt?: z.input<typeof promptSchema>;
  fail?: boolean;
}): IvrGraphInput {
  return {
    start: 'out',
    nodes: [
      {
        id: 'out',
        type: 'externalTransfer',
        label: 'Partner',
        number: opts.number,
        ...(opts.ringingPrompt ? { ringingPrompt: opts.ringingPrompt } : {}),
        timeoutSeconds: opts.timeoutSeconds,
        ...(opts.fail ? { failPrompt: say('Nobody answered.'), failNext: 'bye' } : {}),
      },
      ...(opts.fail ? [{ id: 'bye', type: 'hangup' as const, label: 'Bye', prompt: say('Goodbye.') }] : []),
    ],
  };
}
