/**
 * Calls the agent places from the workbench (OUT-01/03/06/07/09, CTL-07): the dial pad's open
 * state and draft, the numbers the agent may show, and the one call being dialled or talked on.
 *
 * The call follows `session.outbound` (their device rings → they answered → the customer is
 * dialled → rings → connected → ended). Events may arrive before the `POST` answers, so both
 * the answer and the first event may start the card; a stage never goes back. After a
 * reconnect (or a reload during a call) the session is read again over REST.
 *
 * The callee is shown exactly as the server sends it: masked for agents when the tenant protects
 * numbers (OUT-09); the real number is never asked for.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, quiet, unwrap, type Schemas } from '@/api/request';
import type { OutboundStage, ServerEvents } from '@/api/realtime-events';
import { isCustomerId } from '@/components/outbound/dial-input';
import { useAgentStore } from './agent';
import { useAuthStore } from './auth';
import { useRealtimeStore } from './realtime';

/** A number the agent may show the customer (OUT-07). */
export type CallerId = Schemas['OutboundCallerIds']['items'][number];

/** The call on the dialling card. */
export interface OutboundCall {
  sessionId: string;
  kind: 'outbound' | 'redial';
  stage: OutboundStage;
  /** The company number the customer sees. */
  callerId: string;
  /** The customer's number as the server sent it (masked under number protection). */
  callee: string;
  /** When the card appeared (epoch ms), for the dialling timer. */
  startedAt: number;
  /** When the customer answered (epoch ms). */
  connectedAt: number | null;
  endedAt: number | null;
  endStatusString: string | null;
  hungUpSide: 'user' | 'seat' | 'system' | null;
  /** Digits sent with the in-call keypad (OUT-06), shown back to the agent. */
  digitsSent: string;
  /** An extension pasted with the number, to key in after connect. */
  extension: string;
}

/** The order of the stages: an event for an earlier stage than the card shows is stale. */
export const STAGE_ORDER: readonly OutboundStage[] = [
  'dialingAgent',
  'agentAnswered',
  'dialingCustomer',
  'customerRinging',
  'connected',
  'ended',
];

/** Why the pad cannot dial now (shown with the disabled button), or null. */
export type DialBlock = 'offline' | 'ringing' | 'onCall' | 'wrapUp' | 'dialling' | 'notAgent' | null;

