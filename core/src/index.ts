/**
 * `@switchboard/core`: the server, its configuration and the pieces other workspaces build on.
 * Plugins import from `@switchboard/core/plugin` instead.
 */
export { defineConfig, resolveConfig, type SwitchboardConfig, type ResolvedConfig } from './config/config.js';
export { createApp, type App, type CreateAppOptions } from './app.js';
export { AppError, createError, isAppError, ERROR_CODES, type ErrorCode } from './errors/registry.js';
export { ApiRouter, authorize, type RouteAccess, type RouteSpec } from './http/api-router.js';
export type { AppContext, AppState } from './http/types.js';
export type { Cradle } from './container.js';
export type { Principal, Scope } from './modules/auth/principal.js';
export type { SmsSender } from './modules/auth/sms-sender.js';
export type { Role } from './modules/users/schema.js';
export type { Edition } from './modules/tenants/schema.js';
export type { EventBus } from './realtime/bus.js';
export type { ServerEvents, ServerEventType, Audience } from './realtime/events.js';
export type { JobQueue } from './jobs/job-queue.js';
export type {
  CallAction,
  CallFlow,
  InstalledTelephony,
  LegContext,
  LegStatus,
  LivenessHint,
  Prompt,
  RecordingSink,
  RecordingWriter,
  TelephonyAdapter,
  TelephonyContext,
  TelephonyMetrics,
  TelephonyPort,
} from './telephony/types.js';
export type { UpgradeHandler } from './http/upgrade-router.js';
export { ProviderUnavailableError, isProviderUnavailable } from './telephony/types.js';
