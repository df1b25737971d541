/**
 * `@switchboard/core/plugin`: everything a plugin package imports — {@link definePlugin}, the
 * hook and payload types, the host's hook table, {@link createTestHost} for its tests, and the
 * text schema and number masking core uses itself.
 *
 * @example
 * import { definePlugin, createTestHost } from '@switchboard/core/plugin'
 */
export {
  definePlugin,
  pluginKeyPrefix,
  secretSetting,
  secretSettingKeys,
  PLUGIN_NAME_PATTERN,
  RESERVED_PLUGIN_NAMES,
  PLUGIN_CORE_SERVICES,
} from './plugins/define-plugin.js';
export { MAX_ANNOTATION_BYTES, checkAnnotations } from './plugins/annotations.js';
export { CORE_VERSION, DEFAULT_PLUGIN_BOOT_TIMEOUT_MS, gatePluginForTenant } from './plugins/host.js';
export type { PluginTenantGate, PluginTenantRecord, PluginTenantSource } from './plugins/host.js';
export { HOOK_POLICIES, HOOK_NAMES } from './plugins/policies.js';
export type { HookEmitResults, HookPolicy, HookPolicyOverrides } from './plugins/policies.js';
export { createTestHost, testPayload } from './plugins/test-host.js';
export type { CapturedLog, TestHost, TestHostOptions, TestTenant } from './plugins/test-host.js';
export type { HookPayload } from './plugins/host.js';
export type * from './plugins/types.js';
export { uiContributionsSchema, uiActionSchema, uiFieldSchema } from './plugins/ui-contributions.js';
export type {
  UiAction,
  UiActionView,
  UiContributions,
  UiContributionsInput,
  UiField,
} from './plugins/ui-contributions.js';
// What a plugin needs to take outside data safely: the API's one text schema (no control
// characters, bounded) and the number masking core applies for agents under protection (RT-07).
export { singleLine, multiLine, type TextOptions } from './http/text.js';
export { maskNumber, hideNumbers } from './modules/calls/number-protection.js';
// Recordings as a plugin meets them: the storage port it reads audio from, and the archive port
// an archive plugin reports its copy to (REC-09).
export { LocalDiskStorage, type StoragePort, type StorageSource } from './modules/recordings/storage.js';
export type { ArchivedCopyLink, ArchiveReport, RecordingArchivePort } from './modules/recordings/archive.js';
// A plugin's own records (its tasks, deliveries…) and the call an agent action was pressed on.
export { MemoryPluginRecordStore } from './modules/plugin-records/store.js';
export type {
  FindRecords,
  PluginRecord,
  PluginRecordsPort,
  PluginScoped,
  RecordMatch,
} from './modules/plugin-records/store.js';
export type { PluginCall, PluginCallsPort, PluginCallUser } from './modules/sessions/plugin-calls.js';
