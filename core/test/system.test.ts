import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_METRICS_TOKEN, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

describe('operational endpoints', () => {
  it('/healthz answers while the process lives', async () => {
    const res = await t.request('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('/readyz is ready only with every migration applied', async () => {
    expect((await t.request('GET', '/readyz')).status).toBe(200);
    const pool = t.app.database.pool;
    const saved = await pool.query('select * from drizzle.__drizzle_migrations order by id desc limit 1');
    await pool.query('delete from drizzle.__drizzle_migrations where id = $1', [saved.rows[0].id]);
    try {
      const res = await t.request('GET', '/readyz');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('not_ready');
      expect(res.body.error.message).toMatch(/migrations pending/);
    } finally {
      await pool.query('insert into drizzle.__drizzle_migrations (id, hash, created_at) values ($1, $2, $3)', [
        saved.rows[0].id,
        saved.rows[0].hash,
        saved.rows[0].created_at,
      ]);
    }
    expect((await t.request('GET', '/readyz')).status).toBe(200);
  });

  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    const given = await t.request('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await t.request('GET', '/healthz', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    // The access log carries the id, so one request can be followed through the logs.
    await t.request('GET', '/api/v1/tenant', { headers: { 'x-request-id': 'trace-me-1' } });
    expect(t.logs.some((l) => l.reqId === 'trace-me-1' && l.status === 401)).toBe(true);
  });

  it('exposes Prometheus metrics to the configured bearer token only', async () => {
    await t.request('GET', '/api/v1/auth/me');
    const res = await t.request('GET', '/metrics', { token: TEST_METRICS_TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(res.body).toMatch(
      /switchboard_http_requests_total\{method="GET",route="\/api\/v1\/auth\/me",status="401"\} \d+/,
    );
    expect(res.body).toContain('switchboard_plugin_hook_failures_total');
    expect(res.body).toContain('process_cpu_user_seconds_total');
    for (const token of [undefined, 'wrong-token-wrong-token']) {
      const refused = await t.request('GET', '/metrics', token ? { token } : {});
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('unauthenticated');
      expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(JSON.stringify(refused.body)).not.toContain('switchboard_http_requests_total');
    }
  });
});

describe('/metrics without protection configured, or on its own port', () => {
  it('[INT-01] is not served at all when neither METRICS_TOKEN nor METRICS_PORT is set', async () => {
    const bare = await startTestApp({ config: { metrics: {} } });
    try {
      const res = await bare.request('GET', '/metrics');
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('process_cpu');
    } finally {
      await bare.stop();
    }
  });

  it('[INT-01] METRICS_PORT serves /metrics on that port only, with the token when one is set', async () => {
    const sep = await startTestApp({ env: { METRICS_PORT: '0', METRICS_TOKEN: TEST_METRICS_TOKEN }, config: {} });
    try {
      expect(sep.app.config.metrics.port).toBe(0);
      expect((await sep.request('GET', '/metrics', { token: TEST_METRICS_TOKEN })).status).toBe(404);
      const url = sep.app.metricsUrl!;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(url).not.toBe(sep.url);
      const ok = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('switchboard_http_requests_total');
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      expect((await fetch(`${url}/api/v1/auth/me`)).status).toBe(404);
    } finally {
      await sep.stop();
    }
  });
});

describe('security headers', () => {
  it('every response says nosniff and may not be framed, /api/docs included', async () => {
    const responses = [
      await t.request('GET', '/healthz'),
      await t.request('GET', '/api/v1/auth/me'),
      await t.request('GET', '/api/v1/nothing-here'),
      await t.request('GET', '/api/openapi.json'),
      await t.request('GET', '/api/docs'),
      await t.request('POST', '/api/v1/auth/login', {
        rawBody: '{bad',
        headers: { 'content-type': 'application/json' },
      }),
    ];
    for (const res of responses) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    }
    // The docs page keeps its own script policy and still forbids framing.
    const docs = responses[4]!;
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
  });
});

describe('API documentation', () => {
  it('[INT-01] serves an OpenAPI 3.1 document generated from the schemas', async () => {
    const res = await t.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const login = res.body.paths['/api/v1/auth/login'].post;
    expect(login.requestBody.content['application/json'].schema.properties).toHaveProperty('email');
    expect(login.responses['429'].description).toMatch(/too_many_attempts/);
    expect(res.body.paths['/api/v1/users/{id}'].patch.security).toEqual([{ bearerAuth: [] }]);
    expect(res.body.components.schemas).toHaveProperty('Error');
    expect(res.body.components.securitySchemes).toHaveProperty('bearerAuth');
  });

  describe('in a browser', () => {
    let browser: Browser;
    beforeAll(async () => {
      expect(existsSync('/usr/bin/chromium'), 'install Debian chromium (bash .ci/run does)').toBe(true);
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('[INT-01] /api/docs renders every operation, with no third-party requests', async () => {
      const page = await browser.newPage();
      const foreign: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(t.url)) foreign.push(r.url());
      });
      const spec = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      const operations = Object.values(spec.paths).reduce((n, p) => n + Object.keys(p).length, 0);
      await page.goto(`${t.url}/api/docs`);
      // Swagger UI renders the operations progressively: wait until every one is on the page (some
      // Swagger UI releases silently stop after ~130 operations; see openapi/docs.ts).
      await page.waitForFunction(`document.querySelectorAll('.opblock').length >= ${operations}`, undefined, {
        timeout: 30_000,
      });
      const paths = await page.$$eval('.opblock-summary-path', (els) =>
        els.map((e) => e.textContent?.replace(/\u200b/g, '')),
      );
      expect(paths).toContain('/api/v1/auth/login');
      expect(paths).toContain('/api/v1/users/{id}');
      expect(foreign).toEqual([]);
      await page.close();
    });
  });
});
