import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createApp, type App, type CreateAppOptions } from '../../src/app.js';
import type { SwitchboardConfig } from '../../src/config/config.js';
import { hashPassword } from '../../src/modules/auth/passwords.js';
import type { SmsSender } from '../../src/modules/auth/sms-sender.js';
import type { Edition } from '../../src/modules/tenants/schema.js';
import type { Role } from '../../src/modules/users/schema.js';
import { createPglite, type TestDatabase } from './test-database.js';

/** The password every user made by {@link TestApp.seedTenant} gets. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** The `/metrics` bearer token of every test app unless a test configures `metrics` itself. */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789';

/** A response as tests see it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read JSON bodies loosely and assert on them
export interface TestResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A seeded user with a fresh access token. */
export interface SeededUser {
  id: string;
  email: string;
  role: Role;
  mobile: string;
  token: string;
  refreshToken: string;
}

/**
 * An SMS gateway stand-in: the port's contract is "deliver this code to this mobile"; this one
 * delivers into an inbox the test reads, as a phone would.
 */
export class InboxSmsSender implements SmsSender {
  readonly inbox: Array<{ mobile: string; code: string }> = [];
  async sendLoginCode(mobile: string, code: string): Promise<void> {
    this.inbox.push({ mobile, code });
  }
  last(mobile: string): string | undefined {
    return this.inbox.filter((m) => m.mobile === mobile).at(-1)?.code;
  }
}

export interface TestApp {
  app: App;
  url: string;
  logs: Array<Record<string, unknown>>;
  sms: InboxSmsSender;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  request<T = any>(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; rawBody?: string | Buffer; headers?: Record<string, string> },
  ): Promise<TestResponse<T>>;
  login(email: string, password?: string): Promise<TestResponse>;
  /** `GET /metrics` with the test app's metrics token: the Prometheus text. */
  metrics(): Promise<string>;
  /** Creates a tenant with one user per role given (admin, supervisor, agent by default), signed in. */
  seedTenant(opts: { slug: string; edition?: Edition; roles?: Role[] }): Promise<{
    tenantId: string;
    users: Record<string, SeededUser>;
  }>;
  stop(): Promise<void>;
}

let mobileSeq = 0;

/**
 * Starts a real server (HTTP on an ephemeral port, migrated database, jobs, plugins, realtime)
 * for one test file. Default database: a private PGlite copied from the migrated snapshot.
 */
export async function startTestApp(
  opts: {
    config?: SwitchboardConfig;
    env?: Record<string, string | undefined>;
    /** Default: a private migrated PGlite. `data-dir`: embedded PGlite under env DATA_DIR. */
    db?: TestDatabase | { url: string } | 'data-dir';
    /** Replace the inbox; `null` keeps the app's default (console) sender. */
    smsSender?: SmsSender | null;
    /** Lowest level kept in `logs` (default `debug`; the call-load bench keeps `info`). */
    logLevel?: 'debug' | 'info';
  } = {},
): Promise<TestApp> {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const logger = pino({ level: opts.logLevel ?? 'debug' }, sink);
  const sms = new InboxSmsSender();
  let ownedPglite: Awaited<ReturnType<typeof createPglite>> | undefined;
  const appOpts: CreateAppOptions = { logger, env: { ...opts.env } };
  if (opts.smsSender !== null) appOpts.smsSender = opts.smsSender ?? sms;
  let dbUrl: string | undefined;
  if (opts.db === 'data-dir') {
    // The app opens <DATA_DIR>/pg itself, exactly as `npm start` does.
  } else if (opts.db && 'url' in opts.db && opts.db.url) dbUrl = opts.db.url;
  else if (opts.db && 'pglite' in opts.db && opts.db.pglite) appOpts.pglite = opts.db.pglite;
  else {
    ownedPglite = await createPglite();
    appOpts.pglite = ownedPglite;
  }
  const config: SwitchboardConfig = {
    ...opts.config,
    server: { port: 0, host: '127.0.0.1', ...opts.config?.server },
    database: { ...opts.config?.database, ...(dbUrl ? { url: dbUrl } : {}) },
    jobs: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 0, ...opts.config?.jobs },
    // /metrics is never public: tests scrape it with a token, as an operator's Prometheus would.
    metrics: opts.config?.metrics ?? { token: TEST_METRICS_TOKEN },
  };
  const app = await createApp(config, appOpts);
  const url = await app.listen();

  const request: TestApp['request'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | Buffer | undefined;
    if (o.rawBody !== undefined) body = o.rawBody;
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as never, headers: res.headers };
  };
  const login: TestApp['login'] = (email, password = TEST_PASSWORD) =>
    request('POST', '/api/v1/auth/login', { body: { email, password } });

  const metrics: TestApp['metrics'] = async () => {
    const res = await request('GET', '/metrics', { token: TEST_METRICS_TOKEN });
    if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
    return res.body as string;
  };

  const seedTenant: TestApp['seedTenant'] = async ({
    slug,
    edition = 'standard',
    roles = ['admin', 'supervisor', 'agent'],
  }) => {
    const { tenantRepo, userRepo } = app.container.cradle;
    const tenant = await tenantRepo.create({ slug, name: `Tenant ${slug}`, edition });
    const hash = await hashPassword(TEST_PASSWORD);
    const users: Record<string, SeededUser> = {};
    for (const [i, role] of roles.entries()) {
      const mobile = `139${String(process.pid % 1000).padStart(3, '0')}${String(++mobileSeq).padStart(5, '0')}`;
      const email = `${role}${i}@${slug}.test`;
      const row = await userRepo.create(tenant.id, {
        email,
        role,
        name: `${role} ${i}`,
        staffNo: `${i + 1}`,
        mobile,
        passwordHash: hash,
      });
      const pair = await app.container.cradle.tokenService.issuePair(row);
      users[role] ??= { id: row.id, email, role, mobile, token: pair.accessToken, refreshToken: pair.refreshToken };
      users[`${role}${i}`] = {
        id: row.id,
        email,
        role,
        mobile,
        token: pair.accessToken,
        refreshToken: pair.refreshToken,
      };
    }
    return { tenantId: tenant.id, users };
  };

  return {
    app,
    url,
    logs,
    sms,
    request,
    login,
    metrics,
    seedTenant,
    async stop() {
      await app.stop();
      await ownedPglite?.close();
    },
  };
}
