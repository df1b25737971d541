import { secretSetting, singleLine } from '@switchboard/core/plugin';
import { z } from 'zod';

/** A member's WeCom user id, as an admin types it. */
const wecomUserIdSetting = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'a WeCom user id (letters, digits, _ . @ -)');

/** WeCom's server API, where every call goes unless a test points a tenant elsewhere. */
export const WECOM_API_BASE_URL = 'https://qyapi.weixin.qq.com/cgi-bin';

/**
 * WeCom retries a callback it has no answer to within 5 s; a request the callback route makes
 * (e.g. `externalcontact/get`) must give up well before that.
 */
export const MAX_WECOM_TIMEOUT_MS = 4000;

/** Default timeout of one WeCom API request (token included), in ms. */
export const DEFAULT_WECOM_TIMEOUT_MS = 2500;

/**
 * Install-wide options of `wecomAddFriend(...)` (`plugins.config.ts`), validated at boot.
 * Everything that belongs to one corp is in {@link wecomTenantSettings}.
 */
export const wecomAddFriendOptions = z
  .object({
    /** Longest one WeCom API request may take, in ms (also capped by the caller's signal). */
    timeoutMs: z.number().int().min(50).max(MAX_WECOM_TIMEOUT_MS).default(DEFAULT_WECOM_TIMEOUT_MS),
    /**
     * Honour a tenant's `apiBaseUrl`. Off by default: a tenant admin must not be able to point
     * the server's requests (and the corp secret) at an arbitrary host. Tests turn it on to
     * reach their WeCom double.
     */
    allowApiBaseUrl: z.boolean().default(false),
    /**
     * This server's public address (`PUBLIC_URL`), e.g. `https://cc.example.com`: the one-time
     * links in members' message cards point here. Without it no task can be sent.
     */
    publicUrl: z
      .url({ protocol: /^https?$/, message: 'an http or https URL' })
      .max(500)
      .optional(),
  })
  .strict();

/** What `wecomAddFriend(...)` takes. */
export type WeComAddFriendOptions = z.input<typeof wecomAddFriendOptions>;
/** The options after validation. */
export type WeComAddFriendConfig = z.output<typeof wecomAddFriendOptions>;

/**
 * The settings each tenant's admin fills in for their WeCom corp (per-tenant, ADR 0013). The
 * secrets are write-only in the API and stored encrypted.
 */
export const wecomTenantSettings = z
  .object({
    /** 企业ID (`ww…`): also the ReceiveId every callback must carry. */
    corpId: singleLine(64).regex(/^[A-Za-z0-9_-]+$/, 'a WeCom corp id'),
    /** The self-built app's AgentId (应用 AgentId). */
    agentId: z.coerce
      .number()
      .int()
      .min(1)
      .max(2 ** 31 - 1),
    /** The self-built app's Secret. */
    corpSecret: secretSetting(singleLine(200)),
    /** The callback's Token (接收消息 → Token): signs every callback. */
    callbackToken: secretSetting(singleLine(32).regex(/^[A-Za-z0-9]+$/, 'letters and digits')),
    /** The callback's EncodingAESKey: exactly 43 characters. */
    encodingAesKey: secretSetting(
      z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9]{43}$/, '43 letters and digits'),
    ),
    /**
     * The members an agent may hand a customer to (the "加微" picker), as JSON:
     * `[{ "userId": "zhangsan", "name": "张三" }]`. Kept here because WeCom no longer gives new
     * apps members' names.
     */
    members: z
      .array(z.object({ userId: wecomUserIdSetting, name: singleLine(40) }).strict())
      .min(1)
      .max(200)
      .refine((m) => new Set(m.map((x) => x.userId)).size === m.length, 'each userId once'),
    /** Hours a task waits for the member to add the customer before it expires (1…720, default 72). */
    taskHours: z.coerce.number().int().min(1).max(720).default(72),
    /** Another API base URL (tests only; honoured when the install allows it). */
    apiBaseUrl: z
      .url({ protocol: /^https?$/, message: 'an http or https URL' })
      .max(500)
      .optional(),
  })
  .strict();

/** One tenant's WeCom settings, validated, secrets in clear. */
export type WeComTenantSettings = z.output<typeof wecomTenantSettings>;
