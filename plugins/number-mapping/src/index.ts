/**
 * `@switchboard/number-mapping`: agents see the company's user ID instead of the customer's
 * number, and dial by it (RT-08, OUT-10). See the package README.
 *
 * @example
 * import { numberMapping } from '@switchboard/number-mapping'
 * defineConfig({ plugins: [numberMapping({})] })
 */
export { numberMapping, numberMappingOptions, type NumberMappingDeps } from './plugin.js';
export { NumberMappingClient, type Identified, type IdentifySource, type MappingClientDeps } from './mapping-client.js';
export {
  MAX_TIMEOUT_MS,
  numberMappingSettings,
  type NumberMappingSettings,
  type NumberMappingSettingsInput,
} from './settings.js';
