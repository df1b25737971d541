import type { AgentState } from './schema.js';

/**
 * Who causes a state change:
 * - `self`: the agent, through the API (workbench, SDK);
 * - `system`: the call logic (ACD offers, answers, hang-ups, wrap-up timer);
 * - `admin`: an administrator acting on someone else's agent (ADM-12 force offline).
 */
export const ACTORS = ['self', 'system', 'admin'] as const;
export type Actor = (typeof ACTORS)[number];

/**
 * The agent state machine (AGT-01, DESIGN.md "Agent state machine"): from → to → who may cause
 * it. Every state change goes through {@link AgentService.transition}, which refuses anything
 * not listed here — for the API that is `409 invalid_state_transition`, for the call logic a bug.
 *
 * - idle (示闲): routable.
 * - notReady (示忙) and rest (小休, with a configured reason): no inbound offers; the agent may
 *   still dial out, hence `→ busy` by the system (OUT-01). After such a call (and its wrap-up)
 *   the system gives them that state back, hence `busy | afterCallWork → notReady | rest`.
 * - ringing: offered a call; only the call logic (answer, miss, caller gone) or an admin moves on.
 *   A device that cannot be rung or that declines puts its agent on notReady, so callers are not
 *   thrown at it in a loop (like Asterisk `autopauseunavail` / `autopausebusy`).
 * - busy: on a call; the call logic ends it into afterCallWork (or idle without wrap-up).
 * - afterCallWork (话后整理): no offers until the agent ends it or the timer does (CTL-06, RT-06).
 * - offline: only the agent comes back (login puts them in the tenant's default state, AGT-02).
 *
 * Staying in a state is not a transition; the service treats it as a no-op, except `rest → rest`
 * which changes the reason.
 */
export const TRANSITIONS: Readonly<Record<AgentState, Readonly<Partial<Record<AgentState, readonly Actor[]>>>>> = {
  offline: { idle: ['self'], notReady: ['self'] },
  idle: {
    notReady: ['self'],
    rest: ['self'],
    offline: ['self', 'admin'],
    ringing: ['system'],
    busy: ['system'],
  },
  notReady: { idle: ['self'], rest: ['self'], offline: ['self', 'admin'], busy: ['system'] },
  rest: { idle: ['self'], notReady: ['self'], rest: ['self'], offline: ['self', 'admin'], busy: ['system'] },
  ringing: { idle: ['system'], busy: ['system'], notReady: ['system'], offline: ['admin'] },
  // busy → notReady: an internal call (AGT-04) made while notReady gives the agent back to notReady.
  busy: { afterCallWork: ['system'], idle: ['system'], offline: ['admin'], notReady: ['system'], rest: ['system'] },
  afterCallWork: {
    idle: ['self', 'system'],
    notReady: ['self', 'system'],
    rest: ['self', 'system'],
    offline: ['self', 'admin'],
  },
};

/** True when `actor` may move an agent from `from` to `to`. */
export function canTransition(from: AgentState, to: AgentState, actor: Actor): boolean {
  return TRANSITIONS[from][to]?.includes(actor) ?? false;
}

/** Every state from which `actor` may move an agent to `to`. */
export function statesFrom(to: AgentState, actor: Actor): AgentState[] {
  return (Object.keys(TRANSITIONS) as AgentState[]).filter((from) => canTransition(from, to, actor));
}
