/**
 * The set-up the simulator's own tests share: before each test a fresh toy app and simulator
 * (`startSimulatorFixture`) with a status hook that accepts everything, stopped after it.
 */
import { afterEach, beforeEach } from 'vitest';
import type { JambonzRestClient } from '../../src/protocol/rest-client.js';
import type { JambonzSimulator } from '../../src/simulator/simulator.js';
import { startSimulatorFixture, type TestApp } from '../../src/simulator/test-app.js';

/** The app, simulator and REST client of the running test. */
export interface SimulatorFixture {
  readonly app: TestApp;
  readonly sim: JambonzSimulator;
  readonly rest: JambonzRestClient;
}

/** Registers the hooks (call it inside a `describe`) and returns the running test's fixture. */
export function useSimulatorFixture(secret: string, opts: { timeScale?: number } = {}): SimulatorFixture {
  let current: SimulatorFixture | undefined;
  beforeEach(async () => {
    current = await startSimulatorFixture(secret, opts);
    current.app.route('/status', () => undefined);
  });
  afterEach(async () => {
    await current?.sim.stop();
    await current?.app.close();
    current = undefined;
  });
  const get = (): SimulatorFixture => {
    if (!current) throw new Error('the simulator fixture starts in beforeEach');
    return current;
  };
  return {
    get app() {
      return get().app;
    },
    get sim() {
      return get().sim;
    },
    get rest() {
      return get().rest;
    },
  };
}
