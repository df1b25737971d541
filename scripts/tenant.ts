/**
 * `npm run tenant -- <command>`: the platform operator's tenant tool (issue 11).
 *
 * Two ways to reach the tenants, chosen per call:
 * - directly on the database (default): the same `DATABASE_URL` / `DATA_DIR` the server uses.
 *   With a PostgreSQL server this works while Switchboard runs. Embedded PGlite is one process's
 *   database: while the server runs, its data directory is locked and this says so — stop the
 *   server, or use the second way;
 * - `--server <url>`: through the running server's platform API, with `PLATFORM_API_KEY`.
 * Both run the same code (`PlatformTenantService`), so they behave alike.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { resolveConfig } from '../core/src/config/config.js';
import { openDatabase, runMigrations, type Database } from '../core/src/db/database.js';
import { isAppError, type AppError } from '../core/src/errors/registry.js';
import { TokenRevocation } from '../core/src/modules/auth/revocation.js';
import { ConsoleMail, SmtpMailPort, type MailPort } from '../core/src/modules/mail/port.js';
import { PlatformTenantService, type PlatformTenantView } from '../core/src/modules/tenants/platform-service.js';
import { newTenantSchema } from '../core/src/modules/tenants/platform-routes.js';
import { TenantRepo } from '../core/src/modules/tenants/repo.js';
import { TENANT_STATUSES } from '../core/src/modules/tenants/schema.js';
import { UserRepo } from '../core/src/modules/users/repo.js';
import { LocalEventBus } from '../core/src/realtime/bus.js';

const USAGE = `Usage: npm run tenant -- <command> [options]

Commands:
  create --name <name> --slug <slug> --admin-email <email> [--admin-name <name>]
         [--edition standard|advanced] [--time-zone <IANA zone>]
                      create a tenant and its first admin; the admin's random password is
                      mailed (SMTP_URL), or printed here when no SMTP server is configured
  list [--q <text>] [--status active|disabled] [--page <n>] [--page-size <n>]
  show <slug|id>
  disable <slug|id>   its users cannot sign in; their tokens and API keys stop working
  enable <slug|id>

Options:
  --server <url>      use a running server's platform API (needs PLATFORM_API_KEY)
                      instead of opening the database (DATABASE_URL or DATA_DIR)
  --json              print JSON
  -h, --help`;

/** What went wrong, for the operator: a message and an exit code. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The operations, whichever way they reach the tenants. */
interface Backend {
  create(input: unknown): Promise<{
    tenant: PlatformTenantView;
    admin: { email: string };
    passwordSent: boolean;
    initialPassword?: string;
  }>;
  list(q: Record<string, string | number | undefined>): Promise<{ items: PlatformTenantView[]; total: number }>;
  show(ref: string): Promise<PlatformTenantView>;
  setStatus(ref: string, status: 'active' | 'disabled'): Promise<PlatformTenantView>;
  close(): Promise<void>;
}

function describe(err: AppError): string {
  const details = Array.isArray(err.details)
    ? (err.details as Array<{ path?: string; message?: string }>).map((d) => `\n  ${d.path ?? ''}: ${d.message ?? ''}`)
    : [];
  return `${err.code}: ${err.message}${details.join('')}`;
}

/** Straight on the database, as the server would. */
async function directBackend(env: NodeJS.ProcessEnv, print: (s: string) => void): Promise<Backend> {
  const config = resolveConfig({}, env);
  const logger = pino({ level: 'warn' }, pino.destination(2));
  let database: Database;
  try {
    database = await openDatabase(
      {
        url: config.database.url,
        dataDir: config.database.dataDir,
        poolSize: 2,
        timeouts: config.database.timeouts,
      },
      logger,
    );
  } catch (err) {
    if (isAppError(err, 'data_dir_locked')) {
      throw new CliError(
        `${err.message}\n\nThe embedded database can be opened by one process only, and the running ` +
          `server holds it. Either stop the server and run this again, or run it through the server:\n` +
          `  PLATFORM_API_KEY=… npm run tenant -- --server http://localhost:${config.server.port} ${process.argv.slice(2).join(' ')}`,
        3,
      );
    }
    throw err;
  }
  await runMigrations(database);
  const db = database.db;
  const tenantRepo = new TenantRepo({ db });
  const userRepo = new UserRepo({ db });
  const mail: MailPort = config.mail.smtpUrl
    ? new SmtpMailPort(config.mail.smtpUrl, config.mail.from)
    : new ConsoleMail((text) => print(`No SMTP_URL: the mail is printed here instead.\n${text}`));
  const service = new PlatformTenantService({
    db,
    config,
    logger,
    tenantRepo,
    userRepo,
    mail,
    // Nobody listens on this process's bus; a running server re-reads users within
    // auth.revocationCacheSeconds and refuses the tenant's tokens from then on.
    tokenRevocation: new TokenRevocation({ userRepo, config, bus: new LocalEventBus(), logger }),
  });
  return {
    create: async (input) => service.create(newTenantSchema.parse(input)),
    list: (q) =>
      service.list({
        page: Number(q.page ?? 1),
        pageSize: Number(q.pageSize ?? 50),
        q: q.q as string | undefined,
        status: q.status as 'active' | 'disabled' | undefined,
      }),
    show: async (ref) => service.view(await service.find(ref)),
    setStatus: (ref, status) => service.setStatus(ref, status),
    close: () => database.close(),
  };
}

