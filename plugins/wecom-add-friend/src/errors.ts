/**
 * WeCom errors in words an agent understands. WeCom answers every call with `errcode`/`errmsg`;
 * `errmsg` is English developer text that changes over time, so we branch on the code and
 * show our own sentence (zh-CN first, English complete).
 */

/** A sentence in both UI languages. */
export interface Words {
  'zh-CN': string;
  en: string;
}

/** The codes we explain; others fall back to {@link UNKNOWN_WORDS} with the code appended. */
export const WECOM_ERROR_WORDS: Readonly<Record<number, Words>> = Object.freeze({
  [-1]: { 'zh-CN': '企业微信系统繁忙，请稍后再试', en: 'WeCom is busy; try again in a moment' },
  40001: {
    'zh-CN': '企业微信应用 Secret 不正确，请管理员检查插件设置',
    en: 'The WeCom app secret is wrong; ask an admin to check the plugin settings',
  },
  40003: { 'zh-CN': '企业微信成员不存在', en: 'That WeCom member does not exist' },
  40013: {
    'zh-CN': '企业ID 不正确，请管理员检查插件设置',
    en: 'The WeCom corp ID is wrong; ask an admin to check the plugin settings',
  },
  40014: { 'zh-CN': '企业微信凭证已失效，请重试', en: 'The WeCom credential is no longer valid; try again' },
  40029: {
    'zh-CN': '企业微信授权已失效，请从消息卡片重新打开链接',
    en: 'The WeCom sign-in has expired; open the link from the message card again',
  },
  40056: {
    'zh-CN': '应用 AgentId 不正确，请管理员检查插件设置',
    en: 'The WeCom app AgentId is wrong; ask an admin to check the plugin settings',
  },
  42001: { 'zh-CN': '企业微信凭证已过期，请重试', en: 'The WeCom credential has expired; try again' },
  45009: {
    'zh-CN': '企业微信接口调用过于频繁，请稍后再试',
    en: 'Too many requests to WeCom; try again later',
  },
  45033: { 'zh-CN': '企业微信接口并发过多，请稍后再试', en: 'Too many requests to WeCom at once; try again' },
  48002: {
    'zh-CN': '该应用没有调用此接口的权限，请管理员在企业微信后台开通',
    en: 'The WeCom app may not use this API; ask an admin to allow it in the WeCom console',
  },
  60011: {
    'zh-CN': '应用无权访问该成员，请管理员调整应用可见范围',
    en: 'The WeCom app may not reach this member; ask an admin to widen its visibility',
  },
  60020: {
    'zh-CN': '服务器 IP 不在企业微信可信 IP 列表中，请管理员添加',
    en: 'The server’s IP is not a trusted IP of the WeCom app; ask an admin to add it',
  },
  60111: { 'zh-CN': '企业微信成员不存在', en: 'That WeCom member does not exist' },
  81013: {
    'zh-CN': '接收人无效或不在应用可见范围内',
    en: 'No valid recipient: the member is unknown or outside the app’s visibility',
  },
  84061: {
    'zh-CN': '该成员与客户不是企业微信好友',
    en: 'This member and the customer are not WeCom contacts',
  },
});

/** Said for a code missing from {@link WECOM_ERROR_WORDS}. */
export const UNKNOWN_WORDS: Words = { 'zh-CN': '企业微信返回错误', en: 'WeCom returned an error' };

/** Why a WeCom call failed. */
export type WeComFailure =
  /** WeCom answered with a non-zero `errcode`. */
  | 'wecom'
  /** Our own request timeout ran out. */
  | 'timeout'
  /** The caller's signal (hook or route budget) aborted. */
  | 'aborted'
  /** No answer at all (DNS, connection refused, TLS…). */
  | 'network'
  /** An HTTP status other than 200, or an answer that is not the expected JSON. */
  | 'bad_answer';

const FAILURE_WORDS: Record<Exclude<WeComFailure, 'wecom'>, Words> = {
  timeout: { 'zh-CN': '企业微信响应超时，请稍后再试', en: 'WeCom did not answer in time; try again' },
  aborted: { 'zh-CN': '操作已取消', en: 'The request was cancelled' },
  network: { 'zh-CN': '无法连接企业微信', en: 'WeCom cannot be reached' },
  bad_answer: { 'zh-CN': '企业微信返回了无法识别的结果', en: 'WeCom gave an answer we do not understand' },
};

/** Codes after which the token is fetched again and the call retried once. */
export const TOKEN_INVALID_CODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);

/**
 * A failed WeCom call. `words` is what the agent is shown; `message` (English, with the
 * code and API) is for the log. Never carries the token, the secret or customer data.
 */
export class WeComError extends Error {
  override readonly name = 'WeComError';
  /** What the agent (or admin) reads, in both languages. */
  readonly words: Words;

  constructor(
    readonly reason: WeComFailure,
    /** The API path, e.g. `message/send`. */
    readonly api: string,
    /** WeCom's `errcode` (reason `wecom` only). */
    readonly errcode?: number,
    options?: { cause?: unknown; status?: number },
  ) {
    super(
      `WeCom ${api} failed: ${reason}${errcode !== undefined ? ` (errcode ${errcode})` : ''}${options?.status !== undefined ? ` (HTTP ${options.status})` : ''}`,
      options?.cause !== undefined ? { cause: options.cause } : undefined,
    );
    this.words = wordsFor(reason, errcode);
  }

  /** Worth trying again later (busy, limits, timeouts, network), as opposed to a setting to fix. */
  get retryable(): boolean {
    if (this.reason === 'wecom') return this.errcode === -1 || this.errcode === 45009 || this.errcode === 45033;
    return this.reason !== 'aborted' && this.reason !== 'bad_answer';
  }
}

/** The sentence for a failure; unknown codes name the code so support can look it up. */
export function wordsFor(reason: WeComFailure, errcode?: number): Words {
  if (reason !== 'wecom') return FAILURE_WORDS[reason];
  const known = errcode !== undefined ? WECOM_ERROR_WORDS[errcode] : undefined;
  if (known) return known;
  return {
    'zh-CN': `${UNKNOWN_WORDS['zh-CN']}（错误码 ${errcode ?? '?'}）`,
    en: `${UNKNOWN_WORDS.en} (code ${errcode ?? '?'})`,
  };
}
