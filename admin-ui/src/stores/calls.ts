/**
 * The agent's call, from offer to wrap-up (issue 10 items 5, 6): one store the call screens
 * read, fed by the realtime events (`call.offer`, `call.offer.withdrawn`, `call.accepted`,
 * `session.*`, `call.ended`, `agent.status`) and re-read over REST after a reload or a
 * reconnect (events are hints, ADR 0007). Actions go to `/sessions/:id/…` on the server, and
 * answering and declining go to the softphone through the phone store.
 *
 * Phases: `idle` → `ringing` (an offer; or the agent's own phone ringing for a redial) →
 * `active` (talking) → `wrapUp` (while the server keeps the agent in afterCallWork) → `idle`.
 *
 * @example
 * const calls = useCallsStore();
 * calls.phase;            // 'ringing'
 * await calls.answer();   // the softphone picks up; `call.accepted` makes it `active`
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { api, quiet, unwrap } from '@/api/request';
import type { OutboundStage, ServerEvents } from '@/api/realtime-events';
import { useAgentStore } from './agent';
import { useAuthStore } from './auth';
import {
  endedByOf,
  infoFromOffer,
  infoFromOutbound,
  infoFromView,
  liveFrom,
  withdrawnKind,
  type CallInfo,
  type EndedBy,
  type EndedCall,
  type LiveCall,
  type OfferEvent,
  type Party,
  type RingingCall,
  type SessionView,
} from './call-model';
import { usePhoneStore } from './phone';
import { useRealtimeStore } from './realtime';

export type CallPhase = 'idle' | 'ringing' | 'dialing' | 'active' | 'wrapUp';

/** Something the agent should be told once (a toast). */
export interface CallNotice {
  id: number;
  kind: 'missed' | 'callerGone' | 'rejected' | 'partyFailed' | 'transferred' | 'dialFailed';
  /** The customer's number as shown (masked under protection). */
  number?: string;
  detail?: string;
}

/** A transfer target (CTL-03/04/05). */
export type TransferTarget =
  | { type: 'skillGroup'; skillGroupId: string }
  | { type: 'agent'; agentId: string }
  | { type: 'external'; number: string };

/** A three-way party (CTL-09). */
export type PartyTarget = { type: 'agent'; agentId: string } | { type: 'external'; number: string };

/** A call the agent is placing. */
export interface Dialing {
  sessionId: string;
  info: CallInfo;
  startedAt: number;
  stage: OutboundStage | null;
}

export type NotesStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

/** Debounce of the notes autosave. */
export const NOTES_DEBOUNCE_MS = 800;

/** The server keeps this much of a call's notes. */
export const NOTES_MAX = 4000;

/** Where offers ring and whether the softphone answers by itself (IN-02/03). */
export interface Answering {
  answerMode: 'webrtc' | 'mobileAlways' | 'mobileWhenOffline';
  autoAnswer: boolean;
}

const REST_STATES = new Set(['idle', 'notReady', 'rest', 'offline']);

/** What {@link run} resolves to when an action failed. */
const FAILED = Symbol('failed');

type Id = { params: { path: { id: string } } };
const sid = (id: string): Id => ({ params: { path: { id } } });

const EMPTY_VIEW: SessionView = {
  id: '',
  state: 'bridged',
  caller: '',
  held: false,
  agentMuted: false,
  ivrKeys: [],
  variables: {},
  notes: null,
};

