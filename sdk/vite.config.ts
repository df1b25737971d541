import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The SDK as a CRM loads it: an ES module (`import * as switchboard from …`) and a UMD bundle
 * for a plain `<script>` tag (`window.switchboard`). No dependencies, ES2020 for older browsers.
 */
export default defineConfig({
  build: {
    target: 'es2020',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    lib: {
      entry: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      name: 'switchboard',
      formats: ['es', 'umd'],
      fileName: (format) => (format === 'es' ? 'switchboard-sdk.js' : 'switchboard-sdk.umd.js'),
    },
  },
});
