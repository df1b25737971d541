import { definePlugin, secretSetting } from '@switchboard/core/plugin';
import { z } from 'zod';

/** Install-wide options, from `plugins.config.ts` (secrets come from the environment). */
export const __CAMEL__Options = z.object({
  /** Budget of one call to the business system, in ms. */
  timeoutMs: z.number().int().min(50).max(5000).default(800),
});

/** What each tenant's admin fills in in the console (Plugins page). Secrets are write-only. */
export const __CAMEL__TenantSettings = z.object({
  /** Where this tenant's business system lives. */
  baseUrl: z.url({ protocol: /^https?$/ }).describe('Base URL of your system'),
  apiToken: secretSetting(z.string().min(8).describe('API token')),
});

/**
 * __NAME__: an example that annotates each inbound call with a greeting and counts ended
 * calls per tenant. Replace the hooks with your integration (docs/plugins.md lists them all).
 */
export const __CAMEL__ = definePlugin({
  name: '__NAME__',
  version: '0.1.0',
  coreVersion: '__CORE_RANGE__',
  config: __CAMEL__Options,
  tenantSettings: __CAMEL__TenantSettings,
  deps: ['logger'],
  // A broken setting of this plugin must not stop the contact center.
  onBootFailure: 'continue',
  hooks: {
    // Runs on the call path: keep it short, honour ctx.signal, return JSON only.
    'call.incoming': (call, ctx) => ({
      annotations: { __CAMEL__: { greeting: `Welcome from ${new URL(ctx.tenantSettings.baseUrl).host}` } },
    }),
    'call.ended': (call, ctx) => {
      ctx.deps.logger.info({ sessionId: call.sessionId, tenantId: call.tenantId }, 'call ended');
    },
  },
});
