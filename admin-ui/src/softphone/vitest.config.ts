import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * A private config for the softphone's tests until admin-ui has its own test set-up (then fold
 * these settings in and delete this file). Node environment: the browser tests drive a real
 * Chromium through playwright-core, and the simulated-phone test runs a real server; the server's
 * migrated-database snapshot comes from core's global set-up.
 *
 *   npx vitest run --config admin-ui/src/softphone/vitest.config.ts
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));

export default defineConfig({
  root,
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['admin-ui/src/softphone/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['core/test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
