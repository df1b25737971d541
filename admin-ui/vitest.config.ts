import { defineProject, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.js';

/**
 * The admin-ui unit tests (components, stores, composables) in happy-dom. The root
 * `vitest.config.ts` lists this file as a project, so `npm test` runs them with the rest.
 */
export default mergeConfig(
  viteConfig,
  defineProject({
    test: {
      name: 'admin-ui',
      environment: 'happy-dom',
      include: ['src/**/*.test.ts'],
      // The softphone's tests run in Node with a real Chromium and server (its own config).
      exclude: ['src/softphone/**', '**/node_modules/**'],
    },
  }),
);