export const useCallsStore = defineStore('calls', () => {
  const auth = useAuthStore();
  const agent = useAgentStore();
  const realtime = useRealtimeStore();
  const phone = usePhoneStore();

  const ringing = ref<RingingCall | null>(null);
  const live = ref<LiveCall | null>(null);
  const ended = ref<EndedCall | null>(null);
  /**
   * A call the agent placed (redial CTL-07, outbound OUT-01): their own phone rings first, then
   * the customer's; `stage` as `session.outbound` tells it.
   */
  const dialing = ref<Dialing | null>(null);
  /** The last placed call that ended before connecting, so a late event does not reopen it. */
  let closedDial: string | null = null;
  const notice = ref<CallNotice | null>(null);
  const answering = ref<Answering | null>(null);
  const edition = ref<'standard' | 'advanced' | null>(null);
  /** An action is under way (buttons show it and do not fire twice). */
  const busy = ref<Record<string, boolean>>({});
  /** Answer was pressed: waiting for the server to say the call is ours. */
  const accepting = ref(false);
  /** A transfer was asked for: waiting for `session.transferred`. */
  const transferring = ref<TransferTarget | null>(null);

  const notes = ref('');
  const notesSessionId = ref<string | null>(null);
  const notesStatus = ref<NotesStatus>('idle');
  let notesTimer: ReturnType<typeof setTimeout> | undefined;
  let notesSaving: Promise<void> | undefined;
  let noticeSeq = 0;

  const me = computed(() => auth.user?.id ?? null);
  const advanced = computed(() => edition.value === 'advanced');
  const autoAnswer = computed(() => answering.value?.autoAnswer === true || phone.ringing?.autoAnswer === true);
  const onMobile = computed(() => answering.value?.answerMode === 'mobileAlways');

  const phase = computed<CallPhase>(() => {
    if (live.value) return 'active';
    if (ringing.value) return 'ringing';
    if (dialing.value) return 'dialing';
    if (ended.value && (agent.state === 'afterCallWork' || agent.state === 'busy')) return 'wrapUp';
    return 'idle';
  });

  /** The call the screens show, whatever the phase. */
  const current = computed<CallInfo | null>(
    () => live.value ?? ringing.value ?? dialing.value?.info ?? (phase.value === 'wrapUp' ? ended.value!.call : null),
  );

  function tell(n: Omit<CallNotice, 'id'>): void {
    notice.value = { id: ++noticeSeq, ...n };
  }

  /**
   * Runs one action at a time per key; resolves to its data, or `FAILED` when the server
   * refused (the API client showed the server's message) or it threw.
   */
  async function run<T>(key: string, fn: () => Promise<T>): Promise<T | typeof FAILED> {
    if (busy.value[key]) return FAILED;
    busy.value = { ...busy.value, [key]: true };
    try {
      return await fn();
    } catch {
      return FAILED;
    } finally {
      const next = { ...busy.value };
      delete next[key];
      busy.value = next;
    }
  }

  // ───────────────────────────── notes ─────────────────────────────

  function adoptNotes(sessionId: string, text: string | null | undefined): void {
    if (notesSessionId.value === sessionId) return;
    void flushNotes();
    notesSessionId.value = sessionId;
    notes.value = text ?? '';
    notesStatus.value = 'idle';
  }

  /** The agent typed: saved after a pause (`PUT /sessions/:id/notes`). */
  function setNotes(text: string): void {
    notes.value = text.slice(0, NOTES_MAX);
    if (!notesSessionId.value) return;
    notesStatus.value = 'pending';
    clearTimeout(notesTimer);
    notesTimer = setTimeout(() => void saveNotes(), NOTES_DEBOUNCE_MS);
  }

  async function saveNotes(): Promise<void> {
    clearTimeout(notesTimer);
    notesTimer = undefined;
    const id = notesSessionId.value;
    if (!id) return;
    // One save at a time; a later edit waits and then sends the newest text.
    if (notesSaving) await notesSaving;
    const text = notes.value;
    notesStatus.value = 'saving';
    notesSaving = (async () => {
      try {
        unwrap(await api.PUT('/api/v1/sessions/{id}/notes', { ...sid(id), body: { notes: text } }));
        if (notesSessionId.value === id && notes.value === text) notesStatus.value = 'saved';
      } catch {
        if (notesSessionId.value === id) notesStatus.value = 'error';
      } finally {
        notesSaving = undefined;
      }
    })();
    await notesSaving;
  }

  /** Saves now what is waiting (the call ends, the agent ends wrap-up) or what failed to save. */
  async function flushNotes(): Promise<void> {
    if (notesTimer !== undefined || notesStatus.value === 'error') await saveNotes();
    else if (notesSaving) await notesSaving;
  }

  // ───────────────────────────── transitions ─────────────────────────────

  function toLive(info: CallInfo, answeredAt = Date.now()): void {
    live.value = liveFrom(info, answeredAt);
    ringing.value = null;
    dialing.value = null;
    accepting.value = false;
    ended.value = null;
    adoptNotes(info.sessionId, '');
  }

  function endLive(by: EndedBy, transferredTo: EndedCall['transferredTo'] = null): void {
    const call = live.value;
    if (!call) return;
    live.value = null;
    transferring.value = null;
    ended.value = { call, endedAt: Date.now(), by, transferredTo };
    void flushNotes();
    // The wrap-up end time is on the agent (not in `agent.status`).
    void agent.load();
  }

  /** Fills a live call with the server's view (held, muted, notes, variables, IVR keys). */
  async function refreshLive(sessionId: string): Promise<void> {
    const r = await api.GET('/api/v1/sessions/{id}', { ...sid(sessionId), ...quiet });
    const v = r.data as SessionView | undefined;
    if (!v || live.value?.sessionId !== sessionId) return;
    const info = infoFromView(v, live.value);
    live.value = {
      ...live.value,
      ...info,
      held: v.held,
      heldSince: v.held ? (live.value.heldSince ?? Date.now()) : null,
      muted: v.agentMuted,
      customerAway: v.customerAway ?? null,
      answeredAt: v.acceptedAt ? Math.min(Date.parse(v.acceptedAt), live.value.answeredAt) : live.value.answeredAt,
    };
    if (notesSessionId.value !== sessionId) adoptNotes(sessionId, v.notes);
    else if (notesStatus.value === 'idle' && !notes.value && v.notes) notes.value = v.notes;
  }

  realtime.on('call.offer', (raw) => {
    const data = raw as OfferEvent;
    if (live.value?.sessionId === data.sessionId) return;
    ringing.value = { ...infoFromOffer(data), ringTimeoutSeconds: data.ringTimeoutSeconds, receivedAt: Date.now() };
    ended.value = null;
    accepting.value = false;
    notesSessionId.value = null;
    adoptNotes(data.sessionId, data.notes ?? '');
    // The agent may have changed auto-answer since (personal settings): read it again.
    void loadAnswering();
  });

  realtime.on('call.offer.withdrawn', (data) => {
    const r = ringing.value;
    if (!r || (r.offerId !== data.offerId && r.sessionId !== data.sessionId)) return;
    ringing.value = null;
    accepting.value = false;
    tell({ kind: withdrawnKind(data.reason), number: r.customer, detail: data.reason });
  });

  realtime.on('call.accepted', (data) => {
    const r = ringing.value;
    if (r && r.sessionId === data.sessionId) toLive(r);
    else if (live.value?.sessionId !== data.sessionId)
      // Not offered on this page (a reload while ringing): the session view fills it in.
      toLive(infoFromView({ ...EMPTY_VIEW, id: data.sessionId }));
    void refreshLive(data.sessionId);
  });

  realtime.on('session.state', (data) => {
    if (data.state === 'ended') {
      if (ringing.value?.sessionId === data.sessionId) {
        const r = ringing.value;
        ringing.value = null;
        accepting.value = false;
        tell({ kind: 'callerGone', number: r.customer });
      }
      // A placed call that did not connect: `session.outbound` says why (and tells the agent).
      if (dialing.value?.sessionId === data.sessionId) dialing.value = null;
      if (live.value?.sessionId === data.sessionId) endLive('unknown');
      return;
    }
    if (data.state === 'bridged' && data.agentId === me.value && dialing.value?.sessionId === data.sessionId) {
      toLive(dialing.value.info);
      void refreshLive(data.sessionId);
    }
  });

  // OUT-01, CTL-07: how a call the agent places gets on (`dialingAgent` … `connected`, `ended`).
  realtime.on('session.outbound', (data) => {
    if (data.agentId !== me.value) return;
    const id = data.sessionId;
    if (data.stage === 'ended') {
      const wasDialing = dialing.value?.sessionId === id || (closedDial === id && !live.value);
      if (dialing.value?.sessionId === id) dialing.value = null;
      closedDial = id;
      if (live.value?.sessionId === id) endLive(endedByOf(data.hungUpSide));
      else if (wasDialing) tell({ kind: 'dialFailed', number: data.callee, detail: data.endStatusString });
      return;
    }
    if (live.value?.sessionId === id || closedDial === id) return;
    const info = dialing.value?.sessionId === id ? dialing.value.info : infoFromOutbound(data);
    if (data.stage === 'connected') {
      toLive(info);
      void refreshLive(id);
      return;
    }
    dialing.value = {
      sessionId: id,
      info: { ...info, annotations: { ...info.annotations, ...data.annotations } },
      startedAt: dialing.value?.sessionId === id ? dialing.value.startedAt : Date.now(),
      stage: data.stage,
    };
    ended.value = null;
    adoptNotes(id, '');
  });

  realtime.on('call.ended', (data) => {
    if (ringing.value?.sessionId === data.sessionId) {
      const r = ringing.value;
      ringing.value = null;
      tell({ kind: 'callerGone', number: r.customer });
    }
    if (live.value?.sessionId === data.sessionId) endLive(endedByOf(data.hungUpSide));
    // `session.state` may have closed it first without knowing who hung up.
    else if (ended.value?.call.sessionId === data.sessionId && ended.value.by === 'unknown')
      ended.value = { ...ended.value, by: endedByOf(data.hungUpSide) };
  });

  realtime.on('session.hold', (data) => {
    const c = live.value;
    if (c?.sessionId !== data.sessionId) return;
    live.value = { ...c, held: data.held, heldSince: data.held ? (c.heldSince ?? Date.now()) : null };
  });

  realtime.on('session.mute', (data) => {
    const c = live.value;
    if (c?.sessionId === data.sessionId) live.value = { ...c, muted: data.muted };
  });

  // A plugin's card changed (e.g. a WeCom add-friend task was notified, then added): on whichever
  // view of the call the agent has — ringing, dialling, talking, or wrapping up.
  realtime.on('call.annotated', (data) => {
    const put = <T extends { annotations: Record<string, unknown> }>(c: T): T => ({
      ...c,
      annotations: { ...c.annotations, [data.key]: data.value },
    });
    if (ringing.value?.sessionId === data.sessionId) ringing.value = put(ringing.value);
    if (dialing.value?.sessionId === data.sessionId)
      dialing.value = { ...dialing.value, info: put(dialing.value.info) };
    if (live.value?.sessionId === data.sessionId) live.value = put(live.value);
    if (ended.value?.call.sessionId === data.sessionId) ended.value = { ...ended.value, call: put(ended.value.call) };
  });

  realtime.on('session.party', (data) => {
    const c = live.value;
    if (c?.sessionId !== data.sessionId) return;
    const party: Party = {
      legId: data.legId,
      role: data.role,
      purpose: data.purpose,
      state: data.state,
      agentId: data.agentId,
      number: data.number,
    };
    const others = c.parties.filter((p) => p.legId !== data.legId);
    live.value = { ...c, parties: data.state === 'left' || data.state === 'failed' ? others : [...others, party] };
    if (data.state === 'failed') tell({ kind: 'partyFailed', number: data.number ?? undefined });
  });

  realtime.on('session.customer', (data) => {
    const c = live.value;
    if (c?.sessionId !== data.sessionId) return;
    live.value = { ...c, customerAway: data.away, variables: { ...c.variables, ...data.variables } };
  });

  realtime.on('session.digits', (data) => {
    const c = live.value;
    if (c?.sessionId !== data.sessionId) return;
    const variables = data.failed ? c.variables : { ...c.variables, [data.variable]: data.digits };
    live.value = { ...c, collected: [...c.collected, data], variables };
  });

  realtime.on('session.transferred', (data) => {
    if (live.value?.sessionId !== data.sessionId || data.fromAgentId !== me.value) return;
    endLive('transferred', data.to);
    tell({ kind: 'transferred' });
  });

  realtime.on('agent.status', (data) => {
    if (data.agentId !== me.value) return;
    // Wrap-up is over (the agent ended it, its timer ran out, or there was none).
    if (REST_STATES.has(data.to)) ended.value = null;
    if (data.to === 'afterCallWork') void agent.load();
  });

  // ───────────────────────────── the softphone ─────────────────────────────

  // Auto-answer (IN-03) and a call the agent placed: their own phone rings, so pick it up.
  // Either may come first: the ring, or the offer / the redial's answer from the server.
  watch(
    () => [phone.ringing?.id, ringing.value?.offerId, dialing.value?.sessionId] as const,
    ([id]) => {
      if (!id || accepting.value) return;
      const asks = phone.ringing?.autoAnswer === true;
      // The SIP phone honours a ring's own answer-after (IN-03) itself; the simulated one does not.
      if (asks && phone.kind === 'sip') return;
      if (dialing.value || asks || (ringing.value && answering.value?.autoAnswer)) void answer();
    },
  );

  // ───────────────────────────── loading ─────────────────────────────

  async function loadAnswering(): Promise<void> {
    const a = await api.GET('/api/v1/me/answering', { ...quiet });
    if (a.data) answering.value = a.data;
  }

  async function loadSettings(): Promise<void> {
    const [t] = await Promise.all([api.GET('/api/v1/tenant', { ...quiet }), loadAnswering()]);
    if (t.data) edition.value = t.data.edition;
  }

  /**
   * Brings the store in line with the server: the agent's state and session (a reload mid-call,
   * events missed while the socket was down).
   */
  async function resync(): Promise<void> {
    if (!auth.signedIn) return;
    const r = await api.GET('/api/v1/agents/me', { ...quiet });
    const a = r.data;
    if (!a) return;
    const sessionId = a.currentSessionId;
    if (a.state === 'busy' && sessionId) {
      if (live.value?.sessionId !== sessionId) {
        const v = (await api.GET('/api/v1/sessions/{id}', { ...sid(sessionId), ...quiet })).data as
          SessionView | undefined;
        if (v && v.state !== 'ended') {
          toLive(infoFromView(v, ringing.value ?? dialing.value?.info ?? undefined));
          await refreshLive(sessionId);
        }
      }
    } else if (live.value) {
      endLive('unknown');
    }
    if (a.state === 'ringing' && sessionId && !ringing.value) {
      const v = (await api.GET('/api/v1/sessions/{id}', { ...sid(sessionId), ...quiet })).data as
        SessionView | undefined;
      // The countdown is unknown after a reload: shown without one.
      if (v) ringing.value = { ...infoFromView(v), ringTimeoutSeconds: 0, receivedAt: Date.now() };
    } else if (a.state !== 'ringing' && ringing.value) {
      ringing.value = null;
    }
    if (a.state === 'afterCallWork' && !ended.value && sessionId) {
      const v = (await api.GET('/api/v1/sessions/{id}', { ...sid(sessionId), ...quiet })).data as
        SessionView | undefined;
      if (v) {
        const call = liveFrom(infoFromView(v), v.acceptedAt ? Date.parse(v.acceptedAt) : Date.now());
        ended.value = {
          call,
          endedAt: v.endedAt ? Date.parse(v.endedAt) : Date.now(),
          by: 'unknown',
          transferredTo: null,
        };
        adoptNotes(v.id, v.notes);
      }
    }
    if (REST_STATES.has(a.state)) ended.value = null;
  }

  /** Loads settings and the current call (the workbench calls this once signed in). */
  async function start(): Promise<void> {
    await Promise.all([loadSettings(), resync()]);
  }

  realtime.onResync('calls', () => (auth.signedIn ? resync() : undefined));

  // ───────────────────────────── actions ─────────────────────────────

  /** Answers the ringing offer on the softphone; `call.accepted` then opens the call. */
  async function answer(): Promise<boolean> {
    if (!phone.ringing) return false;
    accepting.value = true;
    const ok = await phone.answer();
    if (!ok) accepting.value = false;
    return ok;
  }

  /** Declines the offer; the server gives the call to another agent. */
  async function reject(): Promise<boolean> {
    if (!phone.ringing) return false;
    return phone.reject();
  }

  async function hangup(): Promise<boolean> {
    const id = live.value?.sessionId ?? dialing.value?.sessionId;
    if (!id) return false;
    const r = await run('hangup', async () => unwrap(await api.POST('/api/v1/sessions/{id}/hangup', sid(id))));
    if (r === FAILED && dialing.value?.sessionId === id) {
      // Nothing to hang up on the server yet: stop the agent's own ringing leg.
      await phone.hangup();
      dialing.value = null;
    }
    return r !== FAILED;
  }

  async function toggleHold(): Promise<boolean> {
    const c = live.value;
    if (!c) return false;
    const r = await run('hold', async () =>
      unwrap(
        c.held
          ? await api.POST('/api/v1/sessions/{id}/unhold', sid(c.sessionId))
          : await api.POST('/api/v1/sessions/{id}/hold', sid(c.sessionId)),
      ),
    );
    if (r === FAILED) return false;
    const held = (r as { held?: boolean } | undefined)?.held ?? !c.held;
    const cur = live.value;
    if (cur?.sessionId === c.sessionId)
      live.value = { ...cur, held, heldSince: held ? (cur.heldSince ?? Date.now()) : null };
    return true;
  }

  async function toggleMute(): Promise<boolean> {
    const c = live.value;
    if (!c) return false;
    const r = await run('mute', async () =>
      unwrap(
        c.muted
          ? await api.POST('/api/v1/sessions/{id}/unmute', sid(c.sessionId))
          : await api.POST('/api/v1/sessions/{id}/mute', sid(c.sessionId)),
      ),
    );
    if (r === FAILED) return false;
    const muted = (r as { muted?: boolean } | undefined)?.muted ?? !c.muted;
    const cur = live.value;
    if (cur?.sessionId === c.sessionId) live.value = { ...cur, muted };
    return true;
  }

  /** DTMF to the customer (an extension, a menu on the far side). */
  async function sendDtmf(digits: string): Promise<boolean> {
    const c = live.value;
    if (!c) return false;
    const r = await run(`dtmf:${digits}`, async () =>
      unwrap(await api.POST('/api/v1/sessions/{id}/dtmf', { ...sid(c.sessionId), body: { digits } })),
    );
    return r !== FAILED;
  }

  async function transfer(to: TransferTarget): Promise<boolean> {
    const c = live.value;
    if (!c) return false;
    await flushNotes();
    const r = await run('transfer', async () =>
      unwrap(await api.POST('/api/v1/sessions/{id}/transfer', { ...sid(c.sessionId), body: { to } })),
    );
    if (r === FAILED) return false;
    transferring.value = to;
    return true;
  }

  async function addParty(who: PartyTarget): Promise<boolean> {
    const c = live.value;
    if (!c) return false;
    const r = await run('conference', async () =>
      unwrap(await api.POST('/api/v1/sessions/{id}/conference', { ...sid(c.sessionId), body: { with: who } })),
    );
    if (r === FAILED) return false;
    const cur = live.value;
    // The leg may already be known from its `session.party` event.
    if (cur?.sessionId === c.sessionId && !cur.parties.some((p) => p.legId === r.legId)) {
      const party: Party = {
        legId: r.legId,
        role: who.type,
        purpose: 'threeWay',
        state: 'ringing',
        agentId: who.type === 'agent' ? who.agentId : null,
        number: who.type === 'external' ? who.number : null,
      };
      live.value = { ...cur, parties: [...cur.parties, party] };
    }
    return true;
  }

  async function dropParty(legId: string): Promise<boolean> {
    const c = live.value;
    if (!c) return false;
    const r = await run(`drop:${legId}`, async () =>
      unwrap(
        await api.POST('/api/v1/sessions/{id}/legs/{legId}/hangup', { params: { path: { id: c.sessionId, legId } } }),
      ),
    );
    return r !== FAILED;
  }

  /** CTL-10: the customer keys in digits for a template, then comes back. */
  async function collect(templateId: string): Promise<boolean> {
    const c = live.value;
    if (!c) return false;
    const r = await run('collect', async () =>
      unwrap(await api.POST('/api/v1/sessions/{id}/collect', { ...sid(c.sessionId), body: { templateId } })),
    );
    return r !== FAILED;
  }

  /** CTL-11: the customer goes through a flow, then comes back. */
  async function selfService(flowId: string): Promise<boolean> {
    const c = live.value;
    if (!c) return false;
    const r = await run('selfService', async () =>
      unwrap(await api.POST('/api/v1/sessions/{id}/self-service', { ...sid(c.sessionId), body: { flowId } })),
    );
    return r !== FAILED;
  }

  /** CTL-08: the customer's number goes on the blacklist (during the call or in wrap-up). */
  async function blacklist(opts: { hangup: boolean; reason?: string }): Promise<boolean> {
    const id = live.value?.sessionId ?? ended.value?.call.sessionId;
    if (!id) return false;
    const body = { hangup: opts.hangup && live.value !== null, ...(opts.reason ? { reason: opts.reason } : {}) };
    const r = await run('blacklist', async () =>
      unwrap(await api.POST('/api/v1/sessions/{id}/blacklist', { ...sid(id), body })),
    );
    return r !== FAILED;
  }

  /** CTL-07: calls the customer of the ended call back; the agent's phone rings first. */
  async function redial(): Promise<boolean> {
    const e = ended.value;
    if (!e) return false;
    await flushNotes();
    const r = await run('redial', async () =>
      // The workbench's own device, per answer mode (`device` left to the server's default).
      unwrap(await api.POST('/api/v1/sessions/{id}/redial', { ...sid(e.call.sessionId), body: {} })),
    );
    if (r === FAILED) return false;
    const sessionId = (r as unknown as { sessionId: string }).sessionId;
    const info: CallInfo = { ...e.call, sessionId, offerId: null, direction: 'outbound', transferred: false };
    // Its first `session.outbound` may have come before this answer: keep its stage.
    const stage = dialing.value?.sessionId === sessionId ? dialing.value.stage : null;
    dialing.value = { sessionId, info, startedAt: Date.now(), stage };
    ended.value = null;
    adoptNotes(sessionId, '');
    return true;
  }

  /**
   * CTL-06: ends wrap-up. The agent goes back to the state the server keeps for after the call
   * (the one they dialled out from; idle otherwise), and the server's answer is the new state.
   */
  async function endWrapUp(): Promise<boolean> {
    await flushNotes();
    const resume = wrapUpResume.value;
    const r = await run('endWrapUp', async () => {
      if (!(await agent.setState(resume.state, resume.reason ?? undefined))) throw new Error('refused');
    });
    if (r === FAILED) return false;
    ended.value = null;
    return true;
  }

  /** Where ending wrap-up goes (`resumeState` when the server sends one). */
  const wrapUpResume = computed<{ state: 'idle' | 'notReady' | 'rest'; reason: string | null }>(() => {
    const a = agent.agent as
      (typeof agent.agent & { resumeState?: string | null; resumeReason?: string | null }) | null;
    const s = a?.resumeState;
    if (s === 'notReady') return { state: 'notReady', reason: null };
    if (s === 'rest') return { state: 'rest', reason: a?.resumeReason ?? agent.restReasons[0] ?? null };
    return { state: 'idle', reason: null };
  });

  /** When wrap-up ends by itself (epoch ms); null when only the agent ends it (counts up). */
  const wrapUpUntil = computed(() => {
    const until = agent.agent?.wrapUpUntil;
    if (until) return Date.parse(until);
    if (agent.agent && agent.settings?.wrapUpAutoEnd === false) return null;
    // Not read yet (the event came first): the tenant's length from when it began.
    const secs = agent.settings?.wrapUpSeconds ?? 0;
    return agent.settings?.wrapUpAutoEnd && secs > 0 && agent.state === 'afterCallWork'
      ? agent.stateSince + secs * 1000
      : null;
  });

  function dismissNotice(): void {
    notice.value = null;
  }

  function $reset(): void {
    clearTimeout(notesTimer);
    notesTimer = undefined;
    ringing.value = null;
    live.value = null;
    ended.value = null;
    dialing.value = null;
    notice.value = null;
    answering.value = null;
    edition.value = null;
    busy.value = {};
    accepting.value = false;
    transferring.value = null;
    notes.value = '';
    notesSessionId.value = null;
    notesStatus.value = 'idle';
  }

  return {
    ringing,
    live,
    ended,
    dialing,
    notice,
    answering,
    edition,
    busy,
    accepting,
    transferring,
    notes,
    notesStatus,
    phase,
    current,
    advanced,
    autoAnswer,
    onMobile,
    wrapUpUntil,
    wrapUpResume,
    start,
    resync,
    loadSettings,
    setNotes,
    flushNotes,
    answer,
    reject,
    hangup,
    toggleHold,
    toggleMute,
    sendDtmf,
    transfer,
    addParty,
    dropParty,
    collect,
    selfService,
    blacklist,
    redial,
    endWrapUp,
    dismissNotice,
    $reset,
  };
});

/** Re-exported for components. */
export type { CallInfo, LiveCall, RingingCall, EndedCall } from './call-model';
export type { OutboundStage } from '@/api/realtime-events';
export type SessionDigits = ServerEvents['session.digits'];
