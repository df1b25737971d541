import { randomInt } from 'node:crypto';
import { asValue } from 'awilix';
import { expect } from 'vitest';
import { FixedClock } from '../../../core/src/clock.js';
import type { IvrGraphInput } from '../../../core/src/modules/ivr/flow-model.js';
import { seedCallCenter, type CallCenter } from '../../../core/test/support/call-center.js';
import { startTestApp, type TestApp } from '../../../core/test/support/test-app.js';
import { jambonz } from '../../src/app/adapter.js';
import type { JambonzSimulator, SimCall } from '../../src/simulator/index.js';
import { until } from './harness.js';

/** 1 simulated second = 20 ms: a menu timeout of 8 s passes in 160 ms. */
export const TIME_SCALE = 0.02;

/**
 * An IVR end-to-end test world: the real app with the jambonz simulator, a seeded call center
 * (skill groups, agents, an admin), and a fixed clock the call path reads (working hours).
 * Flows are made and bound through the public API, as an admin would.
 */
export interface IvrWorld {
  t: TestApp;
  sim: JambonzSimulator;
  cc: CallCenter;
  clock: FixedClock;
}

export async function startIvrWorld(opts: {
  slug: string;
  agents?: number;
  edition?: 'standard' | 'advanced';
  settings?: Record<string, unknown>;
}): Promise<IvrWorld> {
  const t = await startTestApp({
    config: {
      telephony: jambonz({
        apiBaseUrl: 'simulator',
        webhookSecret: `${opts.slug}-secret`,
        simulator: { timeScale: TIME_SCALE },
      }),
      calls: { wrapUpSeconds: 0, sweepIntervalMs: 200 },
    },
  });
  const sim = t.app.telephony!.extra!.simulator as JambonzSimulator;
  const cc = await seedCallCenter(t, {
    slug: opts.slug,
    agents: opts.agents ?? 1,
    ...(opts.edition ? { edition: opts.edition } : {}),
    ...(opts.settings ? { settings: opts.settings } : {}),
  });
  // Tuesday 2026-11-24 10:00 in Shanghai, until a test moves it.
  const clock = new FixedClock(new Date('2026-11-24T02:00:00Z'));
  t.app.container.register({ clock: asValue(clock) });
  return { t, sim, cc, clock };
}

/** Creates a flow through the API (IVR-33) and returns its id. */
export async function createFlow(w: IvrWorld, graph: IvrGraphInput, name = `flow-${randomInt(1e9)}`): Promise<string> {
  const res = await w.t.request('POST', '/api/v1/ivr-flows', { token: w.cc.admin.token, body: { name, graph } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/**
 * A new number of the tenant (provisioned, as the operator does) bound through the API to the
 * flow (ADM-03) — pinned to `version` if given (IVR-35). Returns the digits to dial.
 */
export async function bindNewNumber(w: IvrWorld, flowId: string, version?: number): Promise<string> {
  const digits = `400${randomInt(1_000_000, 9_999_999)}`;
  const n = await w.t.app.container.cradle.numberRepo.create(w.cc.tenantId, { number: digits, label: 'Test line' });
  const res = await w.t.request('PATCH', `/api/v1/numbers/${n.id}`, {
    token: w.cc.admin.token,
    body: { ivrFlowId: flowId, ...(version ? { ivrFlowVersion: version } : {}) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return digits;
}

/** Places a call to `number`; `from` defaults to a fresh mobile number. */
export function dial(w: IvrWorld, number: string, from = `139${randomInt(10_000_000, 99_999_999)}`): Promise<SimCall> {
  return w.sim.placeCall({ from, to: number });
}

/** The call's session id (once the call path has made it). */
export async function sessionIdOf(w: IvrWorld, call: SimCall): Promise<string> {
  return until(async () => {
    const r = await w.t.app.database.pool.query('select id from call_sessions where customer_call_sid = $1', [
      call.callSid,
    ]);
    return r.rows[0]?.id as string | undefined;
  }, 'session');
}

/** The call's record through the CDR API. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on the JSON loosely
export async function cdrOf(w: IvrWorld, call: SimCall): Promise<any> {
  const sessionId = await sessionIdOf(w, call);
  return until(async () => {
    const res = await w.t.request('GET', `/api/v1/records/${sessionId}`, { token: w.cc.admin.token });
    return res.status === 200 ? res.body : undefined;
  }, `CDR of ${sessionId}`);
}

/** Waits until the call is over and returns everything the caller heard, in order. */
export async function heardUntilEnd(call: SimCall): Promise<string[]> {
  await call.ended;
  return [...call.heard];
}
