import { describe, expect, it } from 'vitest';
import { JambonzApiError } from '../protocol/rest-client.js';
import { TEST_SPEECH } from './test-app.js';
import { useSimulatorFixture } from '../../test/support/simulator-fixture.js';

const SECRET = 'wh_secret_fault_test';

/** Fault injection (`sim.failNext`): what tests of the app's crash paths stand on. */
describe('jambonz simulator: injected REST faults', () => {
  const fx = useSimulatorFixture(SECRET);

  const create = (number: string) =>
    fx.rest.createCall({
      from: '4001000000',
      to: { type: 'phone', number },
      call_hook: fx.app.url('/a'),
      call_status_hook: fx.app.url('/status'),
      ...TEST_SPEECH,
    });

  it('fails exactly the matching request, the given number of times, and creates no leg', async () => {
    fx.sim.phone('13800000021');
    fx.sim.phone('13800000022');
    const fault = fx.sim.failNext(
      { method: 'POST', path: '/Calls', body: (b) => (b as { to?: { number?: string } }).to?.number === '13800000022' },
      { status: 500 },
    );
    expect(fx.sim.pendingFaults()).toEqual(['POST /Calls ×1']);
    // Another target is not matched: it goes through.
    const first = await create('13800000021');
    expect(fx.sim.call(first.sid)).toBeDefined();
    const err = await create('13800000022').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JambonzApiError);
    expect((err as JambonzApiError).status).toBe(500);
    expect((await fault.fired).body).toMatchObject({ to: { number: '13800000022' } });
    expect(fx.sim.pendingFaults()).toEqual([]);
    expect(fx.sim.calls().filter((c) => c.to === '13800000022')).toEqual([]);
    // Used up: the same request works again.
    const again = await create('13800000022');
    expect(fx.sim.call(again.sid)).toBeDefined();
    expect(fx.sim.restRequests().map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/Calls', 201],
      ['POST', '/Calls', 500],
      ['POST', '/Calls', 201],
    ]);
  });

  it('answers 480 with the API server’s message, never masks an auth failure, and refuses statuses jambonz never sends', async () => {
    fx.sim.failNext({ method: 'POST', path: '/Calls' }, { status: 480 }, 2);
    const bad = await fetch(`${fx.sim.apiBaseUrl}/Accounts/${fx.sim.accountSid}/Calls`, {
      method: 'POST',
      headers: { Authorization: 'Bearer wrong', 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(bad.status).toBe(401);
    expect(fx.sim.pendingFaults()).toEqual(['POST /Calls ×2']);
    const err = (await create('13800000023').catch((e: unknown) => e)) as JambonzApiError;
    expect([err.status, err.body]).toEqual([480, { msg: 'no available feature servers at this time' }]);
    expect(fx.sim.pendingFaults()).toEqual(['POST /Calls ×1']);
    expect(() => fx.sim.failNext({ method: 'GET', path: '/Calls' }, { status: 418 as 500 })).toThrow(
      /never answers 418/,
    );
  });
});
