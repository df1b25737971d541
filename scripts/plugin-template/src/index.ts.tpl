/**
 * `@switchboard/__NAME__`: see README.md.
 *
 * @example
 * import { __CAMEL__ } from '@switchboard/__NAME__'
 * defineConfig({ plugins: [__CAMEL__({})] })
 */
export { __CAMEL__, __CAMEL__Options, __CAMEL__TenantSettings } from './plugin.js';
