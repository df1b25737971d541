import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors/registry.js';
import { resolveConfig } from './config.js';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(isAppError(err, 'config_invalid')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected a config error');
}

describe('resolveConfig', () => {
  it('fills defaults: port 3000, embedded database under ./data, demo on without DATABASE_URL', () => {
    const c = resolveConfig({}, {});
    expect(c.server.port).toBe(3000);
    expect(c.database.url).toBeUndefined();
    expect(c.database.dataDir).toBe('./data');
    expect(c.demo.enabled).toBe(true);
    expect(c.auth.accessTokenTtlSeconds).toBeLessThanOrEqual(900);
  });

  it('reads the documented environment variables', () => {
    const c = resolveConfig(
      {},
      {
        PORT: '8080',
        DATABASE_URL: 'postgres://u@h:5432/db',
        DATA_DIR: '/tmp/x',
        DEMO_PASSWORD: 'password-123',
        LOG_LEVEL: 'warn',
      },
    );
    expect(c.server.port).toBe(8080);
    expect(c.database.url).toBe('postgres://u@h:5432/db');
    expect(c.database.dataDir).toBe('/tmp/x');
    // With a real server the demo tenant must be asked for.
    expect(c.demo.enabled).toBe(false);
    expect(c.demo.password).toBe('password-123');
    expect(c.log.level).toBe('warn');
  });

  it('[INT-03] lets plugins.config.ts override the environment', () => {
    expect(resolveConfig({ server: { port: 4000 } }, { PORT: '8080' }).server.port).toBe(4000);
  });

  it('stops start-up naming the bad key', () => {
    expect(message(() => resolveConfig({ server: { port: 70000 } }, {}))).toMatch(/server\.port/);
    expect(message(() => resolveConfig({ auth: { accessTokenTtlSeconds: 3600 } }, {}))).toMatch(
      /auth\.accessTokenTtlSeconds/,
    );
    expect(message(() => resolveConfig({}, { DATABASE_URL: 'mysql://x' }))).toMatch(/database\.url/);
    expect(message(() => resolveConfig({}, { PORT: 'eighty' }))).toMatch(/PORT/);
    expect(message(() => resolveConfig({ server: { prot: 1 } } as never, {}))).toMatch(/server\.prot/);
    expect(message(() => resolveConfig({ plugins: [{ name: 'x' }] } as never, {}))).toMatch(/plugins\.0/);
  });
});
