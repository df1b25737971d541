/**
 * `@switchboard/jambonz-apps`: the jambonz telephony adapter. Use it in `plugins.config.ts`:
 *
 * @example
 * telephony: jambonz({ apiBaseUrl: process.env.JAMBONZ_API_URL ?? 'simulator', webhookSecret: … })
 */
export { jambonz, type JambonzOptions } from './app/adapter.js';
export * as protocol from './protocol/index.js';
