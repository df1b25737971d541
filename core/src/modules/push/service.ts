import { randomBytes, randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import type { Clock } from '../../clock.js';
import type { ResolvedConfig } from '../../config/config.js';
import { open, seal } from '../../crypto/sealed-box.js';
import type { Db, DbTx } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { JobQueue } from '../../jobs/job-queue.js';
import { isPrivateAddress, outboundRequest, OutboundError } from '../../net/outbound-http.js';
import type { EventBus } from '../../realtime/bus.js';
import type { AuthKeys } from '../auth/secrets.js';
import { recordForIntegrations } from '../records/routes.js';
import type { CdrRow } from '../records/schema.js';
import type { MailPort } from '../mail/port.js';
import type { TenantRepo } from '../tenants/repo.js';
import type { UserRepo } from '../users/repo.js';
import { readSetting } from '../tenants/settings-schema.js';
import { PushRepo } from './repo.js';
import type { DeliveryState, PushAuth, PushDeliveryRow, PushEventType, PushSubscriptionRow } from './schema.js';
import { PUSH_HEADERS, signPush } from './signature.js';

/** The job queue deliveries run on. */
export const PUSH_QUEUE = 'push.deliver';
/** A subscription whose deliveries have failed this long without one success is paused. */
export const PUSH_PAUSE_AFTER_MS = 24 * 3600_000;

/** What a subscription's auth needs in clear: the signing secret and the auth secret. */
interface Secrets {
  signingSecret: string;
  password?: string;
  clientSecret?: string;
}

/** Auth as the API takes it (secrets in clear, write-only). */
export type PushAuthInput =
  | { type: 'none' }
  | { type: 'basic'; username: string; password?: string }
  | { type: 'oauth2'; tokenUrl: string; clientId: string; clientSecret?: string; scope?: string };

/** A subscription as the API shows it: never a secret. */
export interface PushSubscriptionView {
  id: string;
  name: string;
  url: string;
  eventTypes: PushEventType[];
  auth: PushAuth;
  state: 'active' | 'paused';
  pausedReason: 'admin' | 'failing' | null;
  failingSince: string | null;
  lastSuccessAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A delivery as the log shows it. */
export interface PushDeliveryView {
  id: string;
  subscriptionId: string;
  eventType: PushEventType;
  eventKey: string;
  sessionId: string | null;
  state: DeliveryState;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  payload: Record<string, unknown>;
}

/** An event to push. */
export interface PushEvent {
  type: PushEventType;
  /** What it is about (record id, recording id): one delivery per subscription and key. */
  key: string;
  sessionId: string | null;
  occurredAt: Date;
  data: Record<string, unknown>;
}

/** What {@link PushService} needs: the lazy cradle. */
export interface PushServiceDeps {
  db: Db;
  authKeys: AuthKeys;
  jobs: JobQueue;
  logger: Logger;
  bus: EventBus;
  tenantRepo: TenantRepo;
  clock: Clock;
  config: ResolvedConfig;
  userRepo: UserRepo;
  /** Admins are mailed when a subscription is paused. */
  mail: MailPort;
}

const aad = (tenantId: string, id: string) => `push:${tenantId}:${id}`;

/**
 * Push (REC-03, REC-08, PUSH-01/02): each tenant's subscriptions, and the delivery of its
 * records and recordings to them — signed (HMAC), with a delivery id for dedupe, at least once
 * with exponential backoff on the job queue, in order within a session, to public addresses only
 * unless the tenant allows private ones. A subscription failing for a day is paused and its
 * tenant's admins told; its deliveries wait (`held`) until it is resumed.
 */
export class PushService {
  private readonly repo: PushRepo;
  private readonly logger: Logger;
  private publicBase: () => string = () => '';
  /** OAuth2 access tokens per subscription, until shortly before they expire. */
  private readonly tokens = new Map<string, { token: string; until: number }>();

  constructor(private readonly d: PushServiceDeps) {
    this.repo = new PushRepo(d.db);
    this.logger = d.logger.child({ component: 'push' });
  }

  /** Where this server is reachable (absolute links in payloads); set by the app once listening. */
  usePublicUrl(get: () => string): void {
    this.publicBase = get;
  }

  /** This server's public base URL ('' until known). */
  get baseUrl(): string {
    return this.publicBase().replace(/\/+$/, '');
  }

  /** Starts the delivery worker. */
  async start(): Promise<void> {
    await this.d.jobs.work<{ deliveryId: string }>(PUSH_QUEUE, (job) => this.run(job.data.deliveryId, job.retryCount));
    await this.recover().catch((err: unknown) => this.logger.error({ err }, 'push recovery failed'));
  }

  // ───────────────────────────── subscriptions ─────────────────────────────

  async list(tenantId: string): Promise<PushSubscriptionView[]> {
    return (await this.repo.subscriptions(tenantId)).map(subscriptionView);
  }

  async get(tenantId: string, id: string): Promise<PushSubscriptionView> {
    return subscriptionView(await this.found(tenantId, id));
  }

  /** A new subscription; its signing secret is shown only in this answer. */
  async create(
    tenantId: string,
    input: { name: string; url: string; eventTypes: PushEventType[]; auth: PushAuthInput },
  ): Promise<{ subscription: PushSubscriptionView; signingSecret: string }> {
    await this.assertReachable(tenantId, input.url, 'url');
    if (input.auth.type === 'oauth2') await this.assertReachable(tenantId, input.auth.tokenUrl, 'auth.tokenUrl');
    const id = randomUUID();
    const signingSecret = `whsec_${randomBytes(24).toString('base64url')}`;
    const { auth, secrets } = splitAuth(input.auth, { signingSecret });
    if (auth.type === 'basic' && !secrets.password) throw invalidAuth('auth.password', 'a password is required');
    if (auth.type === 'oauth2' && !secrets.clientSecret)
      throw invalidAuth('auth.clientSecret', 'a client secret is required');
    const row = await this.repo.createSubscription({
      id,
      tenantId,
      name: input.name,
      url: input.url,
      eventTypes: [...new Set(input.eventTypes)],
      auth,
      secrets: seal(this.d.authKeys.push, JSON.stringify(secrets), aad(tenantId, id)),
    });
    return { subscription: subscriptionView(row), signingSecret };
  }

  /**
   * Changes a subscription. Auth secrets left out are kept (write-only). `state: 'active'`
   * resumes a paused one: its held deliveries go out again, in order.
   */
  async update(
    tenantId: string,
    id: string,
    patch: {
      name?: string;
      url?: string;
      eventTypes?: PushEventType[];
      auth?: PushAuthInput;
      state?: 'active' | 'paused';
    },
  ): Promise<PushSubscriptionView> {
    const current = await this.found(tenantId, id);
    if (patch.url !== undefined) await this.assertReachable(tenantId, patch.url, 'url');
    if (patch.auth?.type === 'oauth2') await this.assertReachable(tenantId, patch.auth.tokenUrl, 'auth.tokenUrl');
    const stored = this.secretsOf(current);
    let auth: PushAuth | undefined;
    let secrets: Secrets | undefined;
    if (patch.auth) {
      ({ auth, secrets } = splitAuth(patch.auth, { signingSecret: stored.signingSecret }));
      // A secret not sent is kept when the auth type stays the same.
      if (auth.type === 'basic') secrets.password ??= current.auth.type === 'basic' ? stored.password : undefined;
      if (auth.type === 'oauth2')
        secrets.clientSecret ??= current.auth.type === 'oauth2' ? stored.clientSecret : undefined;
      if (auth.type === 'basic' && !secrets.password) throw invalidAuth('auth.password', 'a password is required');
      if (auth.type === 'oauth2' && !secrets.clientSecret)
        throw invalidAuth('auth.clientSecret', 'a client secret is required');
      this.tokens.delete(id);
    }
    const resuming = patch.state === 'active' && current.state === 'paused';
    const row = await this.repo.updateSubscription(tenantId, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.eventTypes ? { eventTypes: [...new Set(patch.eventTypes)] } : {}),
      ...(auth ? { auth } : {}),
      ...(secrets ? { secrets: seal(this.d.authKeys.push, JSON.stringify(secrets), aad(tenantId, id)) } : {}),
      ...(patch.state === 'paused' && current.state === 'active' ? { state: 'paused', pausedReason: 'admin' } : {}),
      ...(resuming ? { state: 'active', pausedReason: null, failingSince: null } : {}),
    });
    if (resuming) {
      const released = await this.repo.releaseHeld(id);
      await this.sendHeads(released);
    }
    return subscriptionView(row!);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if (!(await this.repo.deleteSubscription(tenantId, id))) throw createError('not_found', 'No such subscription');
    this.tokens.delete(id);
  }

  // ───────────────────────────── events ─────────────────────────────

  /**
   * Records one delivery per subscription of the tenant that takes `event.type` — inside `tx`
   * when given, so the event and its deliveries commit together (the outbox) — and returns them
   * for {@link dispatch} once committed. A repeat of an event adds nothing.
   */
  async record(tenantId: string, event: PushEvent, tx: DbTx = this.d.db): Promise<PushDeliveryRow[]> {
    const repo = tx === this.d.db ? this.repo : new PushRepo(tx as Db);
    const rows: PushDeliveryRow[] = [];
    for (const sub of await repo.subscribersOf(tenantId, event.type)) {
      const row = await repo.addDelivery({
        tenantId,
        subscriptionId: sub.id,
        eventType: event.type,
        eventKey: event.key,
        sessionId: event.sessionId,
        payload: { occurredAt: event.occurredAt.toISOString(), data: event.data },
        state: sub.state === 'paused' ? 'held' : 'pending',
        createdAt: this.d.clock.now(),
      });
      if (row) rows.push(row);
    }
    return rows;
  }

  /**
   * The `record.created` deliveries of a call record (REC-03), inside the transaction that wrote
   * it. A failure here is logged and rolled back to a savepoint: the call's end never fails
   * because of push.
   */
  async recordCdr(tx: DbTx, cdr: CdrRow): Promise<PushDeliveryRow[]> {
    try {
      return await tx.transaction((inner) =>
        this.record(
          cdr.tenantId,
          {
            type: 'record.created',
            key: cdr.id,
            sessionId: cdr.sessionId,
            occurredAt: cdr.createdAt,
            data: recordForIntegrations(cdr) as unknown as Record<string, unknown>,
          },
          inner,
        ),
      );
    } catch (err) {
      this.logger.error(
        { err, tenantId: cdr.tenantId, sessionId: cdr.sessionId },
        'push of a call record not recorded',
      );
      return [];
    }
  }

  /**
   * Queues recorded deliveries that may go now. Never throws: what could not be queued stays
   * `pending` in the log and is queued at the next start ({@link recover}).
   */
  async dispatch(rows: readonly PushDeliveryRow[]): Promise<void> {
    for (const row of rows) {
      if (row.state !== 'pending') continue;
      await this.sendIfHead(row).catch((err: unknown) =>
        this.logger.error({ err, deliveryId: row.id }, 'push delivery not queued; queued again at the next start'),
      );
    }
  }

  /** {@link record} and {@link dispatch} in one; never throws (the event's own work is done). */
  async publish(tenantId: string, event: PushEvent): Promise<number> {
    try {
      const rows = await this.record(tenantId, event);
      await this.dispatch(rows);
      return rows.length;
    } catch (err) {
      this.logger.error({ err, tenantId, type: event.type, key: event.key }, 'push event not recorded');
      return 0;
    }
  }

  /**
   * Queues deliveries recorded but never attempted (the process stopped between the commit and
   * the queueing). Their first job keeps its id, so one that was queued is not queued twice.
   */
  async recover(): Promise<void> {
    const rows = await this.repo.neverAttempted(new Date(this.d.clock.now().getTime() - 60_000), 1000);
    await this.dispatch(rows);
  }

  // ───────────────────────────── log ─────────────────────────────

  async deliveries(
    tenantId: string,
    q: { subscriptionId?: string; state?: DeliveryState; cursor?: string; limit: number },
  ): Promise<{ items: PushDeliveryView[]; nextCursor: string | null }> {
    const before = q.cursor ? decodeCursor(q.cursor) : undefined;
    const rows = await this.repo.log(tenantId, {
      ...(q.subscriptionId ? { subscriptionId: q.subscriptionId } : {}),
      ...(q.state ? { state: q.state } : {}),
      ...(before ? { before } : {}),
      limit: q.limit + 1,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      items: page.map(deliveryView),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null,
    };
  }

  /** Sends a delivery again (manual re-send from the log): same id, so the receiver can dedupe. */
  async resend(tenantId: string, id: string): Promise<PushDeliveryView> {
    const row = await this.repo.delivery(tenantId, id);
    if (!row) throw createError('not_found', 'No such delivery');
    const sub = await this.found(tenantId, row.subscriptionId);
    if (row.state === 'pending') return deliveryView(row);
    const state = sub.state === 'paused' ? 'held' : 'pending';
    await this.repo.updateDelivery(row.id, { state });
    const fresh = (await this.repo.delivery(tenantId, id))!;
    if (state === 'pending') await this.sendIfHead(fresh, `resend:${Date.now()}`);
    return deliveryView(fresh);
  }

  // ───────────────────────────── delivery ─────────────────────────────

  /** Queues `row` if nothing older of its session waits before it (then that one's end queues it). */
  private async sendIfHead(row: PushDeliveryRow, salt = 'first'): Promise<void> {
    if (row.sessionId) {
      const head = await this.repo.headOf(row.subscriptionId, row.sessionId);
      if (head && head.id !== row.id) return;
    }
    await this.d.jobs.send(
      PUSH_QUEUE,
      { deliveryId: row.id },
      { dedupeKey: `${row.id}:${salt}`, retryLimit: this.d.config.push.retryLimit, retryBackoff: true },
    );
  }

  /** After one delivery of a session settled: the next of that session goes. */
  private async sendNext(row: PushDeliveryRow): Promise<void> {
    if (!row.sessionId) return;
    const next = await this.repo.headOf(row.subscriptionId, row.sessionId);
    if (next?.state === 'pending') await this.sendIfHead(next, `after:${row.id}`);
  }

  private async sendHeads(rows: PushDeliveryRow[]): Promise<void> {
    const seen = new Set<string>();
    for (const row of rows) {
      const k = row.sessionId ?? row.id;
      if (seen.has(k)) continue;
      seen.add(k);
      const head = row.sessionId ? await this.repo.headOf(row.subscriptionId, row.sessionId) : row;
      if (head) await this.sendIfHead(head, `resume:${Date.now()}`);
    }
  }

  /** One attempt (the job's): throws to have the job queue retry it. */
  private async run(deliveryId: string, retryCount: number): Promise<void> {
    const row = await this.repo.deliveryById(deliveryId);
    if (!row || row.state !== 'pending') return;
    const sub = await this.repo.subscription(row.tenantId, row.subscriptionId);
    if (!sub) return;
    if (sub.state === 'paused') {
      await this.repo.updateDelivery(row.id, { state: 'held' });
      return;
    }
    if (row.sessionId) {
      const head = await this.repo.headOf(sub.id, row.sessionId);
      // An older delivery of the session is still on its way: this one follows it.
      if (head && head.id !== row.id) return;
    }
    const now = this.d.clock.now();
    const outcome = await this.attempt(sub, row);
    await this.repo.updateDelivery(row.id, {
      attempts: row.attempts + 1,
      lastAttemptAt: now,
      lastStatus: outcome.status ?? null,
      lastError: outcome.error ?? null,
      ...(outcome.ok ? { state: 'delivered', deliveredAt: this.d.clock.now() } : {}),
    });
    if (outcome.ok) {
      await this.repo.markHealthy(sub.id, this.d.clock.now());
      await this.sendNext(row);
      return;
    }
    this.logger.warn(
      {
        tenantId: row.tenantId,
        subscriptionId: sub.id,
        deliveryId: row.id,
        status: outcome.status,
        error: outcome.error,
      },
      'push delivery failed',
    );
    await this.repo.markFailing(sub.id, now);
    const paused = await this.repo.pauseIfFailingSince(sub.id, new Date(now.getTime() - PUSH_PAUSE_AFTER_MS));
    if (paused || (await this.repo.subscription(row.tenantId, sub.id))?.state === 'paused') {
      await this.repo.updateDelivery(row.id, { state: 'held' });
      if (paused) await this.tellAdmins(paused);
      return;
    }
    if (retryCount >= this.d.config.push.retryLimit) {
      await this.repo.updateDelivery(row.id, { state: 'failed' });
      await this.sendNext(row);
      return;
    }
    throw new Error(`push delivery ${row.id} failed: ${outcome.error ?? `HTTP ${outcome.status}`}`);
  }

  /** POSTs the delivery; `ok` for a 2xx answer. */
  private async attempt(
    sub: PushSubscriptionRow,
    row: PushDeliveryRow,
  ): Promise<{ ok: boolean; status?: number; error?: string }> {
    const allowPrivate = await this.allowsPrivate(sub.tenantId);
    const secrets = this.secretsOf(sub);
    const body = JSON.stringify({
      id: row.id,
      type: row.eventType,
      tenantId: row.tenantId,
      createdAt: row.createdAt.toISOString(),
      ...row.payload,
    });
    const ts = Math.floor(this.d.clock.now().getTime() / 1000);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Switchboard-Push/1',
      [PUSH_HEADERS.delivery]: row.id,
      [PUSH_HEADERS.event]: row.eventType,
      [PUSH_HEADERS.timestamp]: String(ts),
      [PUSH_HEADERS.signature]: signPush(secrets.signingSecret, ts, body),
    };
    try {
      if (sub.auth.type === 'basic') {
        headers.authorization = `Basic ${Buffer.from(`${sub.auth.username}:${secrets.password ?? ''}`).toString('base64')}`;
      } else if (sub.auth.type === 'oauth2') {
        headers.authorization = `Bearer ${await this.oauthToken(sub, secrets, allowPrivate)}`;
      }
      const answer = await outboundRequest({
        url: sub.url,
        method: 'POST',
        headers,
        body,
        timeoutMs: this.d.config.push.timeoutMs,
        allowPrivate,
        maxAnswerBytes: 4096,
      });
      if (answer.status === 401 && sub.auth.type === 'oauth2') this.tokens.delete(sub.id);
      return answer.status >= 200 && answer.status < 300
        ? { ok: true, status: answer.status }
        : { ok: false, status: answer.status, error: `HTTP ${answer.status}` };
    } catch (err) {
      const e = err instanceof OutboundError ? `${err.reason}: ${err.message}` : String(err);
      return { ok: false, error: e.slice(0, 500) };
    }
  }

  /** An OAuth2 client-credentials token for the subscription (cached until a minute before expiry). */
  private async oauthToken(sub: PushSubscriptionRow, secrets: Secrets, allowPrivate: boolean): Promise<string> {
    if (sub.auth.type !== 'oauth2') throw new Error('not an OAuth2 subscription');
    const hit = this.tokens.get(sub.id);
    if (hit && hit.until > Date.now()) return hit.token;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (sub.auth.scope) form.set('scope', sub.auth.scope);
    const answer = await outboundRequest({
      url: sub.auth.tokenUrl,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(sub.auth.clientId)}:${encodeURIComponent(secrets.clientSecret ?? '')}`).toString('base64')}`,
      },
      body: form.toString(),
      timeoutMs: this.d.config.push.timeoutMs,
      allowPrivate,
    });
    let token: unknown;
    let expiresIn: unknown;
    try {
      ({ access_token: token, expires_in: expiresIn } = JSON.parse(answer.body) as Record<string, unknown>);
    } catch {
      token = undefined;
    }
    if (answer.status !== 200 || typeof token !== 'string' || !token) {
      throw new Error(`OAuth2 token endpoint answered HTTP ${answer.status}`);
    }
    const life = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : 300;
    this.tokens.set(sub.id, { token, until: Date.now() + Math.max(0, life - 60) * 1000 });
    return token;
  }

  /** The tenant's admins learn of a paused subscription: a notice on their screens and a mail each. */
  private async tellAdmins(sub: PushSubscriptionRow): Promise<void> {
    this.logger.warn(
      { tenantId: sub.tenantId, subscriptionId: sub.id },
      'push subscription paused after a day of failures',
    );
    const message = `Push subscription “${sub.name}” was paused: its deliveries have failed for a day. Fix the receiver, then resume it.`;
    await this.d.bus
      .publish({ tenantId: sub.tenantId, kind: 'role', role: 'admin' }, 'system.notice', {
        level: 'warning',
        message,
        code: 'pushPaused',
        params: { name: sub.name },
      })
      .catch((err: unknown) => this.logger.warn({ err }, 'could not tell admins about a paused push subscription'));
    const admins = await this.d.userRepo.list(sub.tenantId, { role: 'admin' }).catch(() => []);
    for (const a of admins.filter((u) => u.status === 'active')) {
      await this.d.mail
        .send({
          to: a.email,
          tenantId: sub.tenantId,
          subject: `数据推送已暂停 · Push subscription paused: ${sub.name}`,
          text:
            `推送订阅“${sub.name}”（${sub.url}）连续失败一天，已暂停。请修复接收方后在 管理后台 → 数据推送 中恢复；暂停期间的推送会保留，恢复后按顺序发送。\n\n` +
            `${message} Deliveries made while it is paused are kept and go out in order once it is resumed (Console → Push).`,
        })
        .catch((err: unknown) =>
          this.logger.warn({ err, to: a.id }, 'could not mail an admin about a paused push subscription'),
        );
    }
  }

  /**
   * Refuses a URL whose host is a private or loopback address — written as one, or resolving
   * to one now — unless the tenant allows private addresses (SSRF guard; checked again on every
   * delivery, since a name may resolve elsewhere later).
   */
  private async assertReachable(tenantId: string, url: string, field: string): Promise<void> {
    if (await this.allowsPrivate(tenantId)) return;
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [host] : await resolveAll(host);
    if (addresses.some(isPrivateAddress)) {
      const message = `${host} is a private or loopback address; a tenant admin may allow those (settings: allowPrivateUrls)`;
      throw createError('validation_failed', message, { details: [{ path: `body.${field}`, message }] });
    }
  }

  private async allowsPrivate(tenantId: string): Promise<boolean> {
    return readSetting((await this.d.tenantRepo.findById(tenantId))?.settings, 'allowPrivateUrls');
  }

  private async found(tenantId: string, id: string): Promise<PushSubscriptionRow> {
    const row = await this.repo.subscription(tenantId, id);
    if (!row) throw createError('not_found', 'No such subscription');
    return row;
  }

  private secretsOf(row: PushSubscriptionRow): Secrets {
    return JSON.parse(open(this.d.authKeys.push, row.secrets, aad(row.tenantId, row.id))) as Secrets;
  }
}

