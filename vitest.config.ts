import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Tests that need a real PostgreSQL server (LISTEN/NOTIFY across instances, concurrency)
// are named *.pg.test.ts. They are collected only when TEST_DATABASE_URL is set (as CI
// sets it); without it the run prints a notice instead of silently skipping them.
const realPg = Boolean(process.env.TEST_DATABASE_URL);
if (!realPg) {
  console.warn('[vitest] TEST_DATABASE_URL is not set: real-PostgreSQL tests (*.pg.test.ts) are not collected.');
}

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    // Budgets of a whole test or hook, not of any one step (steps wait on events): a 2-core
    // machine kept busy runs the live-call tests several times slower than a quiet one, and
    // a passing test costs nothing more for a generous budget.
    // Vitest's default is one worker per core minus one: a single worker on a 2-core machine.
    // Most test time is waiting (simulated calls run at real time, a browser renders), not CPU,
    // so one worker more than the cores keeps both busy; the tests wait on events, never on a
    // real-time budget, so they hold when workers share a core.
    maxWorkers: Number(process.env.VITEST_MAX_WORKERS) || availableParallelism() + 1,
    testTimeout: 60_000,
    // `expect.poll` waits for a condition, never for a time: its default of 1 s is a real-time
    // budget a busy machine misses. The test's own timeout still bounds a condition never met.
    expect: { poll: { timeout: 30_000, interval: 50 } },
    hookTimeout: 120_000,
    reporters: ['default', './core/test/support/summary-reporter.ts'],
    projects: [
      {
        // Node: the server, the adapter, plugins, and the web app's server-side and browser
        // tests (admin-ui/test, admin-ui/e2e: a real server and Chromium).
        extends: true,
        test: {
          name: 'node',
          include: [
            'core/src/**/*.test.ts',
            'core/test/**/*.test.ts',
            'jambonz-apps/src/**/*.test.ts',
            'jambonz-apps/test/**/*.test.ts',
            'plugins/*/src/**/*.test.ts',
            'plugins/*/test/**/*.test.ts',
            'demo-crm/src/**/*.test.ts',
            'demo-crm/test/**/*.test.ts',
            'admin-ui/test/**/*.test.ts',
            // The softphone's tests drive Chromium and a real server, so they run in Node.
            'admin-ui/src/softphone/**/*.test.ts',
            'admin-ui/e2e/**/*.e2e.test.ts',
            // The mini-program's stores against a real server, and its h5 build in Chromium.
            'miniprogram/test/**/*.test.ts',
            'miniprogram/e2e/**/*.e2e.test.ts',
          ],
          exclude: realPg ? ['**/node_modules/**'] : ['**/node_modules/**', '**/*.pg.test.ts'],
          globalSetup: ['core/test/support/global-setup.ts'],
          pool: 'forks',
        },
      },
      // The web app's unit tests (components, stores) in happy-dom.
      'admin-ui/vitest.config.ts',
    ],
  },
});
