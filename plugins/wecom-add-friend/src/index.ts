/**
 * `@switchboard/wecom-add-friend` (CTL-12, advanced edition): WeCom add-friend tasks — the
 * agent's "加微" action, the member's card and one-time link, WeCom's callback marking the task
 * added; see the package README.
 *
 * @example
 * import { wecomAddFriend } from '@switchboard/wecom-add-friend'
 * defineConfig({ plugins: [wecomAddFriend({ publicUrl: process.env.PUBLIC_URL })] })
 */
export { wecomAddFriend, WECOM_OAUTH_URL, type WeComAddFriendDeps } from './plugin.js';
export {
  TaskService,
  TaskRefused,
  STATUS_WORDS,
  TASK_KIND,
  viewOf,
  type AddFriendTask,
  type TaskServiceDeps,
  type TaskStatus,
  type TaskView,
} from './tasks.js';
export { revealPage, type RevealOutcome } from './reveal-page.js';
export {
  WeComClient,
  TOKEN_EXPIRY_MARGIN_MS,
  textCardSchema,
  wecomUserId,
  type CallContext,
  type ContactWay,
  type ExternalContact,
  type SentMessage,
  type TextCard,
  type WeComClientOptions,
} from './wecom-client.js';
export {
  WeComError,
  WECOM_ERROR_WORDS,
  TOKEN_INVALID_CODES,
  UNKNOWN_WORDS,
  wordsFor,
  type WeComFailure,
  type Words,
} from './errors.js';
export {
  CallbackRefused,
  MAX_CALLBACK_BYTES,
  MAX_CLOCK_SKEW_S,
  openCallback,
  parseCallbackEvent,
  parseFlatXml,
  type CallbackKeys,
  type CallbackRefusal,
  type ExternalContactChange,
  type SignedQuery,
  type WeComCallbackEvent,
} from './callback.js';
export { WeComCallbackEvents, type WeComEventListener } from './events.js';
export {
  wecomAddFriendOptions,
  wecomTenantSettings,
  WECOM_API_BASE_URL,
  DEFAULT_WECOM_TIMEOUT_MS,
  MAX_WECOM_TIMEOUT_MS,
  type WeComAddFriendConfig,
  type WeComAddFriendOptions,
  type WeComTenantSettings,
} from './options.js';
