/**
 * The plugin boundary on a real call: a plugin whose `call.incoming` annotations are not JSON,
 * or too large, costs the caller nothing — the annotations are dropped and logged, the other
 * plugins' annotations reach the agent, and the call is answered and ended normally.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { setAgentState } from '../../core/test/support/call-center.js';
import { definePlugin } from '../../core/src/plugins/define-plugin.js';
import { callPresales, sessionIdOf, socket, talkAndHangUp, useLiveWorld } from './support/live-world.js';

function annotating(name: string, annotations: () => unknown) {
  return definePlugin({
    name,
    version: '1.0.0',
    config: z.object({}),
    hooks: { 'call.incoming': () => ({ annotations: annotations() }) as never },
  })({});
}

const w = useLiveWorld({
  secret: 'boundary-secret',
  // Real time: the test waits on rings and prompts, never races a timer of the server.
  timeScale: 1,
  calls: { wrapUpSeconds: 0 },
  plugins: [
    annotating('crm', () => ({ customerId: 'c-42' })),
    // Before issue 9 a BigInt made the session write throw and the caller was hung up.
    annotating('broken-crm', () => ({ balance: 10n, since: new Date() })),
    annotating('chatty-crm', () => ({ notes: 'x'.repeat(20_000) })),
  ],
  center: { slug: 'boundary', agents: 1 },
});

describe('bad annotations on a real call', () => {
  it('[INT-03] drops non-JSON and oversized annotations with a log while the call goes on', async () => {
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    const ws = await socket(w, agent);

    const call = await callPresales(w, w.cc, '13812345678');
    const ring = await device.nextRing({ timeoutMs: 20_000 });
    const offer = await ws.next('call.offer');
    expect(offer.data.annotations).toEqual({ customerId: 'c-42' });
    await talkAndHangUp(call, ring.answer());
    const sessionId = await sessionIdOf(w, call);

    const record = await w.t.request('GET', `/api/v1/records/${sessionId}`, { token: w.cc.supervisor.token });
    expect(record.status).toBe(200);
    expect(record.body.annotations).toEqual({ customerId: 'c-42' });
    expect(record.body.endStatusString).toBe('ok');

    const dropped = w.t.logs.filter((l) => l.msg === 'plugin annotations dropped');
    expect(dropped.map((l) => [l.plugin, l.reason])).toEqual([
      ['broken-crm', 'not_json'],
      ['chatty-crm', 'too_large'],
    ]);
    ws.close();
  });
});
