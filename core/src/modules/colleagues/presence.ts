import type { AgentState } from '../agents/schema.js';

/**
 * What colleagues see of an agent's state (AGT-04): whether they can be called or handed a
 * call, in the workbench's words. `ringing` is offered a call (not free, not talking yet).
 */
export const PRESENCE_STATES = ['idle', 'ringing', 'onCall', 'wrapUp', 'notReady', 'rest', 'offline'] as const;
export type Presence = (typeof PRESENCE_STATES)[number];

const BY_STATE: Record<AgentState, Presence> = {
  idle: 'idle',
  ringing: 'ringing',
  busy: 'onCall',
  afterCallWork: 'wrapUp',
  notReady: 'notReady',
  rest: 'rest',
  offline: 'offline',
};

/** The presence of an agent state. */
export function presenceOf(state: AgentState): Presence {
  return BY_STATE[state];
}
