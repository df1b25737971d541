import { defineConfig } from 'vitest/config';

// `source`: inside the Switchboard repository, test against core's TypeScript, no build needed.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: { include: ['test/**/*.test.ts'] },
});
