/**
 * The one error-code registry. Every error that crosses the HTTP boundary is an
 * {@link AppError} created from a code declared here, so clients can rely on a stable
 * `code` string and a fixed HTTP status for it.
 *
 * Why one table: codes are part of the public API (SDKs switch on them); keeping them in
 * one place stops two modules from inventing `not_found` and `notFound` for the same thing.
 */

/** Declared error codes with their HTTP status and default message. */
export const ERROR_CODES = {
  // Request shape
  validation_failed: { status: 400, message: 'The request is not valid' },
  malformed_json: { status: 400, message: 'The request body is not valid JSON' },
  payload_too_large: { status: 413, message: 'The request body is too large' },
  unsupported_media_type: { status: 415, message: 'Send the body as application/json' },
  not_found: { status: 404, message: 'Not found' },
  route_not_found: { status: 404, message: 'No such route' },
  method_not_allowed: { status: 405, message: 'Method not allowed' },
  conflict: { status: 409, message: 'The resource conflicts with an existing one' },
  range_not_satisfiable: { status: 416, message: 'The requested byte range is not satisfiable' },
  invalid_state_transition: { status: 409, message: 'That state change is not allowed now' },
  telephony_unavailable: { status: 503, message: 'No telephony provider is configured' },
  telephony_busy: {
    status: 503,
    message: 'The telephony provider could not place the call now (no capacity or a server error); try again',
  },
  database_busy: { status: 503, message: 'The database is too busy to answer in time; try again' },
  // Devices and internal calls
  agent_busy: { status: 409, message: 'The agent is on a call or not available' },
  agent_unreachable: { status: 409, message: 'The agent cannot be reached on any device' },
  agent_offline: { status: 409, message: 'The agent is offline' },
  // Outbound calls (OUT-01/07)
  no_caller_id: { status: 409, message: 'The tenant has no number to show as the caller ID' },
  // Live call control
  not_your_call: { status: 403, message: 'Only the agent on this call or a supervisor may do that' },
  session_not_live: { status: 409, message: 'The call is not in progress with an agent' },
  session_still_live: { status: 409, message: 'The call is still in progress' },
  already_held: { status: 409, message: 'The call is already on hold' },
  not_held: { status: 409, message: 'The call is not on hold' },
  already_muted: { status: 409, message: 'The microphone is already muted' },
  not_muted: { status: 409, message: 'The microphone is not muted' },
  customer_away: { status: 409, message: 'The customer is away from the call (digits, self-service, transfer)' },
  agent_unavailable: { status: 409, message: 'That agent cannot take the call now' },
  no_device: { status: 409, message: 'There is no phone or WebRTC device to ring' },
  // IVR
  flow_invalid: { status: 400, message: 'The IVR flow has problems; see details' },
  flow_in_use: { status: 409, message: 'The IVR flow is in use' },
  version_frozen: { status: 409, message: 'A published version cannot be changed; derive a new version from it' },
  // Audio library (ADM-01) and TTS preview (IVR-02)
  audio_unsupported_type: { status: 415, message: 'Upload a WAV or MP3 file' },
  audio_too_large: { status: 413, message: 'The audio file is too large' },
  audio_too_long: { status: 422, message: 'The audio file is too long' },
  audio_invalid: { status: 422, message: 'The audio file is corrupt or has no playable audio' },
  audio_in_use: { status: 409, message: 'IVR flows play this audio file' },
  media_signature_invalid: { status: 403, message: 'The media link is not valid' },
  tts_unavailable: { status: 503, message: 'No text-to-speech engine is available' },
  tts_failed: { status: 502, message: 'The text-to-speech engine failed' },
  // Internal messages (AGT-05)
  image_unsupported_type: { status: 415, message: 'Send a PNG, JPEG, GIF or WebP image' },
  image_too_large: { status: 413, message: 'The image is too large' },
  // Auth
  unauthenticated: { status: 401, message: 'Authentication is required' },
  invalid_token: { status: 401, message: 'The token is invalid or expired' },
  invalid_credentials: { status: 401, message: 'Wrong email or password' },
  invalid_sms_code: { status: 401, message: 'The code is wrong or expired' },
  invalid_refresh_token: { status: 401, message: 'The refresh token is invalid, expired or revoked' },
  invalid_sdk_token: { status: 401, message: 'The SDK login token is invalid, used or expired; ask for a new one' },
  account_disabled: { status: 403, message: 'This account is disabled' },
  forbidden: { status: 403, message: 'Your role does not allow this' },
  edition_required: { status: 403, message: 'This feature needs a higher edition' },
  too_many_attempts: { status: 429, message: 'Too many attempts; try again later' },
  tenant_disabled: { status: 403, message: 'This organisation is disabled; contact your platform operator' },
  // Administration (issue 11)
  skill_group_in_use: {
    status: 409,
    message: 'IVR flows, numbers or calls in progress use this skill group (see details)',
  },
  import_invalid: { status: 422, message: 'The import has rows with errors; nothing was imported (see details)' },
  mail_failed: { status: 502, message: 'The mail could not be sent' },
  number_in_use: { status: 409, message: 'The number is still needed; see details' },
  platform_api_disabled: {
    status: 404,
    message: 'The platform API is off: set PLATFORM_API_KEY on the server to turn it on',
  },
  // Platform
  not_ready: { status: 503, message: 'The service is not ready' },
  webhook_signature_invalid: { status: 403, message: 'The webhook signature is missing or wrong' },
  plugin_config_invalid: { status: 500, message: 'A plugin configuration is invalid' },
  plugin_dependency_cycle: { status: 500, message: 'Plugins depend on each other in a cycle' },
  plugin_dependency_missing: { status: 500, message: 'A plugin depends on one that is not enabled' },
  plugin_boot_failed: { status: 500, message: 'A plugin failed to start' },
  plugin_hook_timeout: { status: 500, message: 'A plugin hook ran past its budget' },
  plugin_hook_failed: { status: 500, message: 'A plugin hook threw' },
  plugin_scope_violation: { status: 500, message: 'A plugin registered a key outside its scope' },
  plugin_boot_timeout: { status: 500, message: 'A plugin did not finish starting within the boot timeout' },
  plugin_dependency_undeclared: { status: 500, message: 'A plugin used a service it did not declare' },
  plugin_incompatible: { status: 500, message: 'A plugin does not support this core version' },
  plugin_record_invalid: { status: 500, message: 'A plugin tried to store a record that is not valid' },
  config_invalid: { status: 500, message: 'The configuration is invalid' },
  data_dir_locked: { status: 500, message: 'The data directory is in use by another Switchboard process' },
  internal: { status: 500, message: 'Internal error' },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable, documented error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * An error with a registered code. Throw it anywhere; the error middleware turns it into
 * `{ "error": { "code", "message", "details"? } }` with the code's status.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message?: string,
    opts: { details?: unknown; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message ?? ERROR_CODES[code].message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = opts.details;
    this.headers = opts.headers ?? {};
  }
}

/**
 * Create an {@link AppError} for a registered code.
 *
 * @example
 * throw createError('not_found', 'No user with that id')
 */
export function createError(
  code: ErrorCode,
  message?: string,
  opts?: { details?: unknown; cause?: unknown; headers?: Record<string, string> },
): AppError {
  return new AppError(code, message, opts);
}

/** True when `err` is an {@link AppError} (optionally of a given code). */
export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}
