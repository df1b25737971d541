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
import { revealPage, type RevealOutcome } from './reveal-page.js';
import { TaskRefused, TaskService } from './tasks.js';
import { WeComClient, wecomUserId } from './wecom-client.js';
import { WeComError, type Words } from './errors.js';

/** What the plugin keeps in its DI container. */
export interface WeComAddFriendDeps extends Record<string, unknown> {
  /** The WeCom API client (every tenant's corp; token cache inside). */
  wecomAddFriendClient: WeComClient;
  /** Accepted callback events, deduplicated, delivered off the request path. */
  wecomAddFriendEvents: WeComCallbackEvents;
  /** The tasks: assign, match WeCom's add events, the one-time link. */
  wecomAddFriendTasks: TaskService;
}

/** WeCom's OAuth page a member's browser is sent through, so we learn which member opened a link. */
export const WECOM_OAUTH_URL = 'https://open.weixin.qq.com/connect/oauth2/authorize';

/** Longest a request of the agent's action may spend on WeCom (two calls and the token). */
const ACTION_BUDGET_MS = 8000;

const taskBody = z
  .object({
    sessionId: z.uuid(),
    values: z
      .object({
        member: wecomUserId,
        note: z.string().max(200).optional(),
      })
      .strict(),
  })
  .strict();
const taskQuery = z.object({ sessionId: z.uuid() });
const revealParams = z.object({ tenantId: z.uuid(), taskId: z.string().regex(/^[0-9a-f]{12}$/) });
const revealSecret = z.string().regex(/^[A-Za-z0-9_-]{20,64}$/);

