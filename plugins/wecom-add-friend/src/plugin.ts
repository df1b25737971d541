import { definePlugin, type PluginRouteContext } from '@switchboard/core/plugin';
import { asValue } from 'awilix';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  CallbackRefused,
  MAX_CALLBACK_BYTES,
  openCallback,
  parseCallbackEvent,
  parseFlatXml,
  type SignedQuery,
} from './callback.js';
import { WeComCallbackEvents } from './events.js';
import { wecomAddFriendOptions, wecomTenantSettings, type WeComTenantSettings } from './options.js';
import { WeComClient } from './wecom-client.js';

/** What the plugin keeps in its DI container. */
export interface WeComAddFriendDeps extends Record<string, unknown> {
  /** The WeCom API client (every tenant's corp; token cache inside). */
  wecomAddFriendClient: WeComClient;
  /** Accepted callback events, deduplicated, delivered off the request path. */
  wecomAddFriendEvents: WeComCallbackEvents;
}

const tenantParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const param = (max: number) => z.string().min(1).max(max);
const signedQuery = z.object({
  msg_signature: z.string().regex(/^[0-9a-fA-F]{40}$/),
  timestamp: z.string().regex(/^\d{1,12}$/),
  nonce: param(64),
});
const verifyQuery = signedQuery.extend({ echostr: param(1024) });

/** Answers a refusal the way core's API does: `{ error: { code, message } }`. */
function refuse(ctx: PluginRouteContext, status: 400 | 403 | 404, code: string, message: string): void {
  ctx.status = status;
  ctx.body = { error: { code, message } };
}

/**
 * The tenant the callback URL names, with its settings; `undefined` (answered 404) when the
 * tenant is unknown or has not turned the plugin on — the same answer, so the URL does not
 * tell which tenants exist.
 */
async function tenantFor(
  ctx: PluginRouteContext,
  read: (tenantId: string) => Promise<WeComTenantSettings | undefined>,
): Promise<{ tenantId: string; settings: WeComTenantSettings } | undefined> {
  const id = tenantParam.safeParse(ctx.params.tenantId);
  const settings = id.success ? await read(id.data) : undefined;
  if (!id.success || !settings) {
    refuse(ctx, 404, 'not_found', 'No WeCom callback here');
    return undefined;
  }
  return { tenantId: id.data, settings };
}

/** The raw body: core's body parser keeps it on `rawBody`; otherwise read here, capped. */
async function rawBody(ctx: PluginRouteContext): Promise<string | undefined> {
  const kept = (ctx.request as { rawBody?: unknown }).rawBody;
  if (Buffer.isBuffer(kept)) return kept.length > MAX_CALLBACK_BYTES ? undefined : kept.toString('utf8');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_CALLBACK_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function signed(q: z.output<typeof signedQuery>): SignedQuery {
  return { msgSignature: q.msg_signature, timestamp: q.timestamp, nonce: q.nonce };
}

function logRefusal(logger: Logger, tenantId: string, err: CallbackRefused): void {
  logger.warn({ tenantId, reason: err.reason }, 'WeCom callback refused');
}

/**
 * The WeCom add-friend plugin (CTL-12, advanced edition). This package is its foundation: the
 * per-tenant corp settings, the WeCom API client and the callback URL
 * `/plugins/wecom-add-friend/callback/<tenantId>` (URL verification and encrypted events).
 * Tasks, the agent's action and the reveal link build on it (see README).
 *
 * @example
 * // plugins.config.ts
 * plugins: [wecomAddFriend({})]
 */
export const wecomAddFriend = definePlugin<
  typeof wecomAddFriendOptions,
  WeComAddFriendDeps,
  'clock',
  typeof wecomTenantSettings
>({
  name: 'wecom-add-friend',
  version: '0.1.0',
  coreVersion: '^0.1.0',
  config: wecomAddFriendOptions,
  tenantSettings: wecomTenantSettings,
  edition: 'advanced',
  // Token expiry and the callback's timestamp window are measured on core's clock (tests move it).
  deps: ['clock'],
  // A broken WeCom setup must not stop the contact center.
  onBootFailure: 'continue',
  register: ({ container, config, logger, deps }) => {
    container.register({
      wecomAddFriendClient: asValue(new WeComClient({ ...config, logger, clock: deps.clock })),
      wecomAddFriendEvents: asValue(new WeComCallbackEvents(logger)),
    });
  },
  routes: (router, { logger, deps, tenantSettings }) => {
    // URL verification (保存回调 URL): answer the decrypted echostr, plain, nothing else.
    router.get('/callback/:tenantId', { public: true }, async (ctx) => {
      const tenant = await tenantFor(ctx, tenantSettings);
      if (!tenant) return;
      const q = verifyQuery.safeParse(ctx.query);
      if (!q.success)
        return refuse(ctx, 400, 'validation_failed', 'msg_signature, timestamp, nonce and echostr are required');
      try {
        const echo = openCallback(tenant.settings, signed(q.data), q.data.echostr, deps.clock.now().getTime());
        ctx.type = 'text/plain';
        ctx.body = echo;
      } catch (err) {
        if (!(err instanceof CallbackRefused)) throw err;
        logRefusal(logger, tenant.tenantId, err);
        refuse(
          ctx,
          err.status,
          err.status === 403 ? 'forbidden' : 'validation_failed',
          'The WeCom signature does not match',
        );
      }
    });

    // Events: `<xml><ToUserName/><AgentID/><Encrypt/></xml>`, signature over Encrypt.
    router.post('/callback/:tenantId', { public: true }, async (ctx) => {
      const tenant = await tenantFor(ctx, tenantSettings);
      if (!tenant) return;
      const q = signedQuery.safeParse(ctx.query);
      if (!q.success) return refuse(ctx, 400, 'validation_failed', 'msg_signature, timestamp and nonce are required');
      const body = await rawBody(ctx);
      const encrypted = body === undefined ? undefined : parseFlatXml(body)?.Encrypt;
      if (!encrypted) return refuse(ctx, 400, 'validation_failed', 'The body is not a WeCom callback');
      let message: string;
      try {
        message = openCallback(tenant.settings, signed(q.data), encrypted, deps.clock.now().getTime());
      } catch (err) {
        if (!(err instanceof CallbackRefused)) throw err;
        logRefusal(logger, tenant.tenantId, err);
        return refuse(
          ctx,
          err.status,
          err.status === 403 ? 'forbidden' : 'validation_failed',
          'The WeCom callback was refused',
        );
      }
      const event = parseCallbackEvent(message);
      if (!event) {
        logRefusal(logger, tenant.tenantId, new CallbackRefused('bad_xml', 400));
        return refuse(ctx, 400, 'validation_failed', 'The WeCom message is not understood');
      }
      deps.wecomAddFriendEvents.deliver(tenant.tenantId, event);
      // An empty 200: no passive reply, and WeCom does not retry.
      ctx.status = 200;
      ctx.type = 'text/plain';
      ctx.body = '';
    });
  },
});
