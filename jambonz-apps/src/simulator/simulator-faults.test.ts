import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JambonzRestClient } from '../protocol/rest-client.js';
import { JambonzApiError } from '../protocol/rest-client.js';
import type { JambonzSimulator } from './simulator.js';
import { type TestApp, startSimulatorFixture, TEST_SPEECH } from './test-app.js';

const SECRET = 'wh_secret_fault_test';

/** Fault injection (`sim.failNext`): what tests of the app's crash paths stand on. */
describe('jambonz simulator: injected REST faults', () => {
  let app: TestApp;
  let sim: JambonzSimulator;
  let rest: JambonzRestClient;

  beforeEach(async () => {
    ({ app, sim, rest } = await startSimulatorFixture(SECRET));
    app.route('/status', () => undefined);
  });

  afterEach(async () => {
    await sim.stop();
    await app.close();
  });

  const create = (number: string) =>
    rest.createCall({
      from: '4001000000',
      to: { type: 'phone', number },
      call_hook: app.url('/a'),
      call_status_hook: app.url('/status'),
      ...TEST_SPEECH,
    });

  it('fails exactly the matching request, the given number of times, and creates no leg', async () => {
    sim.phone('13800000021');
    sim.phone('13800000022');
    const fault = sim.failNext(
      { method: 'POST', path: '/Calls', body: (b) => (b as { to?: { number?: string } }).to?.number === '13800000022' },
      { status: 500 },
    );
    expect(sim.pendingFaults()).toEqual(['POST /Calls ×1']);
    // Another target is not matched: it goes through.
    const first = await create('13800000021');
    expect(sim.call(first.sid)).toBeDefined();
    const err = await create('13800000022').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JambonzApiError);
    expect((err as JambonzApiError).status).toBe(500);
    expect((await fault.fired).body).toMatchObject({ to: { number: '13800000022' } });
    expect(sim.pendingFaults()).toEqual([]);
    expect(sim.calls().filter((c) => c.to === '13800000022')).toEqual([]);
    // Used up: the same request works again.
    const again = await create('13800000022');
    expect(sim.call(again.sid)).toBeDefined();
    expect(sim.restRequests().map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/Calls', 201],
      ['POST', '/Calls', 500],
      ['POST', '/Calls', 201],
    ]);
  });

  it('answers 480 with the API server’s message, never masks an auth failure, and refuses statuses jambonz never sends', async () => {
    sim.failNext({ method: 'POST', path: '/Calls' }, { status: 480 }, 2);
    const bad = await fetch(`${sim.apiBaseUrl}/Accounts/${sim.accountSid}/Calls`, {
      method: 'POST',
      headers: { Authorization: 'Bearer wrong', 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(bad.status).toBe(401);
    expect(sim.pendingFaults()).toEqual(['POST /Calls ×2']);
    const err = (await create('13800000023').catch((e: unknown) => e)) as JambonzApiError;
    expect([err.status, err.body]).toEqual([480, { msg: 'no available feature servers at this time' }]);
    expect(sim.pendingFaults()).toEqual(['POST /Calls ×1']);
    expect(() => sim.failNext({ method: 'GET', path: '/Calls' }, { status: 418 as 500 })).toThrow(/never answers 418/);
  });
});