/** The agent's language for words: zh-CN unless the request prefers English. */
function languageOf(ctx: PluginRouteContext): keyof Words {
  return ctx.acceptsLanguages('zh-CN', 'zh', 'en') === 'en' ? 'en' : 'zh-CN';
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

/** The reveal page: never cached, never referred, no scripts. */
function page(ctx: PluginRouteContext, outcome: RevealOutcome): void {
  ctx.status =
    outcome.kind === 'number' ? 200 : outcome.kind === 'notMember' ? 403 : outcome.kind === 'gone' ? 410 : 502;
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Robots-Tag', 'noindex');
  ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = revealPage(outcome);
}

function logRefusal(logger: Logger, tenantId: string, err: CallbackRefused): void {
  logger.warn({ tenantId, reason: err.reason }, 'WeCom callback refused');
}

/**
 * The WeCom add-friend plugin (CTL-12, advanced edition): per-tenant corp settings, the agent's
 * "加微" action (`/members`, `/tasks`), the member's one-time link (`/reveal/…`, through WeCom
 * OAuth) and the callback URL `/plugins/wecom-add-friend/callback/<tenantId>` (URL verification
 * and encrypted events that mark tasks added). See README.
 *
 * @example
 * // plugins.config.ts
 * plugins: [wecomAddFriend({ publicUrl: env.PUBLIC_URL })]
 */
export const wecomAddFriend = definePlugin<
  typeof wecomAddFriendOptions,
  WeComAddFriendDeps,
  'clock' | 'pluginRecords' | 'pluginCalls',
  typeof wecomTenantSettings
>({
  name: 'wecom-add-friend',
  version: '0.1.0',
  coreVersion: '^0.1.0',
  config: wecomAddFriendOptions,
  tenantSettings: wecomTenantSettings,
  edition: 'advanced',
  // Token expiry and the callback's timestamp window are measured on core's clock (tests move it);
  // tasks are the plugin's own records; an action learns its call and shows the task on it.
  deps: ['clock', 'pluginRecords', 'pluginCalls'],
  ui: {
    actions: [
      {
        id: 'add-friend',
        placement: 'call',
        route: '/tasks',
        label: { 'zh-CN': '加微', en: 'Add on WeCom' },
        fields: [
          {
            kind: 'select',
            name: 'member',
            label: { 'zh-CN': '企业微信成员', en: 'WeCom member' },
            required: true,
            options: { route: '/members' },
          },
          { kind: 'textarea', name: 'note', label: { 'zh-CN': '备注', en: 'Note' }, maxLength: 200 },
        ],
      },
    ],
  },
  // A broken WeCom setup must not stop the contact center.
  onBootFailure: 'continue',
  register: ({ container, config, logger, deps, tenantSettings }) => {
    const client = new WeComClient({ ...config, logger, clock: deps.clock });
    const events = new WeComCallbackEvents(logger);
    const tasks = new TaskService({
      client,
      records: deps.pluginRecords,
      calls: deps.pluginCalls,
      clock: deps.clock,
      logger,
      publicUrl: config.publicUrl,
    });
    // WeCom's add events mark tasks added (off the callback's request path).
    events.on(async (tenantId, event) => {
      const settings = await tenantSettings(tenantId);
      if (settings) await tasks.onEvent(tenantId, event, settings, AbortSignal.timeout(config.timeoutMs * 2));
    });
    container.register({
      wecomAddFriendClient: asValue(client),
      wecomAddFriendEvents: asValue(events),
      wecomAddFriendTasks: asValue(tasks),
    });
  },
  routes: (router, { logger, deps, tenantSettings, config }) => {
    /** The signed-in user's tenant settings, or a 404 in words when the plugin is off for them. */
    const mySettings = async (ctx: PluginRouteContext) => {
      const settings = await tenantSettings(ctx.state.user!.tenantId);
      if (!settings) {
        const lang = languageOf(ctx);
        refuse(
          ctx,
          404,
          'not_found',
          lang === 'en' ? 'WeCom add-friend is not turned on for your company' : '企业微信加微未对本企业开启',
        );
      }
      return settings;
    };

    // The member picker of the "加微" action.
    router.get('/members', async (ctx) => {
      const settings = await mySettings(ctx);
      if (!settings) return;
      ctx.body = { items: settings.members.map((m) => ({ value: m.userId, label: `${m.name}（${m.userId}）` })) };
    });

    // The "加微" action: the customer of the call goes to a member, who is sent the card.
    router.post('/tasks', async (ctx) => {
      const settings = await mySettings(ctx);
      if (!settings) return;
      const lang = languageOf(ctx);
      // Core's body parser has read the JSON before plugin routes run.
      const body = taskBody.safeParse((ctx.request as { body?: unknown }).body);
      if (!body.success) {
        return refuse(ctx, 400, 'validation_failed', lang === 'en' ? 'Choose a member' : '请选择企业微信成员');
      }
      try {
        const task = await deps.wecomAddFriendTasks.assign(
          ctx.state.user!,
          { sessionId: body.data.sessionId, memberUserId: body.data.values.member, note: body.data.values.note },
          settings,
          AbortSignal.timeout(Math.max(ACTION_BUDGET_MS, config.timeoutMs * 3)),
        );
        ctx.status = 201;
        ctx.body = {
          message:
            lang === 'en'
              ? `${task.member.name} was sent the task on WeCom`
              : `已通过企业微信通知 ${task.member.name} 添加客户`,
          task,
        };
      } catch (err) {
        if (!(err instanceof TaskRefused)) throw err;
        ctx.status = err.status;
        ctx.body = { error: { code: err.code, message: err.words[lang] }, ...(err.task ? { task: err.task } : {}) };
      }
    });

    // The call's tasks, for the agent (the card shows them too).
    router.get('/tasks', async (ctx) => {
      const settings = await mySettings(ctx);
      if (!settings) return;
      const q = taskQuery.safeParse(ctx.query);
      if (!q.success) return refuse(ctx, 400, 'validation_failed', 'sessionId is required');
      const call = await deps.pluginCalls.forUser(ctx.state.user!, q.data.sessionId);
      ctx.body = { items: await deps.wecomAddFriendTasks.tasksOf(call.tenantId, call.sessionId) };
    });

    // The card's link: through WeCom's OAuth, so only the task's member sees the number.
    router.get('/reveal/:tenantId/:taskId', { public: true }, async (ctx) => {
      const p = revealParams.safeParse(ctx.params);
      const secret = revealSecret.safeParse(ctx.query.t);
      const settings = p.success ? await tenantSettings(p.data.tenantId) : undefined;
      const task =
        p.success && secret.success && settings
          ? await deps.wecomAddFriendTasks.linkTask(p.data.tenantId, p.data.taskId, secret.data)
          : undefined;
      if (!p.success || !secret.success || !settings || !task || !config.publicUrl) return page(ctx, { kind: 'gone' });
      const back = new URL(
        `${config.publicUrl.replace(/\/+$/, '')}/plugins/wecom-add-friend/reveal/${p.data.tenantId}/${p.data.taskId}/member`,
      );
      back.searchParams.set('t', secret.data);
      const oauth = new URL(WECOM_OAUTH_URL);
      oauth.searchParams.set('appid', settings.corpId);
      oauth.searchParams.set('redirect_uri', back.toString());
      oauth.searchParams.set('response_type', 'code');
      oauth.searchParams.set('scope', 'snsapi_base');
      oauth.searchParams.set('state', p.data.taskId);
      oauth.searchParams.set('agentid', String(settings.agentId));
      ctx.set('Cache-Control', 'no-store');
      ctx.redirect(`${oauth.toString()}#wechat_redirect`);
    });

    // Back from WeCom's OAuth with the member's code: the number, once, to that member only.
    router.get('/reveal/:tenantId/:taskId/member', { public: true }, async (ctx) => {
      const p = revealParams.safeParse(ctx.params);
      const secret = revealSecret.safeParse(ctx.query.t);
      const code = z.string().min(1).max(512).safeParse(ctx.query.code);
      const settings = p.success ? await tenantSettings(p.data.tenantId) : undefined;
      if (!p.success || !secret.success || !code.success || !settings) return page(ctx, { kind: 'gone' });
      let member: string | undefined;
      try {
        member = await deps.wecomAddFriendClient.memberFromOAuthCode(settings, code.data, {
          signal: AbortSignal.timeout(config.timeoutMs * 2),
        });
      } catch (err) {
        if (!(err instanceof WeComError)) throw err;
        logger.warn({ err, tenantId: p.data.tenantId }, 'WeCom OAuth of a reveal link failed');
        return page(ctx, { kind: 'error', words: err.words });
      }
      const outcome = await deps.wecomAddFriendTasks.reveal(p.data.tenantId, p.data.taskId, secret.data, member);
      if (!outcome.ok) return page(ctx, { kind: outcome.why === 'not_member' ? 'notMember' : 'gone' });
      page(ctx, { kind: 'number', task: outcome.task });
    });

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
