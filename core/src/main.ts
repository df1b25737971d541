/**
 * `npm start`: loads `plugins.config` (compiled to `dist/plugins.config.js` at the repository
 * root, or the file named by `SWITCHBOARD_CONFIG`), starts the server and prints how to use it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp, type App } from './app.js';
import { installProcessHandlers } from './background.js';
import type { SwitchboardConfig } from './config/config.js';
import { isAppError } from './errors/registry.js';

async function loadConfig(): Promise<SwitchboardConfig> {
  const file = resolve(process.env.SWITCHBOARD_CONFIG ?? 'dist/plugins.config.js');
  if (!existsSync(file)) {
    console.warn(`[switchboard] ${file} not found: starting with no plugins (run "npm run build" first)`);
    return {};
  }
  const mod = (await import(pathToFileURL(file).href)) as { default?: SwitchboardConfig };
  return mod.default ?? {};
}

async function banner(app: App, url: string): Promise<string> {
  const lines = [
    '',
    '  Switchboard is running',
    `  URL:        ${url}`,
    `  API docs:   ${url}/api/docs`,
    `  Database:   ${app.database.mode === 'embedded' ? `embedded PostgreSQL (PGlite) in ${resolve(app.config.database.dataDir, 'pg')}` : 'PostgreSQL server (DATABASE_URL)'}`,
    '',
    '  Plugins:',
    ...(app.pluginHost.statuses().length === 0
      ? ['    (none enabled in plugins.config.ts)']
      : app.pluginHost
          .statusTable()
          .split('\n')
          .map((l) => `    ${l}`)),
  ];
  const perTenant = await app.container.cradle.pluginSettings.tenantTable();
  if (perTenant) lines.push('', '  Plugins per tenant:', ...perTenant.split('\n').map((l) => `    ${l}`));
  if (app.demo) {
    lines.push('', '  Demo tenant (advanced edition) — sign in with:');
    for (const u of app.demo.users) {
      lines.push(
        `    ${u.role.padEnd(10)} ${u.email.padEnd(24)} ${u.password ?? '(unchanged; set DEMO_PASSWORD to reset)'}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  let app: App;
  try {
    app = await createApp(await loadConfig());
  } catch (err) {
    if (isAppError(err)) {
      console.error(`[switchboard] cannot start: ${err.message}`);
    } else {
      console.error('[switchboard] cannot start:', err);
    }
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    app.logger.info({ signal }, 'shutting down');
    try {
      await app.stop();
    } catch (err) {
      app.logger.error({ err }, 'shutdown failed');
      code = code || 1;
    }
    process.exit(code);
  };
  // A rejection nobody handled is logged and counted, and every call goes on; an uncaught
  // exception stops the server cleanly and exits (docs/adr/0010-background-steps.md).
  installProcessHandlers(app.logger, app.container.cradle.metrics, {
    onUncaughtException: () => void stop('uncaughtException', 1),
  });
  const url = await app.listen();
  process.stdout.write(await banner(app, url));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error('[switchboard] failed:', err);
  process.exit(1);
});