export const useOutboundStore = defineStore('outbound', () => {
  const auth = useAuthStore();
  const agent = useAgentStore();
  const realtime = useRealtimeStore();

  /** The dial pad panel is open. */
  const padOpen = ref(false);
  /** What is typed in the pad (normalised). */
  const draft = ref('');
  /** An extension pasted with the number. */
  const draftExtension = ref('');
  const callerIds = ref<CallerId[]>([]);
  const callerIdsLoaded = ref(false);
  /** The chosen caller ID (`callerNumberId`); null = the server's choice (OUT-07). */
  const callerNumberId = ref<string | null>(null);
  const call = ref<OutboundCall | null>(null);
  /** A dial request is in flight. */
  const placing = ref(false);
  /** A hang-up request is in flight. */
  const hangingUp = ref(false);
  /**
   * What this tab dialled last (the number as the agent typed it, which they know anyway), so
   * "call again" dials it again even when the server shows it masked.
   */
  let lastDialled: { sessionId: string; to: string; extension: string } | null = null;

  const live = computed(() => call.value !== null && call.value.stage !== 'ended');

  const block = computed<DialBlock>(() => {
    if (agent.notAgent) return 'notAgent';
    if (live.value || placing.value) return 'dialling';
    switch (agent.state) {
      case 'offline':
        return 'offline';
      case 'ringing':
        return 'ringing';
      case 'busy':
        return 'onCall';
      case 'afterCallWork':
        return 'wrapUp';
      default:
        return null;
    }
  });

  function openPad(number?: string): void {
    if (number !== undefined) {
      draft.value = number;
      draftExtension.value = '';
    }
    padOpen.value = true;
    if (!callerIdsLoaded.value) void loadCallerIds();
  }

  async function loadCallerIds(): Promise<void> {
    const r = await api.GET('/api/v1/calls/outbound/caller-ids', { ...quiet });
    if (!r.data) return;
    callerIds.value = r.data.items;
    callerIdsLoaded.value = true;
    if (callerNumberId.value && !r.data.items.some((c) => c.id === callerNumberId.value)) callerNumberId.value = null;
  }

  function stageRank(s: OutboundStage): number {
    return STAGE_ORDER.indexOf(s);
  }

  /** Applies a progress event of a call this agent places. */
  function apply(data: ServerEvents['session.outbound']): void {
    if (data.agentId !== auth.user?.id) return;
    // The card's times are this browser's (when each step arrived), never mixed with the
    // server's clock: a skew between the two would show a wrong duration.
    const at = Date.now();
    const current = call.value;
    if (!current || current.sessionId !== data.sessionId) {
      // A new call (placed here, in another tab, or a redial from the record list) takes the card;
      // a late event of a call already replaced does not.
      if (current && current.stage !== 'ended' && data.stage === 'ended') return;
      call.value = {
        sessionId: data.sessionId,
        kind: data.kind,
        stage: data.stage,
        callerId: data.callerId,
        callee: data.callee,
        startedAt: at,
        connectedAt: data.stage === 'connected' ? at : null,
        endedAt: data.stage === 'ended' ? at : null,
        endStatusString: data.endStatusString ?? null,
        hungUpSide: data.hungUpSide ?? null,
        digitsSent: '',
        extension: '',
      };
      return;
    }
    if (stageRank(data.stage) <= stageRank(current.stage)) return;
    call.value = {
      ...current,
      stage: data.stage,
      callerId: data.callerId || current.callerId,
      callee: data.callee || current.callee,
      connectedAt: data.stage === 'connected' ? at : current.connectedAt,
      endedAt: data.stage === 'ended' ? at : current.endedAt,
      endStatusString: data.endStatusString ?? current.endStatusString,
      hungUpSide: data.hungUpSide ?? current.hungUpSide,
    };
  }

  /** The card for a call the server just accepted (unless its events got here first). */
  function begin(
    sessionId: string,
    kind: OutboundCall['kind'],
    callerId: string,
    callee: string,
    extension = '',
  ): void {
    if (call.value?.sessionId === sessionId) {
      if (extension) call.value = { ...call.value, extension };
      return;
    }
    call.value = {
      sessionId,
      kind,
      stage: 'dialingAgent',
      callerId,
      callee,
      startedAt: Date.now(),
      connectedAt: null,
      endedAt: null,
      endStatusString: null,
      hungUpSide: null,
      digitsSent: '',
      extension,
    };
  }

  /**
   * Dials `to` (OUT-01/03). Resolves true once the server accepted the call; a refusal (on a
   * call, no device, an invalid number…) is shown by the API client with the server's message.
   */
  async function dial(to: string, extension = ''): Promise<boolean> {
    if (placing.value || block.value) return false;
    placing.value = true;
    try {
      const r = unwrap(
        await api.POST('/api/v1/calls/outbound', {
          body: {
            // OUT-10: an ID the agent knows the customer by; the server dials the number behind it.
            ...(isCustomerId(to) ? { customerId: to } : { to }),
            ...(callerNumberId.value ? { callerNumberId: callerNumberId.value } : {}),
          },
        }),
      );
      begin(r.sessionId, 'outbound', r.callerId, r.callee, extension);
      lastDialled = { sessionId: r.sessionId, to, extension };
      draft.value = '';
      draftExtension.value = '';
      return true;
    } catch {
      return false;
    } finally {
      placing.value = false;
    }
  }

  /**
   * Calls the customer of an ended call back (CTL-07), from the record list when the number is
   * masked: the server knows it, the agent never sees it.
   */
  async function redial(sessionId: string): Promise<boolean> {
    // A callback may end the wrap-up (the server allows it); anything else blocks it.
    if (placing.value || (block.value && block.value !== 'wrapUp')) return false;
    placing.value = true;
    try {
      const r = unwrap(
        await api.POST('/api/v1/sessions/{id}/redial', { params: { path: { id: sessionId } }, body: {} }),
      );
      const id = (r as { sessionId?: string } | undefined)?.sessionId;
      if (id) begin(id, 'redial', '', '');
      return true;
    } catch {
      return false;
    } finally {
      placing.value = false;
    }
  }

  /**
   * Calls the customer of the ended call on the card again: the number this tab dialled, or
   * (a call placed elsewhere, a redial, or during wrap-up) the server's callback of that call.
   */
  async function callAgain(): Promise<boolean> {
    const c = call.value;
    if (!c || c.stage !== 'ended') return false;
    // In wrap-up only a callback may dial (it ends the wrap-up); otherwise the typed number again.
    if (lastDialled?.sessionId === c.sessionId && !block.value) return dial(lastDialled.to, lastDialled.extension);
    return redial(c.sessionId);
  }

  /** Cancels the call being dialled, or hangs up the connected one. */
  async function hangUp(): Promise<void> {
    const c = call.value;
    if (!c || c.stage === 'ended' || hangingUp.value) return;
    hangingUp.value = true;
    try {
      await api.POST('/api/v1/sessions/{id}/hangup', { params: { path: { id: c.sessionId } } });
    } finally {
      hangingUp.value = false;
    }
  }

  /** Sends extension digits after connect (OUT-06). */
  async function sendDigits(digits: string): Promise<boolean> {
    const c = call.value;
    if (!c || c.stage !== 'connected' || !digits) return false;
    const r = await api.POST('/api/v1/sessions/{id}/dtmf', {
      params: { path: { id: c.sessionId } },
      body: { digits },
    });
    if (!r.response.ok) return false;
    if (call.value?.sessionId === c.sessionId)
      call.value = { ...call.value, digitsSent: call.value.digitsSent + digits };
    return true;
  }

  /** Takes the ended call off the card. */
  function dismiss(): void {
    if (call.value?.stage === 'ended') call.value = null;
  }

  /**
   * Reads the live call again (after a reconnect or a reload): an outbound session of this agent
   * still running keeps (or regains) its card; one that ended meanwhile shows as ended.
   */
  async function resync(): Promise<void> {
    const id = call.value?.sessionId ?? agent.agent?.currentSessionId ?? null;
    if (!id) return;
    const r = await api.GET('/api/v1/sessions/{id}', { params: { path: { id } }, ...quiet });
    const s = r.data as (Schemas['Session'] & { direction?: string }) | undefined;
    if (!s) return;
    if (!call.value) {
      if (s.direction !== 'outbound' || s.state === 'ended') return;
      begin(s.id, 'outbound', s.caller, s.callee);
    }
    const c = call.value;
    if (!c || c.sessionId !== s.id) return;
    if (s.state === 'ended' && c.stage !== 'ended') {
      call.value = { ...c, stage: 'ended', endedAt: Date.now() };
    } else if (s.state === 'bridged' && stageRank(c.stage) < stageRank('connected')) {
      call.value = { ...c, stage: 'connected', connectedAt: Date.now() };
    }
  }

  realtime.on('session.outbound', apply);
  realtime.onResync('outbound', resync);

  function $reset(): void {
    padOpen.value = false;
    draft.value = '';
    draftExtension.value = '';
    callerIds.value = [];
    callerIdsLoaded.value = false;
    callerNumberId.value = null;
    call.value = null;
    lastDialled = null;
  }

  return {
    padOpen,
    draft,
    draftExtension,
    callerIds,
    callerIdsLoaded,
    callerNumberId,
    call,
    placing,
    hangingUp,
    live,
    block,
    openPad,
    loadCallerIds,
    apply,
    dial,
    redial,
    callAgain,
    hangUp,
    sendDigits,
    dismiss,
    resync,
    $reset,
  };
});
