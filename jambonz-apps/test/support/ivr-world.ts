/**
 * IVR end-to-end tests on the live world: flows made and put on numbers (through the public
 * API, as an admin would, or stored directly), calls dialled, and what the caller heard.
 * `useIvrWorld` is the live world with one seeded call center and a fixed clock the call path
 * reads (working hours, `${SystemTime}`).
 */
import { randomInt } from 'node:crypto';
import { asValue } from 'awilix';
import { beforeAll, expect } from 'vitest';
import { FixedClock } from '../../../core/src/clock.js';
import type { IvrGraph, IvrGraphInput } from '../../../core/src/modules/ivr/flow-model.js';
import type { SimCall } from '../../src/simulator/index.js';
import { cdrOf, sessionIdOf, useLiveWorld, type LiveWorld } from './live-world.js';

/** 1 simulated second = 20 ms: a menu timeout of 8 s passes in 160 ms. */
export const TIME_SCALE = 0.02;

/** The live world with its call center and a clock pinned until a test moves it. */
export interface IvrWorld extends LiveWorld {
  readonly clock: FixedClock;
}

/** Registers the file's hooks (call it at the top level of a test file) and returns the world. */
export function useIvrWorld(opts: {
  slug: string;
  agents?: number;
  edition?: 'standard' | 'advanced';
  settings?: Record<string, unknown>;
}): IvrWorld {
  const w = useLiveWorld({
    secret: `${opts.slug}-secret`,
    timeScale: TIME_SCALE,
    calls: { wrapUpSeconds: 0, sweepIntervalMs: 200 },
    center: {
      slug: opts.slug,
      agents: opts.agents ?? 1,
      ...(opts.edition ? { edition: opts.edition } : {}),
      ...(opts.settings ? { settings: opts.settings } : {}),
    },
  });
  // Tuesday 2026-11-24 10:00 in Shanghai, until a test moves it.
  const clock = new FixedClock(new Date('2026-11-24T02:00:00Z'));
  beforeAll(() => {
    w.t.app.container.register({ clock: asValue(clock) });
  });
  return Object.assign(w, { clock });
}

/** Creates a flow through the API (IVR-33), validated as an admin's would be, and returns its id. */
export async function createFlow(w: LiveWorld, graph: IvrGraphInput, name = `flow-${randomInt(1e9)}`): Promise<string> {
  const res = await w.t.request('POST', '/api/v1/ivr-flows', { token: w.cc.admin.token, body: { name, graph } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** Stores a flow of the call center straight in its repository and returns its id. */
export async function storeFlow(w: LiveWorld, graph: unknown, name = `flow-${randomInt(1e9)}`): Promise<string> {
  return (await w.t.app.container.cradle.ivrRepo.create(w.cc.tenantId, name, graph as IvrGraph)).id;
}

/** Puts the flow on the call center's hotline (`cc.number`): new calls take it. */
export async function onHotline(w: LiveWorld, flowId: string): Promise<void> {
  await w.t.app.database.pool.query('update numbers set ivr_flow_id = $1 where tenant_id = $2', [
    flowId,
    w.cc.tenantId,
  ]);
}

/**
 * A new number of the tenant (provisioned, as the operator does) bound through the API to the
 * flow (ADM-03) — pinned to `version` if given (IVR-35). Returns the digits to dial.
 */
export async function bindNewNumber(w: LiveWorld, flowId: string, version?: number): Promise<string> {
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
export function dial(w: LiveWorld, number: string, from = `139${randomInt(10_000_000, 99_999_999)}`): Promise<SimCall> {
  return w.sim.placeCall({ from, to: number });
}

/** The call's record through the CDR API. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on the JSON loosely
export async function cdrOfCall(w: LiveWorld, call: SimCall): Promise<any> {
  return cdrOf(w, w.cc, await sessionIdOf(w, call));
}

/** Waits until the call is over and returns everything the caller heard, in order. */
export async function heardUntilEnd(call: SimCall): Promise<string[]> {
  await call.ended;
  return [...call.heard];
}

/** A prompt the text-to-speech engine says. */
export const say = (text: string) => ({ kind: 'say' as const, text });
