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

  it('[INT-03] reads booleans strictly: 1/0/true/false in any case, anything else stops start-up naming the key', () => {
    for (const [raw, want] of [
      ['1', true],
      ['true', true],
      ['TRUE', true],
      ['0', false],
      ['false', false],
      ['False', false],
    ] as const) {
      expect(resolveConfig({}, { SEED_DEMO: raw }).demo.enabled).toBe(want);
      expect(resolveConfig({}, { TRUST_PROXY: raw }).server.trustProxy).toBe(want);
    }
    for (const raw of ['maybe', 'yes', 'on', '2', 'off']) {
      expect(message(() => resolveConfig({}, { SEED_DEMO: raw }))).toMatch(/SEED_DEMO.*"/);
    }
    expect(message(() => resolveConfig({}, { LOG_PRETTY: 'sure' }))).toMatch(/LOG_PRETTY/);
    expect(message(() => resolveConfig({}, { TRUST_PROXY: 'nope' }))).toMatch(/TRUST_PROXY/);
  });

  it('[INT-03] reads METRICS_TOKEN and METRICS_PORT; a short token is refused', () => {
    const c = resolveConfig({}, { METRICS_TOKEN: 'a-long-enough-token', METRICS_PORT: '9464' });
    expect(c.metrics).toEqual({ token: 'a-long-enough-token', port: 9464 });
    expect(resolveConfig({}, {}).metrics).toEqual({});
    expect(message(() => resolveConfig({}, { METRICS_TOKEN: 'short' }))).toMatch(/metrics\.token/);
    expect(message(() => resolveConfig({}, { METRICS_PORT: 'x' }))).toMatch(/METRICS_PORT/);
  });
});
