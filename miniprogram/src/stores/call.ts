/**
 * The agent's one call at a time, as a card: a customer dialled from the mini-program (MP-03:
 * the server rings the agent's mobile, then the customer, OUT-04/OUT-05) with its progress live,
 * or an incoming call ringing on the agent's mobile with the customer's card from the CRM
 * plugin (MP-05). Fed by `/ws` events, or by {@link syncFrom} while polling.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError } from '../core/api';
import type { CallerLocation } from '@shared/call-card';
import { host } from '../core/host';
import type { AgentView } from './agent';

/** Where a call is, as the agent follows it. */
export type CallStage =
  // incoming
  | 'ringing'
  // placed by the agent (session.outbound)
  | 'dialingAgent'
  | 'agentAnswered'
  | 'dialingCustomer'
  | 'customerRinging'
  // both
  | 'connected'
  | 'ended';

export interface CallCard {
  sessionId: string;
  direction: 'inbound' | 'outbound' | 'internal';
  stage: CallStage;
  /** The customer as the agent may see them: masked under protection, or their ID (OUT-09/10). */
  customer: string;
  /** The company number of the call (dialled by the customer, or shown to them). */
  companyNumber: string | null;
  location: CallerLocation | null;
  skillGroupName: string | null;
  annotations: Record<string, unknown>;
  /** When the current stage began (ms). */
  since: number;
  /** Set when ended: the record's end status (`ok`, `notAnswer`, `clientError`…). */
  endStatus?: string;
}

/** `GET /sessions/:id`, the part the card needs. */
interface SessionView {
  id: string;
  state: string;
  direction: 'inbound' | 'outbound' | 'internal';
  caller: string;
  callee: string;
  callerLocation: CallerLocation | null;
  companyNumber: { number: string } | null;
  annotations: Record<string, unknown>;
  endStatusString?: string | null;
}

/** The `call.offer` event (IN-04…07). */
interface OfferEvent {
  sessionId: string;
  caller: string;
  callee: string;
  callerLocation: CallerLocation | null;
  companyNumber: { number: string } | null;
  skillGroupName: string | null;
  annotations: Record<string, unknown>;
  internalFrom?: { name: string };
}

/** The `session.outbound` event. */
interface OutboundEvent {
  sessionId: string;
  stage: Exclude<CallStage, 'ringing'>;
  callerId: string;
  callee: string;
  annotations: Record<string, unknown>;
  endStatusString?: string;
}

