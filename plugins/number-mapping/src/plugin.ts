import { definePlugin } from '@switchboard/core/plugin';
import { asValue } from 'awilix';
import { z } from 'zod';
import { NumberMappingClient } from './mapping-client.js';
import { numberMappingSettings } from './settings.js';

/** Install-wide options: none (everything is per tenant). */
export const numberMappingOptions = z.object({}).strict();

/** What the plugin keeps in its DI container. */
export interface NumberMappingDeps extends Record<string, unknown> {
  numberMappingClient: NumberMappingClient;
}

/**
 * The number mapping plugin (RT-08, OUT-10, advanced edition): for a tenant that turned it on,
 * every customer number that reaches a call — an inbound caller, a number an agent dials — is
 * turned into the company's user ID by the tenant's mapping API, and agents see only that ID
 * everywhere (core's `number.identify`); when the API knows nobody or does not answer in time,
 * they see the masked number. Agents dial a customer by ID and the plugin gives core the number
 * behind it (`number.resolve`). Admins and supervisors still see real numbers.
 *
 * @example
 * // plugins.config.ts
 * plugins: [numberMapping({})]
 */
export const numberMapping = definePlugin<
  typeof numberMappingOptions,
  NumberMappingDeps,
  'clock',
  typeof numberMappingSettings
>({
  name: 'number-mapping',
  version: '1.0.0',
  coreVersion: '^0.1.0',
  edition: 'advanced',
  config: numberMappingOptions,
  tenantSettings: numberMappingSettings,
  // The cache's clock is core's, so tests can move time instead of waiting for it.
  deps: ['clock'],
  register: ({ container, logger, deps }) => {
    container.register({ numberMappingClient: asValue(new NumberMappingClient({ clock: deps.clock, logger })) });
  },
  hooks: {
    'number.identify': async ({ tenantId, number }, ctx) => {
      const { shownAs, source } = await ctx.deps.numberMappingClient.identify(
        tenantId,
        number,
        ctx.tenantSettings,
        ctx.signal,
      );
      ctx.logger.debug({ tenantId, source }, 'number identified');
      return { shownAs };
    },
    'number.resolve': async ({ tenantId, customerId }, ctx) => {
      const number = await ctx.deps.numberMappingClient.resolve(tenantId, customerId, ctx.tenantSettings, ctx.signal);
      return number === undefined ? undefined : { number };
    },
  },
});
