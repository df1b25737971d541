/**
 * What each SDK method does in the embedded workbench: the same store actions the workbench's
 * buttons run, so a call driven from the CRM behaves exactly as one driven by hand (and the
 * screen shows it). A refusal answers with the server's code and message.
 */
import type { AgentStatus, AgentStatusInfo, SessionOptions } from '@switchboard/sdk/protocol';
import { lastApiError } from '@/api/request';
import { listAudioDevices } from '@/softphone/device-check';
import { useAgentStore, type AgentState } from '@/stores/agent';
import { useCallsStore } from '@/stores/calls';
import { useColleaguesStore } from '@/stores/colleagues';
import { useDirectoryStore } from '@/stores/directory';
import { useOutboundStore } from '@/stores/outbound';
import { BridgeError, type SdkHandlers } from './bridge';

/** The workbench's agent states in the SDK's words (TCCC `AgentStatus` where it has one). */
export const STATUS_OF: Record<AgentState, AgentStatus> = {
  idle: 'free',
  ringing: 'busy',
  busy: 'busy',
  afterCallWork: 'arrange',
  notReady: 'notReady',
  rest: 'rest',
  offline: 'offline',
};

/** The agent's status as `Agent.getStatus` and `statusChanged` give it. */
export function statusInfo(agent: ReturnType<typeof useAgentStore>): AgentStatusInfo {
  return {
    status: STATUS_OF[agent.state],
    state: agent.state,
    restReason: agent.state === 'rest' ? agent.reason : null,
  };
}

/**
 * Runs a store action that resolves to `false` when refused, and turns a refusal into the
 * server's error (or `refused` with `what` when the server was not asked).
 */
async function attempt(what: string, action: () => Promise<boolean | unknown>): Promise<void> {
  const before = lastApiError().seq;
  const ok = await action();
  if (ok !== false && ok !== null) return;
  const after = lastApiError();
  if (after.seq !== before && after.error) throw new BridgeError(after.error.code, after.error.message);
  throw new BridgeError('refused', what);
}

function sessionIdOf(params: unknown): string {
  const id = (params as Partial<SessionOptions> | undefined)?.sessionId;
  if (typeof id !== 'string' || !id) throw new BridgeError('invalid_params', 'sessionId is required');
  return id;
}