function splitAuth(input: PushAuthInput, base: Secrets): { auth: PushAuth; secrets: Secrets } {
  switch (input.type) {
    case 'none':
      return { auth: { type: 'none' }, secrets: { ...base } };
    case 'basic':
      return {
        auth: { type: 'basic', username: input.username },
        secrets: { signingSecret: base.signingSecret, ...(input.password ? { password: input.password } : {}) },
      };
    case 'oauth2':
      return {
        auth: {
          type: 'oauth2',
          tokenUrl: input.tokenUrl,
          clientId: input.clientId,
          ...(input.scope ? { scope: input.scope } : {}),
        },
        secrets: {
          signingSecret: base.signingSecret,
          ...(input.clientSecret ? { clientSecret: input.clientSecret } : {}),
        },
      };
  }
}

function invalidAuth(path: string, message: string) {
  return createError('validation_failed', message, { details: [{ path: `body.${path}`, message }] });
}

function subscriptionView(r: PushSubscriptionRow): PushSubscriptionView {
  return {
    id: r.id,
    name: r.name,
    url: r.url,
    eventTypes: r.eventTypes,
    auth: r.auth,
    state: r.state,
    pausedReason: r.pausedReason ?? null,
    failingSince: r.failingSince?.toISOString() ?? null,
    lastSuccessAt: r.lastSuccessAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function deliveryView(r: PushDeliveryRow): PushDeliveryView {
  return {
    id: r.id,
    subscriptionId: r.subscriptionId,
    eventType: r.eventType,
    eventKey: r.eventKey,
    sessionId: r.sessionId,
    state: r.state,
    attempts: r.attempts,
    lastStatus: r.lastStatus,
    lastError: r.lastError,
    createdAt: r.createdAt.toISOString(),
    lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    payload: r.payload,
  };
}

function encodeCursor(r: PushDeliveryRow): string {
  return Buffer.from(`${r.createdAt.toISOString()}|${r.id}`).toString('base64url');
}

function decodeCursor(c: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(c, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (Number.isNaN(createdAt.getTime()) || !id || !/^[0-9a-f-]{36}$/.test(id)) {
    throw createError('validation_failed', 'The cursor is not valid');
  }
  return { createdAt, id };
}

/** Every address `host` resolves to now; none when it does not resolve (the delivery will say so). */
async function resolveAll(host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return [];
  }
}
