/**
 * The SDK's events, read off the workbench's own state (the stores the screens show), so the CRM
 * hears exactly what the agent sees — the customer's number masked as the screen masks it.
 * Each event fires once per session (per offer for `callIn` and `autoTransfer`).
 */
import type { CloseBy, SdkEventName, SdkEvents } from '@switchboard/sdk/protocol';
import { watch, type WatchStopHandle } from 'vue';
import type { EndedBy, RingingCall } from '@/stores/call-model';
import { useAgentStore } from '@/stores/agent';
import { useCallsStore } from '@/stores/calls';
import { statusInfo } from './sdk-handlers';

type Emit = <E extends SdkEventName>(name: E, data: SdkEvents[E]) => void;

const CLOSE_BY: Record<EndedBy, CloseBy> = {
  customer: 'client',
  agent: 'seat',
  system: 'system',
  transferred: 'seat',
  unknown: 'system',
};

/** `callIn` of an offer, as the offer card shows it. */
export function callInOf(r: RingingCall): SdkEvents['callIn'] {
  const loc = r.callerLocation;
  return {
    sessionId: r.sessionId,
    type: r.direction === 'internal' ? 'internal' : 'phone',
    timeout: r.ringTimeoutSeconds,
    callerPhoneNumber: r.customer,
    calleePhoneNumber: r.companyNumber?.number ?? r.callee,
    callerLocation: loc ? { province: loc.province, city: loc.city, carrier: loc.carrier } : null,
    remark: r.skillGroupName,
    ivrPath: r.ivrKeys.map((k) => ({ key: k.key, label: k.label })),
    // Number protection masks digits with `*`: the CRM then looks the customer up by session.
    protectedCaller: r.customer.includes('*'),
    ...(r.internalFrom ? { peerUserId: r.internalFrom.agentId } : {}),
  };
}

/** Starts raising events through `emit`; returns what stops it. */
export function watchSdkEvents(emit: Emit): WatchStopHandle {
  const agent = useAgentStore();
  const calls = useCallsStore();
  /** Per event, the sessions it fired for. */
  const fired = new Map<SdkEventName, Set<string>>();
  const once = <E extends SdkEventName>(name: E, id: string, data: SdkEvents[E]) => {
    let seen = fired.get(name);
    if (!seen) fired.set(name, (seen = new Set()));
    if (seen.has(id)) return;
    seen.add(id);
    emit(name, data);
  };
  /** Ended, not yet completed. */
  const open = new Set<string>();

  const stops = [
    watch(
      () => calls.ringing,
      (now, before) => {
        // Per offer, not per session: a call re-offered after a ring timeout rings again.
        const key = (r: RingingCall) => r.offerId ?? r.sessionId;
        if (now && (!before || key(now) !== key(before))) once('callIn', key(now), callInOf(now));
        // The offer went away unanswered because its ring time ran out: routed on (EV-05).
        if (before && (!now || key(now) !== key(before)) && calls.live?.sessionId !== before.sessionId) {
          if (calls.notice?.kind === 'missed') once('autoTransfer', key(before), { sessionId: before.sessionId });
        }
      },
    ),
    watch(
      () => calls.dialing,
      (now, before) => {
        // A placed call that never connected ends here (no live call, no wrap-up).
        if (before && now?.sessionId !== before.sessionId && calls.live?.sessionId !== before.sessionId) {
          if (calls.ended?.call.sessionId !== before.sessionId) {
            once('sessionEnded', before.sessionId, { sessionId: before.sessionId, closeBy: 'system' });
          }
        }
        if (now && now.info.direction === 'outbound') {
          once('callOuted', now.sessionId, {
            sessionId: now.sessionId,
            calleePhoneNumber: now.info.customer,
            callerPhoneNumber: now.info.companyNumber?.number ?? now.info.callee,
          });
        }
      },
    ),
    watch(
      () => calls.live?.sessionId ?? null,
      (id) => {
        if (!id) return;
        const outbound = calls.live?.direction === 'outbound';
        once(outbound ? 'calloutAccepted' : 'userAccessed', id, { sessionId: id });
      },
    ),
    watch(
      () => calls.ended,
      (now) => {
        if (!now) return;
        const id = now.call.sessionId;
        open.add(id);
        once('sessionEnded', id, { sessionId: id, closeBy: CLOSE_BY[now.by] });
      },
    ),
    // Completed (EV-07) once the agent is past the session: its wrap-up over (or none).
    watch(
      () => [calls.phase, calls.ended?.call.sessionId ?? null] as const,
      ([phase, endedId]) => {
        for (const id of [...open]) {
          if (id === endedId && phase === 'wrapUp') continue;
          open.delete(id);
          once('sessionCompleted', id, { sessionId: id });
        }
      },
    ),
    watch(
      () => [agent.state, agent.reason] as const,
      () => {
        if (agent.agent) emit('statusChanged', statusInfo(agent));
      },
    ),
  ];
  return () => stops.forEach((s) => s());
}