/** Through a running server's platform API. */
function apiBackend(server: string, key: string | undefined): Backend {
  if (!key) throw new CliError('--server needs the platform key in PLATFORM_API_KEY', 2);
  const base = `${server.replace(/\/+$/, '')}/api/v1/platform/tenants`;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new CliError(`Cannot reach ${server}: ${(err as Error).message}`);
    }
    const json = (await res.json().catch(() => ({}))) as {
      error?: { code: string; message: string; details?: unknown };
    } & T;
    if (!res.ok) {
      const e = json.error;
      const details = Array.isArray(e?.details)
        ? (e.details as Array<{ path?: string; message?: string }>).map((d) => `\n  ${d.path}: ${d.message}`).join('')
        : '';
      throw new CliError(`${res.status} ${e?.code ?? ''}: ${e?.message ?? res.statusText}${details}`);
    }
    return json;
  };
  const query = (q: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
    return p.size ? `?${p}` : '';
  };
  return {
    create: (input) => call('POST', '', input),
    list: (q) => call('GET', query(q)),
    show: (ref) => call('GET', `/${encodeURIComponent(ref)}`),
    setStatus: (ref, status) =>
      call('POST', `/${encodeURIComponent(ref)}/${status === 'active' ? 'enable' : 'disable'}`),
    close: async () => undefined,
  };
}

function line(t: PlatformTenantView): string {
  return [
    t.slug.padEnd(20),
    t.edition.padEnd(9),
    t.status.padEnd(9),
    String(t.userCount ?? '').padStart(5),
    '  ',
    t.timeZone.padEnd(20),
    t.name,
  ].join(' ');
}

/** Runs one command; returns the exit code. Exported for tests. */
export async function run(argv: string[], env: NodeJS.ProcessEnv, print: (s: string) => void): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        slug: { type: 'string' },
        edition: { type: 'string' },
        'time-zone': { type: 'string' },
        'admin-email': { type: 'string' },
        'admin-name': { type: 'string' },
        q: { type: 'string' },
        status: { type: 'string' },
        page: { type: 'string' },
        'page-size': { type: 'string' },
        server: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values: o, positionals } = parsed;
  const [command, ref] = positionals;
  if (o.help || !command) {
    print(USAGE);
    return o.help ? 0 : 2;
  }
  if (!['create', 'list', 'show', 'disable', 'enable'].includes(command)) {
    console.error(`Unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  if (['show', 'disable', 'enable'].includes(command) && !ref) {
    console.error(`${command} needs a tenant slug or id\n\n${USAGE}`);
    return 2;
  }
  if (o.status && !(TENANT_STATUSES as readonly string[]).includes(o.status)) {
    console.error(`--status must be one of ${TENANT_STATUSES.join(', ')}`);
    return 2;
  }
  const server = o.server ?? env.SWITCHBOARD_URL;
  const input = {
    name: o.name,
    slug: o.slug,
    ...(o.edition ? { edition: o.edition } : {}),
    ...(o['time-zone'] ? { timeZone: o['time-zone'] } : {}),
    admin: { email: o['admin-email'], name: o['admin-name'] ?? 'Administrator' },
  };
  if (command === 'create') {
    // Checked before any database is opened: a typo costs nothing.
    const parsed = newTenantSchema.safeParse(input);
    if (!parsed.success) {
      console.error(
        `Invalid options:\n${parsed.error.issues.map((i) => `  ${i.path.join('.') || '(input)'}: ${i.message}`).join('\n')}`,
      );
      return 2;
    }
  }
  let backend: Backend | undefined;
  try {
    backend = server ? apiBackend(server, env.PLATFORM_API_KEY) : await directBackend(env, print);
    const out = (value: unknown, text: string) => print(o.json ? JSON.stringify(value, null, 2) : text);
    switch (command) {
      case 'create': {
        const created = await backend.create(input);
        out(
          created,
          [
            `Created tenant ${created.tenant.slug} (${created.tenant.id}), ${created.tenant.edition} edition, ${created.tenant.timeZone}.`,
            `First admin: ${created.admin.email}`,
            created.passwordSent
              ? 'Their password was sent by mail.'
              : `No mail could carry the password; hand it over yourself: ${created.initialPassword}`,
          ].join('\n'),
        );
        break;
      }
      case 'list': {
        const page = await backend.list({
          q: o.q,
          status: o.status,
          page: o.page ? Number(o.page) : undefined,
          pageSize: o['page-size'] ? Number(o['page-size']) : undefined,
        });
        out(
          page,
          [
            `${'slug'.padEnd(20)} ${'edition'.padEnd(9)} ${'status'.padEnd(9)} users   ${'time zone'.padEnd(20)} name`,
            ...page.items.map(line),
            `(${page.items.length} of ${page.total})`,
          ].join('\n'),
        );
        break;
      }
      case 'show': {
        const t = await backend.show(ref!);
        out(t, line(t));
        break;
      }
      default: {
        const t = await backend.setStatus(ref!, command === 'enable' ? 'active' : 'disabled');
        out(t, `${t.slug} is ${t.status}`);
      }
    }
    return 0;
  } catch (err) {
    if (err instanceof CliError) {
      console.error(err.message);
      return err.exitCode;
    }
    if (isAppError(err)) {
      console.error(describe(err));
      return 1;
    }
    throw err;
  } finally {
    await backend?.close();
  }
}

// Run when started as a script (not when a test imports `run`).
if (import.meta.url === `file://${process.argv[1]}`) {
  run(process.argv.slice(2), process.env, (s) => process.stdout.write(`${s}\n`)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
