/**
 * The CRM screen pop on a live call (INT-02): a caller rings through the IVR and the agent's
 * `call.offer` carries the CRM's card; with a CRM that hangs, the call still reaches the agent,
 * with a card that says the CRM is unavailable.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import { crmScreenPop, MAX_CRM_TIMEOUT_MS, uiCardSchema } from '../../plugins/crm-screen-pop/src/index.js';
import { CrmDouble } from '../../plugins/crm-screen-pop/test/support/crm-double.js';
import { callPresales, cdrOf, sessionIdOf, socket, talkAndHangUp, useLiveWorld } from './support/live-world.js';

const crm = await CrmDouble.start();
afterAll(() => crm.close());

const w = useLiveWorld({
  secret: 'crm-screen-pop-secret',
  timeScale: 0.02,
  calls: { wrapUpSeconds: 0 },
  plugins: [
    // The longest the plugin allows (the host's 800 ms budget less its margin): an answer the
    // test expects must not race the plugin's own deadline on a busy machine. No cache, so every
    // call asks the CRM.
    crmScreenPop({ url: crm.searchUrl, authHeader: 'Bearer crm-token', timeoutMs: MAX_CRM_TIMEOUT_MS, cacheTtlMs: 0 }),
  ],
  center: { slug: 'crm-pop', agents: 1, settings: { numberProtection: true } },
});

/** The `crm-screen-pop` failures the host counted (threw or ran past its budget). */
async function hookFailures(): Promise<number> {
  const { values } = await w.t.app.container.cradle.metrics.pluginHookFailures.get();
  return values.filter((v) => v.labels.plugin === 'crm-screen-pop').reduce((n, v) => n + v.value, 0);
}

describe('CRM screen pop on a live call', () => {
  it('[INT-02] [RT-07] the agent is offered the call with the caller’s CRM card, and the card never shows the number', async () => {
    crm.customers({
      id: 'c-1001',
      name: 'Wei Li',
      company: 'Sunrise Trading Co.',
      phone: '13912345678',
      level: 'VIP',
      tags: ['Repeat buyer'],
      owner: 'Agent One',
      url: 'https://crm.example.com/customers/c-1001',
    });
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');
    const ws = await socket(w, agent);

    const call = await callPresales(w, w.cc, '13912345678');
    const ring = await device.nextRing({ timeoutMs: 10_000 });
    const offer = await ws.next('call.offer');

    expect(uiCardSchema.parse(offer.data.annotations.screenPop)).toEqual({
      kind: 'card',
      status: 'found',
      title: 'Wei Li',
      subtitle: 'Sunrise Trading Co.',
      tags: ['Repeat buyer'],
      fields: [
        { label: 'Level', value: 'VIP' },
        { label: 'Owner', value: 'Agent One' },
        { label: 'Customer ID', value: 'c-1001' },
      ],
      link: { label: 'Open in CRM', url: 'https://crm.example.com/customers/c-1001' },
    });
    // The CRM was asked about the caller, with the configured credentials.
    expect(crm.requests.map((r) => [r.query.get('phone'), r.headers.authorization])).toEqual([
      ['13912345678', 'Bearer crm-token'],
    ]);
    // Number protection: the offer shows the caller masked and nothing else carries the number.
    expect(offer.data.caller).toBe('139****5678');
    expect(JSON.stringify(offer)).not.toContain('13912345678');

    await talkAndHangUp(call, ring.answer());
    // The card stays on the call's record.
    const record = await cdrOf(w, w.cc, await sessionIdOf(w, call));
    expect(record.annotations.screenPop).toMatchObject({ status: 'found', title: 'Wei Li' });
    expect(await hookFailures()).toBe(0);
  });

  it('[INT-02] with a CRM that does not answer, the call reaches the agent on time with an unavailable card', async () => {
    crm.requests.length = 0;
    const held = crm.hold();
    try {
      const agent = w.cc.agents[0]!;
      const device = w.sim.registerUser(agent.sipUser);
      await setAgentState(w.t, agent, 'idle');
      const ws = await socket(w, agent);

      const call = await callPresales(w, w.cc, '13812345678');
      await held.arrived;
      const ring = await device.nextRing({ timeoutMs: 10_000 });
      const offer = await ws.next('call.offer');

      expect(offer.data.annotations).toEqual({
        screenPop: {
          kind: 'card',
          status: 'unavailable',
          title: 'CRM unavailable',
          subtitle: 'The customer record could not be loaded in time',
          tags: [],
          fields: [],
        },
      });
      // The card came from the plugin, so it answered inside the host's budget: past it the
      // host drops the plugin's annotations and counts a timeout. The plugin hung up on the CRM.
      expect(await hookFailures()).toBe(0);
      await held.clientGone;
      expect(w.t.logs).toContainEqual(
        expect.objectContaining({
          plugin: 'crm-screen-pop',
          reason: 'timeout',
          msg: 'CRM unavailable: the screen pop says so',
        }),
      );

      await talkAndHangUp(call, ring.answer());
    } finally {
      held.release(200, { items: [] });
    }
  });
});
