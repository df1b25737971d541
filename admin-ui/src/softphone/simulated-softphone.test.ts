/**
 * The simulated phone (simulator mode) against a real server with the jambonz simulator, as the
 * workbench runs it after `npm start`: `GET /me/device` says simulator mode, the phone registers
 * the agent's device, learns of a ring from `/ws` (or by polling), and answers, mutes, sends
 * DTMF and hangs up through the server's routes while a simulated caller comes in through the IVR.
 */
import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { setAgentState } from '../../../core/test/support/call-center.js';
import type { SeededUser } from '../../../core/test/support/test-app.js';
import { until } from '../../../jambonz-apps/test/support/harness.js';
import { bridged, callPresales, useLiveWorld } from '../../../jambonz-apps/test/support/live-world.js';
import {
  SimulatedSoftphone,
  type SimDeviceCallEvent,
  type SimDeviceEventSource,
  type SoftphoneApi,
} from './simulated-softphone.js';
import type { Softphone, SoftphoneEvents } from './types.js';

const w = useLiveWorld({ secret: 'simulated-softphone-secret', timeScale: 0.02, calls: { wrapUpSeconds: 0 } });

/** The app's REST client as the workbench has it: bearer token, JSON, errors thrown. */
function apiFor(user: SeededUser): SoftphoneApi {
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${w.t.url}/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${user.token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      if (res.status === 204) return undefined as T;
      const json = (await res.json()) as T & { error?: { code: string; message: string } };
      if (!res.ok) throw new Error(`${res.status} ${json.error?.code}: ${json.error?.message}`);
      return json;
    },
  };
}

/** The app's realtime connection (`/ws`) as the workbench has it. */
async function eventsFor(user: SeededUser): Promise<SimDeviceEventSource> {
  const ws = new WebSocket(`${w.t.url.replace(/^http/, 'ws')}/ws?access_token=${user.token}`);
  w.closeAfterTest(() => ws.close());
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    on(type, listener) {
      const onMessage = (raw: WebSocket.RawData) => {
        const frame = JSON.parse(raw.toString()) as { type: string; data: SimDeviceCallEvent };
        if (frame.type === type) listener(frame.data);
      };
      ws.on('message', onMessage);
      return () => ws.off('message', onMessage);
    },
  };
}

/** localStorage for Node (the phone remembers device choices there). */
class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

/** Records a phone's events; `next` waits for the `n`th of a type. */
function recorder(phone: Softphone) {
  const seen: Array<{ type: keyof SoftphoneEvents; payload: unknown }> = [];
  const types: Array<keyof SoftphoneEvents> = [
    'registered',
    'unregistered',
    'registrationFailed',
    'incoming',
    'accepted',
    'ended',
    'muted',
    'error',
  ];
  for (const type of types) phone.on(type, (payload) => seen.push({ type, payload }));
  return {
    seen,
    next: <K extends keyof SoftphoneEvents>(type: K, n = 0) =>
      until(
        async () => seen.filter((e) => e.type === type)[n]?.payload as SoftphoneEvents[K] | undefined,
        `softphone event ${type} #${n}`,
      ),
  };
}

describe('SimulatedSoftphone against the server and its jambonz simulator', () => {
  it('[IN-01] the agent answers a call from the IVR on the simulated phone, talks, and hangs up', async () => {
    const cc = await w.center({ slug: `simphone-ui-${randomInt(1e6)}`, agents: 1 });
    const agent = cc.agents[0]!;
    const api = apiFor(agent);
    expect(await api.request('GET', '/me/device')).toMatchObject({ mode: 'simulator', sipUser: agent.sipUser });
    const phone = new SimulatedSoftphone({ api, events: await eventsFor(agent), storage: new MemoryStorage() });
    const rec = recorder(phone);
    await phone.start();
    expect(await rec.next('registered')).toEqual({ sipUser: agent.sipUser });
    expect(phone.registration).toBe('registered');
    await setAgentState(w.t, agent, 'idle');

    const customer = await callPresales(w, cc, '13900005555');
    const incoming = await rec.next('incoming');
    expect(incoming).toMatchObject({ remoteDisplay: '13900005555', state: 'ringing', autoAnswer: false });
    expect(incoming.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(w.sim.call(incoming.id)?.status).toBe('ringing');

    await phone.answer();
    expect(await rec.next('accepted')).toEqual({ id: incoming.id });
    await bridged(customer, w.sim.call(incoming.id)!);
    expect(phone.call).toMatchObject({ id: incoming.id, state: 'active' });

    await phone.mute(true);
    expect(await rec.next('muted')).toEqual({ id: incoming.id, muted: true });
    await phone.sendDtmf('1#');
    await expect(phone.sendDtmf('x')).rejects.toThrow(/DTMF/);

    await phone.hangup();
    expect(await rec.next('ended')).toEqual({ id: incoming.id, cause: 'local-hangup', detail: null });
    expect(phone.call).toBeNull();
    await until(async () => w.sim.calls().length === 0, 'every leg gone');
    // Exactly one end, although the server's event also says so.
    await phone.stop();
    expect(await rec.next('unregistered')).toEqual({ reason: 'stopped' });
    expect(rec.seen.filter((e) => e.type === 'ended')).toHaveLength(1);
    expect(rec.seen.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('[IN-01] without the realtime connection the phone polls: it rings, and ends when the caller hangs up', async () => {
    const cc = await w.center({ slug: `simphone-poll-${randomInt(1e6)}`, agents: 1 });
    const agent = cc.agents[0]!;
    const phone = new SimulatedSoftphone({ api: apiFor(agent), pollIntervalMs: 50, storage: new MemoryStorage() });
    const rec = recorder(phone);
    await phone.start();
    await rec.next('registered');
    await setAgentState(w.t, agent, 'idle');
    try {
      const customer = await callPresales(w, cc, '13900006666');
      const incoming = await rec.next('incoming');
      await phone.answer();
      await rec.next('accepted');
      await bridged(customer, w.sim.call(incoming.id)!);
      customer.hangup();
      expect(await rec.next('ended')).toMatchObject({ id: incoming.id, cause: 'remote-hangup' });
    } finally {
      await phone.stop();
    }
  });
});
