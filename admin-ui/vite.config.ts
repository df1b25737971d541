import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/** Where `npm run dev` finds the API server (the root `dev` script starts one on port 3000). */
const apiTarget = process.env.SWITCHBOARD_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./src', import.meta.url)),
      // The SDK's message types and constants, from its source (both sides of one protocol).
      '@switchboard/sdk/protocol': fileURLToPath(new URL('../sdk/src/protocol.ts', import.meta.url)),
      // Source shared with the mini-program (call cards, a number's location), dependency-free.
      '@shared': fileURLToPath(new URL('../shared', import.meta.url)),
    },
  },
  // vue-i18n: messages are precompiled JSON objects, so the runtime-only build (no message
  // compiler, no `new Function`) is enough and the strict CSP needs no 'unsafe-eval'.
  define: {
    __VUE_I18N_FULL_INSTALL__: false,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
      '/ws': { target: apiTarget, ws: true },
      '/jambonz': { target: apiTarget },
      '/plugins': { target: apiTarget },
      '/healthz': { target: apiTarget },
    },
  },
  build: {
    target: 'es2022',
    // Budgeted by test/bundle-budget.test.ts; sourcemaps stay out of the served directory.
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
});
