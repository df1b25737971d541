/**
 * `@switchboard/crm-screen-pop`: the caller's record from the company's CRM as a card on the
 * agent's workbench (INT-02). See the package README for the CRM protocol and the options.
 *
 * @example
 * import { crmScreenPop } from '@switchboard/crm-screen-pop'
 * defineConfig({ plugins: [crmScreenPop({ url: env.CRM_URL, authHeader: env.CRM_AUTH_HEADER })] })
 */
export { crmScreenPop, screenPop, SCREEN_POP_ANNOTATION, type CrmScreenPopDeps } from './plugin.js';
export {
  CrmScreenPopClient,
  MAX_ANSWER_BYTES,
  type CrmCustomer,
  type CrmFailure,
  type CrmScreenPopClientOptions,
  type LookupContext,
} from './crm-client.js';
export {
  CARD_LIMITS,
  cardText,
  cardUrlSchema,
  notFoundCard,
  uiCardSchema,
  unavailableCard,
  withoutNumber,
  type ScreenPopCard,
} from './card.js';
export {
  crmScreenPopOptions,
  DEFAULT_CRM_TIMEOUT_MS,
  MAX_CRM_TIMEOUT_MS,
  type CrmScreenPopConfig,
  type CrmScreenPopOptions,
} from './options.js';
