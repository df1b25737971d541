/**
 * `@switchboard/core/plugin`: everything a plugin package imports — {@link definePlugin}, the
 * hook and payload types, the host's hook table and {@link createTestHost} for its tests.
 *
 * @example
 * import { definePlugin, createTestHost } from '@switchboard/core/plugin'
 */
export { definePlugin, pluginKeyPrefix, PLUGIN_NAME_PATTERN, PLUGIN_CORE_SERVICES } from './plugins/define-plugin.js';
export { MAX_ANNOTATION_BYTES, checkAnnotations } from './plugins/annotations.js';
export { DEFAULT_PLUGIN_BOOT_TIMEOUT_MS } from './plugins/host.js';
export { HOOK_POLICIES, HOOK_NAMES } from './plugins/policies.js';
export type { HookEmitResults, HookPolicy, HookPolicyOverrides } from './plugins/policies.js';
export { createTestHost, testPayload } from './plugins/test-host.js';
export type { CapturedLog, TestHost, TestHostOptions } from './plugins/test-host.js';
export type { HookPayload } from './plugins/host.js';
export type * from './plugins/types.js';