export const useCallStore = defineStore('call', () => {
  const current = ref<CallCard | null>(null);
  const placing = ref(false);
  const error = ref<string | null>(null);

  const live = computed(() => current.value !== null && current.value.stage !== 'ended');

  function stage(s: CallStage, extra: Partial<CallCard> = {}): void {
    if (!current.value) return;
    const changed = current.value.stage !== s;
    current.value = { ...current.value, ...extra, stage: s, since: changed ? Date.now() : current.value.since };
  }

  /**
   * Dials a customer by number (MP-03): the agent's mobile rings first, whatever their answer
   * mode, since a mini-program has no softphone. Resolves to whether the call was placed.
   */
  async function dial(to: string): Promise<boolean> {
    return place(() =>
      host().api.call<{ sessionId: string; callerId: string; callee: string }>('POST', '/calls/outbound', {
        to,
        device: 'mobile',
      }),
    );
  }

  /** Calls back the customer of an ended call the agent served (MP-04, CTL-07), on the mobile. */
  async function redial(sessionId: string, customer: string): Promise<boolean> {
    return place(async () => {
      const r = await host().api.call<{ sessionId: string }>('POST', `/sessions/${sessionId}/redial`, {
        device: 'mobile',
      });
      return { ...r, callerId: '', callee: customer };
    });
  }

  async function place(run: () => Promise<{ sessionId: string; callerId: string; callee: string }>) {
    placing.value = true;
    error.value = null;
    try {
      const r = await run();
      // An event of this session may have arrived before the answer: keep the later stage.
      if (current.value?.sessionId !== r.sessionId) {
        current.value = {
          sessionId: r.sessionId,
          direction: 'outbound',
          stage: 'dialingAgent',
          customer: r.callee,
          companyNumber: r.callerId || null,
          location: null,
          skillGroupName: null,
          annotations: {},
          since: Date.now(),
        };
      }
      return true;
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : String(err);
      return false;
    } finally {
      placing.value = false;
    }
  }

  /** Hangs up (or cancels a call still dialling). */
  async function hangup(): Promise<void> {
    const c = current.value;
    if (!c || c.stage === 'ended') return;
    error.value = null;
    try {
      await host().api.call('POST', `/sessions/${c.sessionId}/hangup`);
    } catch (err) {
      error.value = err instanceof ApiError ? err.message : String(err);
    }
  }

  /** Closes the card of an ended call. */
  function dismiss(): void {
    if (current.value?.stage === 'ended') current.value = null;
  }

  // ───────────────────────────── events ─────────────────────────────

  function onOffer(e: OfferEvent): void {
    current.value = {
      sessionId: e.sessionId,
      direction: e.internalFrom ? 'internal' : 'inbound',
      stage: 'ringing',
      customer: e.internalFrom ? `${e.internalFrom.name} (${e.caller})` : e.caller,
      companyNumber: e.companyNumber?.number ?? null,
      location: e.callerLocation,
      skillGroupName: e.skillGroupName,
      annotations: e.annotations ?? {},
      since: Date.now(),
    };
  }

  function onOutbound(e: OutboundEvent): void {
    if (current.value?.sessionId !== e.sessionId) {
      current.value = {
        sessionId: e.sessionId,
        direction: 'outbound',
        stage: e.stage,
        customer: e.callee,
        companyNumber: e.callerId,
        location: null,
        skillGroupName: null,
        annotations: e.annotations ?? {},
        since: Date.now(),
      };
    }
    stage(e.stage, {
      customer: e.callee,
      companyNumber: e.callerId,
      annotations: e.annotations ?? current.value?.annotations ?? {},
      ...(e.endStatusString ? { endStatus: e.endStatusString } : {}),
    });
  }

  function onAccepted(e: { sessionId: string }): void {
    if (current.value?.sessionId === e.sessionId && current.value.direction !== 'outbound') stage('connected');
  }

  function onWithdrawn(e: { sessionId: string; reason: string }): void {
    if (current.value?.sessionId === e.sessionId && current.value.stage === 'ringing')
      stage('ended', { endStatus: e.reason });
  }

  function onEnded(e: { sessionId: string; endStatusString: string }): void {
    if (current.value?.sessionId === e.sessionId) stage('ended', { endStatus: e.endStatusString });
  }

  function onAnnotated(e: { sessionId: string; key: string; value: Record<string, unknown> }): void {
    if (current.value?.sessionId !== e.sessionId) return;
    current.value = { ...current.value, annotations: { ...current.value.annotations, [e.key]: e.value } };
  }

  /**
   * Polling (no socket): the agent's current call, read from the session view. A call that is
   * no longer current has ended.
   */
  async function syncFrom(agent: AgentView | null): Promise<void> {
    const id = agent?.currentSessionId ?? null;
    if (!id || !agent || !['ringing', 'busy', 'afterCallWork'].includes(agent.state)) {
      if (current.value && current.value.stage !== 'ended') stage('ended');
      return;
    }
    const s = await host().api.call<SessionView>('GET', `/sessions/${id}`);
    const outbound = s.direction === 'outbound';
    const next: CallStage =
      s.state === 'ended' || agent.state === 'afterCallWork'
        ? 'ended'
        : s.state === 'bridged'
          ? 'connected'
          : outbound
            ? current.value?.sessionId === id
              ? current.value.stage
              : 'dialingAgent'
            : 'ringing';
    if (current.value?.sessionId !== id) {
      current.value = {
        sessionId: id,
        direction: s.direction,
        stage: next,
        customer: outbound ? s.callee : s.caller,
        companyNumber: s.companyNumber?.number ?? null,
        location: s.callerLocation,
        skillGroupName: null,
        annotations: s.annotations ?? {},
        since: Date.now(),
      };
    } else {
      stage(next, { annotations: s.annotations ?? {} });
    }
  }

  return {
    current,
    placing,
    error,
    live,
    dial,
    redial,
    hangup,
    dismiss,
    onOffer,
    onOutbound,
    onAccepted,
    onWithdrawn,
    onEnded,
    onAnnotated,
    syncFrom,
  };
});
