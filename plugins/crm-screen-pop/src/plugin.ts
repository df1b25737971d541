import { definePlugin, type UiCard } from '@switchboard/core/plugin';
import { asValue } from 'awilix';
import { CrmScreenPopClient, type LookupContext } from './crm-client.js';
import { crmScreenPopOptions } from './options.js';

/** The annotation key the card is kept under on the session (and sent in `call.offer`). */
export const SCREEN_POP_ANNOTATION = 'screenPop';

/** What the plugin keeps in its DI container. */
export interface CrmScreenPopDeps extends Record<string, unknown> {
  crmScreenPopClient: CrmScreenPopClient;
}

/**
 * The annotations of a call with the customer's card: `{ screenPop: UiCard }`. Every call hook
 * of the plugin is this one line with the customer's number — the caller of an inbound call,
 * the callee of an outbound one.
 *
 * @example
 * hooks: {
 *   'call.incoming': (call, ctx) => screenPop(call.from, ctx),
 * }
 */
export async function screenPop(
  number: string,
  ctx: LookupContext & { deps: Pick<CrmScreenPopDeps, 'crmScreenPopClient'> },
): Promise<{ annotations: { [SCREEN_POP_ANNOTATION]: UiCard } }> {
  return { annotations: { [SCREEN_POP_ANNOTATION]: await ctx.deps.crmScreenPopClient.lookupCard(number, ctx) } };
}

/**
 * The CRM screen-pop plugin (INT-02): on every inbound call it asks the company's CRM for the
 * caller, and on every outbound call for the callee, and puts a card on the session, which the
 * agent's workbench shows with the offer or the dialling card.
 *
 * @example
 * // plugins.config.ts
 * plugins: [crmScreenPop({ url: 'https://crm.example.com/api/customers', authHeader: `Bearer ${env.CRM_TOKEN}` })]
 */
export const crmScreenPop = definePlugin<typeof crmScreenPopOptions, CrmScreenPopDeps, 'clock'>({
  name: 'crm-screen-pop',
  version: '1.0.0',
  config: crmScreenPopOptions,
  // The cache's clock is core's, so tests can move time instead of waiting for it.
  deps: ['clock'],
  // A wrong CRM setting must not stop the contact center: the start-up table names the key.
  onBootFailure: 'continue',
  register: ({ container, config, logger, deps }) => {
    container.register({
      crmScreenPopClient: asValue(new CrmScreenPopClient({ ...config, logger, clock: deps.clock })),
    });
  },
  hooks: {
    'call.incoming': (call, ctx) => screenPop(call.from, ctx),
    'call.outbound': (call, ctx) => screenPop(call.to, ctx),
  },
  ui: { cards: [{ annotation: SCREEN_POP_ANNOTATION, title: 'Customer' }] },
});
