/**
 * What the agent's workbench learns of an inbound call before and while answering it: the
 * company number dialled with its label (IN-05), never masked, and where the caller's number is
 * from (IN-06), computed on the server from the real number while the number itself stays
 * masked under number protection.
 */
import { describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import { bridged, callPresales, sessionIdOf, socket, talkAndHangUp, useLiveWorld } from './support/live-world.js';

const w = useLiveWorld({
  secret: 'location-secret',
  timeScale: 0.02,
  calls: { wrapUpSeconds: 0, sweepIntervalMs: 100 },
  center: { slug: 'location', agents: 1, settings: { numberProtection: true } },
});

describe('the offer and the session view of an inbound call', () => {
  it('[IN-05] [IN-06] carry the company number with its label and the caller’s location; the number stays masked', async () => {
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    const ws = await socket(w, agent);

    const call = await callPresales(w, w.cc, '13812345678');
    const offer = await ws.next('call.offer');
    expect(offer.data).toMatchObject({
      caller: '138****5678',
      callee: w.cc.number,
      companyNumber: { number: w.cc.number, label: 'Hotline' },
      callerLocation: {
        province: '江苏省',
        city: '连云港市',
        carrier: '中国移动',
        en: { province: 'Jiangsu', city: 'Lianyungang', carrier: 'China Mobile' },
        lineType: 'mobile',
      },
    });
    const ring = await device.nextRing({ timeoutMs: 10_000 });
    const leg = ring.answer();
    await bridged(call, leg);

    const sessionId = await sessionIdOf(w, call);
    const view = await w.t.request('GET', `/api/v1/sessions/${sessionId}`, { token: agent.token });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      caller: '138****5678',
      callee: w.cc.number,
      companyNumber: { number: w.cc.number, label: 'Hotline' },
      callerLocation: { province: '江苏省', city: '连云港市', carrier: '中国移动' },
    });
    await talkAndHangUp(call, leg);
    expect(JSON.stringify(ws.frames)).not.toContain('13812345678');
  });

  it('[IN-05] [IN-06] a fixed-line caller: area-code location, no carrier; the company number on every offer', async () => {
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    const ws = await socket(w, agent);

    const call = await callPresales(w, w.cc, '02088881234');
    const offer = await ws.next('call.offer');
    expect(offer.data).toMatchObject({
      caller: '020****1234',
      companyNumber: { number: w.cc.number, label: 'Hotline' },
      callerLocation: { province: '广东省', city: '广州市', carrier: null, lineType: 'fixedLine' },
    });
    const leg = (await device.nextRing({ timeoutMs: 10_000 })).answer();
    await talkAndHangUp(call, leg);
  });
});
