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
      // The softphone's tests are Node tests (Chromium, a real server): the root config's node project runs them.
      exclude: ['**/node_modules/**', 'src/softphone/**'],
    },
  }),
);
