import { z } from 'zod';
import type { PluginSpec } from '../plugins/types.js';
import { createError } from '../errors/registry.js';

/**
 * The shape of `plugins.config.ts`: everything an operator composes. Anything left out
 * falls back to the environment (see {@link configFromEnv}) and then to defaults.
 */
export interface SwitchboardConfig {
  /** Enabled plugins, in any order: the host sorts them by `dependsOn`. */
  plugins?: PluginSpec[];
  /** The telephony adapter (the jambonz adapter in this project). */
  telephony?: unknown;
  server?: {
    port?: number;
    host?: string;
    /** Absolute base URL by which telephony reaches this server. */
    publicUrl?: string;
    /** Largest accepted JSON body in bytes. */
    bodyLimitBytes?: number;
    /** Trust `X-Forwarded-For` (behind a reverse proxy). */
    trustProxy?: boolean;
  };
  database?: {
    /** `postgres://…`; unset = embedded PGlite under `dataDir`. */
    url?: string;
    dataDir?: string;
    poolSize?: number;
    /**
     * Time limits in milliseconds (0 = none), so one stuck query, lock or forgotten transaction
     * cannot hold a pool connection for ever. See the README for what applies to embedded PGlite.
     */
    timeouts?: {
      /** Opening a connection (default 10 000). */
      connectMs?: number;
      /** One statement (PostgreSQL `statement_timeout`, default 30 000). */
      statementMs?: number;
      /** Waiting for one lock (`lock_timeout`, default 10 000). */
      lockMs?: number;
      /** A transaction left open with nothing running (`idle_in_transaction_session_timeout`, default 60 000). */
      idleInTransactionMs?: number;
    };
  };
  auth?: {
    /** HMAC secret for access tokens and code hashing; generated and kept in the DB if unset. */
    secret?: string;
    accessTokenTtlSeconds?: number;
    refreshTokenTtlSeconds?: number;
    /**
     * Sign-in throttling (password and SMS code): failures are counted per (account, client
     * address), per client address and per account; once a budget has seen its
     * `failuresBeforeDelay`, each further failure blocks it for a delay that doubles from
     * `baseDelaySeconds` up to that budget's `maxDelaySeconds`.
     */
    login?: {
      perAccountAddress?: ThrottleBudget;
      perAddress?: ThrottleBudget;
      perAccount?: ThrottleBudget;
      baseDelaySeconds?: number;
      /** Failures are forgotten after this long without another one. */
      forgetAfterSeconds?: number;
    };
    /**
     * How long an instance may trust what it read about a user (active, signed out) before
     * reading it again: the bound on how long a disabled or signed-out user's access token
     * still works on an instance that missed the realtime notice (at most 30).
     */
    revocationCacheSeconds?: number;
    sms?: {
      codeTtlSeconds?: number;
      resendIntervalSeconds?: number;
      maxPerMobilePerHour?: number;
      maxPerIpPerHour?: number;
      maxVerifyAttempts?: number;
    };
  };
  realtime?: { heartbeatMs?: number; ticketTtlSeconds?: number };
  /**
   * Prometheus `/metrics`. Served only when protected: with `token`, on the main port to
   * `Authorization: Bearer <token>`; with `port`, on that port only (bind it to a private
   * interface or firewall it). With neither, `/metrics` answers 404.
   */
  metrics?: { token?: string; port?: number };
  calls?: {
    /** After-call work (话后整理) before an agent is offered calls again; 0 = straight to idle. */
    wrapUpSeconds?: number;
    /** How often each instance sweeps for due work (wrap-ups, stuck offers, quiet sessions). */
    sweepIntervalMs?: number;
    /** A live session with no webhook for this long is checked with the provider (reaper). */
    quietSeconds?: number;
    /** Extra seconds past an offer's ring timeout before it is treated as missed. */
    offerGraceSeconds?: number;
    /** Said on every queue round; `${WaitNo}` is the caller's 1-based position. */
    queueAnnouncement?: string;
  };
  jobs?: { retryLimit?: number; retryDelaySeconds?: number; pollingIntervalSeconds?: number };
  /** Push deliveries (REC-03, REC-08): longest one attempt may take (ms, default 10000). */
  push?: { timeoutMs?: number; retryLimit?: number };
  /** How the plugin host treats plugins. */
  pluginHost?: {
    /**
     * Longest a plugin's `register`, and then its `routes`, may take at start-up (ms, default
     * 10000); past it the plugin fails to boot per its `onBootFailure`.
     */
    bootTimeoutMs?: number;
    /**
     * How often durable events whose queueing failed (`recording.ready`) are queued again
     * (ms, default 30000). They are never dropped; this only bounds the delay.
     */
    requeueIntervalMs?: number;
  };
  /** The audio library (ADM-01). */
  audio?: {
    /** Largest accepted upload in bytes (default 10 MiB). */
    maxBytes?: number;
    /** Longest accepted audio in seconds (default 600). */
    maxDurationSeconds?: number;
  };
  /** Text-to-speech for prompt previews (IVR-02). Default engine: espeak-ng from the OS packages. */
  tts?: {
    /** The espeak-ng executable (default `espeak-ng` on the PATH). */
    espeakNgPath?: string;
    /** Voice when a preview names neither voice nor language (an espeak-ng voice, e.g. `en-us`, `cmn`). */
    defaultVoice?: string;
    /** Speaking rate in words per minute. */
    speed?: number;
    /** Longest text a preview renders. */
    maxTextLength?: number;
    /** A render running longer is killed. */
    timeoutMs?: number;
  };
  demo?: {
    enabled?: boolean;
    password?: string;
    /**
     * A CRM that embeds the workbench in demo mode (the bundled demo CRM): its origins join the
     * demo tenant's SDK origins and its API key (`sk_…`, made by `plugins.config.ts`) is installed
     * with scope `sdk:login`, replacing the one of the last start.
     */
    crm?: { origins: string[]; apiKey: string };
  };
  /**
   * The web app (admin console and agent workbench): the directory of its build, served at `/`.
   * Relative paths are read from the working directory; without an `index.html` there the
   * server runs API-only. `mobileDir`: the agent mini-program's h5 build, served at `/m/`.
   */
  ui?: { dir?: string; mobileDir?: string };
  /**
   * The platform operator's API (`/api/v1/platform/…`: create, list, disable tenants). Off unless
   * `apiKey` is set (≥ 32 characters, sent as `Authorization: Bearer <apiKey>`).
   */
  platform?: { apiKey?: string };
  /**
   * Outgoing mail (new agents' passwords, ADM-08/13). With `smtpUrl` (`smtp://user:pass@host:587`,
   * `smtps://…`) mail goes through that server; without it, demo mode keeps mail in a dev sink
   * readable at `GET /api/v1/dev/mail`, and otherwise mail is not delivered (logged without its body).
   */
  mail?: { smtpUrl?: string; from?: string };
  log?: { level?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'; pretty?: boolean };
}

/** One sign-in throttle budget: failures that cost nothing, then a growing delay up to the cap. */
export interface ThrottleBudget {
  /** Failures before the first delay. */
  failuresBeforeDelay?: number;
  /** The longest delay one failure can earn. */
  maxDelaySeconds?: number;
}

const budget = (failuresBeforeDelay: number, maxDelaySeconds: number) =>
  z
    .object({
      failuresBeforeDelay: z.number().int().min(1).default(failuresBeforeDelay),
      maxDelaySeconds: z.number().int().min(1).default(maxDelaySeconds),
    })
    .strict()
    .prefault({});

const pluginSpecSchema = z.custom<PluginSpec>(
  (v) => typeof v === 'object' && v !== null && 'definition' in v && 'options' in v,
  { message: 'expected a plugin created by definePlugin(...)(options)' },
);

/** A database time limit in ms: 0 turns it off; at most a day (PostgreSQL takes an int of ms). */
const timeoutMs = z
  .number()
  .int()
  .min(0)
  .max(24 * 3600 * 1000);

const configSchema = z
  .object({
    plugins: z.array(pluginSpecSchema).default([]),
    telephony: z.unknown().optional(),
    server: z
      .object({
        port: z.number().int().min(0).max(65535).default(3000),
        host: z.string().min(1).default('0.0.0.0'),
        publicUrl: z.url().optional(),
        bodyLimitBytes: z
          .number()
          .int()
          .positive()
          .default(1024 * 1024),
        trustProxy: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    database: z
      .object({
        url: z
          .string()
          .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
          .optional(),
        dataDir: z.string().min(1).default('./data'),
        poolSize: z.number().int().min(1).max(200).default(10),
        timeouts: z
          .object({
            connectMs: timeoutMs.default(10_000),
            statementMs: timeoutMs.default(30_000),
            lockMs: timeoutMs.default(10_000),
            idleInTransactionMs: timeoutMs.default(60_000),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    auth: z
      .object({
        secret: z.string().min(32, 'must be at least 32 characters').optional(),
        accessTokenTtlSeconds: z.number().int().min(30).max(900).default(900),
        refreshTokenTtlSeconds: z
          .number()
          .int()
          .min(60)
          .default(30 * 24 * 3600),
        login: z
          .object({
            // One address guessing one account: long delays, the real user elsewhere is untouched.
            perAccountAddress: budget(5, 900),
            // One address (an office NAT): many people's typos before any delay, and short ones.
            perAddress: budget(50, 60),
            // One account from everywhere: a high budget and a small cap, so nobody who knows an
            // email can lock its owner out for more than a short wait.
            perAccount: budget(30, 30),
            baseDelaySeconds: z.number().int().min(1).default(1),
            forgetAfterSeconds: z.number().int().min(1).default(3600),
          })
          .strict()
          .prefault({}),
        revocationCacheSeconds: z.number().int().min(0).max(30).default(10),
        sms: z
          .object({
            codeTtlSeconds: z.number().int().min(30).default(300),
            resendIntervalSeconds: z.number().int().min(0).default(60),
            maxPerMobilePerHour: z.number().int().min(1).default(5),
            maxPerIpPerHour: z.number().int().min(1).default(20),
            maxVerifyAttempts: z.number().int().min(1).default(5),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    realtime: z
      .object({
        heartbeatMs: z.number().int().min(50).default(30_000),
        ticketTtlSeconds: z.number().int().min(5).default(60),
      })
      .strict()
      .prefault({}),
    metrics: z
      .object({
        token: z.string().min(16, 'must be at least 16 characters').optional(),
        port: z.number().int().min(0).max(65535).optional(),
      })
      .strict()
      .prefault({}),
    calls: z
      .object({
        wrapUpSeconds: z.number().int().min(0).max(3600).default(15),
        sweepIntervalMs: z.number().int().min(50).default(2000),
        quietSeconds: z.number().int().min(1).default(90),
        offerGraceSeconds: z.number().int().min(0).default(10),
        queueAnnouncement: z.string().min(1).default('You are number ${WaitNo} in the queue. Please hold.'),
      })
      .strict()
      .prefault({}),
    jobs: z
      .object({
        retryLimit: z.number().int().min(0).default(5),
        retryDelaySeconds: z.number().int().min(0).default(5),
        pollingIntervalSeconds: z.number().min(0.5).default(2),
      })
      .strict()
      .prefault({}),
    push: z
      .object({
        /** Longest one push delivery attempt may take, connection to last byte (REC-03, REC-08). */
        timeoutMs: z.number().int().min(100).max(60_000).default(10_000),
        /**
         * Retries of a delivery after its first failed attempt before it is marked `failed`. With
         * the job queue's exponential backoff from its retry delay (5 s: 5 s, 10 s, 20 s …) the
         * default spans about 45 hours, so a receiver down for a day still gets everything.
         */
        retryLimit: z.number().int().min(0).max(30).default(14),
      })
      .strict()
      .prefault({}),
    pluginHost: z
      .object({
        bootTimeoutMs: z.number().int().min(1).default(10_000),
        requeueIntervalMs: z.number().int().min(100).default(30_000),
      })
      .strict()
      .prefault({}),
    audio: z
      .object({
        maxBytes: z
          .number()
          .int()
          .min(1024)
          .default(10 * 1024 * 1024),
        maxDurationSeconds: z.number().min(1).default(600),
      })
      .strict()
      .prefault({}),
    tts: z
      .object({
        espeakNgPath: z.string().min(1).default('espeak-ng'),
        defaultVoice: z
          .string()
          .regex(/^[A-Za-z0-9+_-]{1,40}$/)
          .default('en-us'),
        speed: z.number().int().min(80).max(450).default(160),
        maxTextLength: z.number().int().min(1).max(10_000).default(1000),
        timeoutMs: z.number().int().min(100).default(10_000),
      })
      .strict()
      .prefault({}),
    ui: z
      .object({
        dir: z.string().min(1).default('admin-ui/dist'),
        /** The agent mini-program's h5 build, served at `/m/`. */
        mobileDir: z.string().min(1).default('miniprogram/dist/h5'),
      })
      .strict()
      .prefault({}),
    demo: z
      .object({
        enabled: z.boolean().default(false),
        password: z.string().min(8, 'must be at least 8 characters').optional(),
        crm: z
          .object({ origins: z.array(z.string().min(1)).min(1), apiKey: z.string().min(1) })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    platform: z
      .object({ apiKey: z.string().min(32, 'must be at least 32 characters').optional() })
      .strict()
      .prefault({}),
    mail: z
      .object({
        smtpUrl: z
          .string()
          .regex(/^smtps?:\/\/[^\s]+$/, 'must start with smtp:// or smtps://')
          .optional(),
        from: z.string().min(3).max(200).default('Switchboard <no-reply@switchboard.local>'),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        pretty: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** The validated configuration with every default filled in. */
export type ResolvedConfig = z.output<typeof configSchema>;

/**
 * Identity helper that types `plugins.config.ts`.
 *
 * @example
 * export default defineConfig({ plugins: [crmScreenPop({ baseUrl: process.env.CRM_URL })] })
 */
export function defineConfig(config: SwitchboardConfig): SwitchboardConfig {
  return config;
}

type Env = Record<string, string | undefined>;

function int(env: Env, key: string): number | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) {
    throw createError('config_invalid', `Environment variable ${key} must be an integer, got "${raw}"`);
  }
  return n;
}

/**
 * `1`/`true` or `0`/`false` (any case). Anything else stops start-up naming the key: a typo such
 * as `SEED_DEMO=maybe` must not silently mean "off".
 */
function bool(env: Env, key: string): boolean | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  const v = raw.trim().toLowerCase();
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  throw createError('config_invalid', `Environment variable ${key} must be 1, 0, true or false, got "${raw}"`);
}

/**
 * Reads the documented environment variables. This is the only place in core that reads
 * `process.env`, so the list in the README stays complete.
 */
export function configFromEnv(env: Env): SwitchboardConfig {
  const databaseUrl = env.DATABASE_URL || undefined;
  return {
    server: {
      port: int(env, 'PORT'),
      host: env.HOST || undefined,
      publicUrl: env.PUBLIC_URL || undefined,
      trustProxy: bool(env, 'TRUST_PROXY'),
    },
    database: {
      url: databaseUrl,
      dataDir: env.DATA_DIR || undefined,
      timeouts: {
        connectMs: int(env, 'DATABASE_CONNECT_TIMEOUT_MS'),
        statementMs: int(env, 'DATABASE_STATEMENT_TIMEOUT_MS'),
        lockMs: int(env, 'DATABASE_LOCK_TIMEOUT_MS'),
        idleInTransactionMs: int(env, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS'),
      },
    },
    auth: { secret: env.AUTH_SECRET || undefined },
    metrics: { token: env.METRICS_TOKEN || undefined, port: int(env, 'METRICS_PORT') },
    // The demo tenant is seeded by default only in embedded mode; on a real server it
    // must be asked for, so production databases are not given demo users by accident.
    demo: { enabled: bool(env, 'SEED_DEMO') ?? !databaseUrl, password: env.DEMO_PASSWORD || undefined },
    ui: { dir: env.UI_DIR || undefined, mobileDir: env.MOBILE_UI_DIR || undefined },
    platform: { apiKey: env.PLATFORM_API_KEY || undefined },
    mail: { smtpUrl: env.SMTP_URL || undefined, from: env.MAIL_FROM || undefined },
    log: {
      level: (env.LOG_LEVEL as NonNullable<SwitchboardConfig['log']>['level']) || undefined,
      pretty: bool(env, 'LOG_PRETTY'),
    },
  };
}

type Plain = Record<string, unknown>;
function isPlain(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Deep merge where `undefined` in `over` never overwrites a value in `base`. */
function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (isPlain(base) && isPlain(over)) {
    const out: Plain = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
    return out;
  }
  return over;
}

function dropUndefined(v: unknown): unknown {
  if (!isPlain(v)) return v;
  const out: Plain = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = dropUndefined(x);
  return out;
}

/**
 * Merges the file config over the environment and validates the result. A bad value stops
 * start-up with a `config_invalid` error whose message names every bad key, e.g.
 * `server.port: Too big: expected number to be <=65535`.
 */
export function resolveConfig(fileConfig: SwitchboardConfig = {}, env: Env = {}): ResolvedConfig {
  const merged = dropUndefined(merge(dropUndefined(configFromEnv(env)), dropUndefined(fileConfig)));
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const keys = i.code === 'unrecognized_keys' ? i.keys.map((k) => [...i.path, k].join('.')) : [];
      const at = keys.length ? keys.join(', ') : i.path.join('.') || '(root)';
      return `${at}: ${i.message}`;
    });
    throw createError('config_invalid', `Invalid configuration:\n  ${lines.join('\n  ')}`, {
      details: parsed.error.issues,
    });
  }
  return parsed.data;
}