/** The SDK's methods over the workbench's stores. */
export function createSdkHandlers(): SdkHandlers {
  const agent = useAgentStore();
  const calls = useCallsStore();
  const outbound = useOutboundStore();
  const colleagues = useColleaguesStore();
  const directory = useDirectoryStore();

  /** The live call with this id (talking), or a refusal naming what the agent has. */
  function liveCall(params: unknown) {
    const id = sessionIdOf(params);
    const c = calls.live;
    if (!c || c.sessionId !== id) throw new BridgeError('no_such_session', `No call in progress with session ${id}`);
    return c;
  }

  return {
    async 'Call.startOutboundCall'(o) {
      if (typeof o?.phoneNumber !== 'string' || !o.phoneNumber.trim()) {
        throw new BridgeError('invalid_params', 'phoneNumber is required');
      }
      if (o.callerPhoneNumberId) outbound.callerNumberId = o.callerPhoneNumberId;
      if (outbound.block) throw new BridgeError('refused', `Cannot call now (${outbound.block})`);
      await attempt('The call could not be placed', () => outbound.dial(o.phoneNumber.trim()));
      const c = outbound.call!;
      return { sessionId: c.sessionId, calleePhoneNumber: c.callee, callerPhoneNumber: c.callerId };
    },
    async 'Call.accept'(o) {
      const id = sessionIdOf(o);
      if (calls.ringing?.sessionId !== id)
        throw new BridgeError('no_such_session', `No call ringing with session ${id}`);
      await attempt('The call could not be answered', () => calls.answer());
    },
    async 'Call.hungUp'(o) {
      const id = sessionIdOf(o);
      if (calls.ringing?.sessionId === id) return attempt('The call could not be declined', () => calls.reject());
      if (calls.live?.sessionId !== id && calls.dialing?.sessionId !== id) {
        throw new BridgeError('no_such_session', `No call with session ${id}`);
      }
      await attempt('The call could not be hung up', () => calls.hangup());
    },
    async 'Call.deleteCall'(o) {
      const id = sessionIdOf(o);
      if (calls.ringing?.sessionId === id) return attempt('The call could not be declined', () => calls.reject());
      if (calls.ended?.call.sessionId === id && calls.phase === 'wrapUp') {
        return attempt('The wrap-up could not be ended', () => calls.endWrapUp());
      }
      if (outbound.call?.sessionId === id && outbound.call.stage === 'ended') return outbound.dismiss();
      throw new BridgeError('no_such_session', `No ringing or finished call with session ${id}`);
    },
    async 'Call.muteMic'(o) {
      if (!liveCall(o).muted) await attempt('Could not mute', () => calls.toggleMute());
    },
    async 'Call.unmuteMic'(o) {
      if (liveCall(o).muted) await attempt('Could not unmute', () => calls.toggleMute());
    },
    async 'Call.isMicMuted'(o) {
      return liveCall(o).muted;
    },
    async 'Call.startInternalCall'(o) {
      const who = typeof o?.calleeUserId === 'string' ? o.calleeUserId.trim() : '';
      if (!who) throw new BridgeError('invalid_params', 'calleeUserId is required');
      await colleagues.ensure();
      const peer = colleagues.items.find((c) => c.id === who || c.staffNo === who);
      if (!peer) throw new BridgeError('not_found', `No colleague ${who}`);
      let sessionId = '';
      await attempt('The colleague could not be called', async () => {
        const r = await colleagues.callColleague(peer.id);
        sessionId = r?.sessionId ?? '';
        return r !== null;
      });
      return { sessionId };
    },
    async 'Call.transfer'(o) {
      liveCall(o);
      const to =
        'skillGroupId' in o
          ? { type: 'skillGroup' as const, skillGroupId: o.skillGroupId }
          : 'userId' in o
            ? { type: 'agent' as const, agentId: o.userId }
            : 'phoneNumber' in o
              ? { type: 'external' as const, number: o.phoneNumber }
              : null;
      if (!to) throw new BridgeError('invalid_params', 'Give skillGroupId, userId or phoneNumber');
      await attempt('The call could not be transferred', () => calls.transfer(to));
    },
    async 'Call.hold'(o) {
      if (!liveCall(o).held) await attempt('Could not hold', () => calls.toggleHold());
    },
    async 'Call.unHold'(o) {
      if (liveCall(o).held) await attempt('Could not resume', () => calls.toggleHold());
    },
    async 'Call.sendDigits'(o) {
      const digits = typeof o?.dtmfText === 'string' ? o.dtmfText : '';
      if (!/^[0-9*#A-D]{1,64}$/i.test(digits)) throw new BridgeError('invalid_params', 'dtmfText: 1–64 of 0-9 * # A-D');
      liveCall(o);
      await attempt('The digits could not be sent', () => calls.sendDtmf(digits));
    },
    async 'Agent.online'() {
      if (agent.state !== 'offline') return;
      await attempt('Could not go online', () => agent.goOnline());
    },
    async 'Agent.offline'() {
      if (agent.state === 'offline') return;
      await attempt('Could not go offline', () => agent.goOffline());
    },
    async 'Agent.setStatus'(o) {
      const next = ({ free: 'idle', rest: 'rest', notReady: 'notReady' } as const)[o?.status];
      if (!next) throw new BridgeError('invalid_params', 'status: free, rest or notReady');
      await attempt(`Cannot change from ${agent.state} to ${o.status}`, () => agent.setState(next, o.restReason));
    },
    async 'Agent.getStatus'() {
      await agent.load();
      return statusInfo(agent);
    },
    async 'Admin.getSkillGroupList'() {
      await directory.load();
      return directory.groups.map((g) => ({ skillGroupId: g.id, skillGroupName: g.name }));
    },
    async 'Devices.getMicrophones'() {
      return (await listAudioDevices()).microphones;
    },
    async 'Devices.getSpeakers'() {
      return (await listAudioDevices()).speakers;
    },
  };
}
