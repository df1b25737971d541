/**
 * THE composition file: which telephony adapter and which plugins this installation runs,
 * with their options. Secrets come from the environment, never from this file.
 */
import { defineConfig } from '@switchboard/core';

export default defineConfig({
  plugins: [],
});
