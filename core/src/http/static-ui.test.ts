import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/test-app.js';

/** A stand-in web app build: what `vite build` writes (index.html, hashed assets, a favicon). */
async function fakeBuild(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sb-ui-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Switchboard</title><div id="app"></div>');
  await writeFile(join(dir, 'assets', 'index-AbC123.js'), 'console.log("app")');
  await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(dir, '.source-hash'), 'secret-ish');
  return dir;
}

function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers: { accept: 'text/html' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web app serving', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = await fakeBuild();
    t = await startTestApp({ config: { ui: { dir } } });
  });
  afterAll(async () => {
    await t?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const html = { accept: 'text/html,application/xhtml+xml' };

  it('serves index.html at / and for every page path (history routing), never cached, with the app CSP', async () => {
    for (const path of ['/', '/workbench', '/admin/agents/123', '/login?redirect=%2Fworkbench']) {
      const res = await t.request('GET', path, { headers: html });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.body).toContain('<div id="app">');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self' ws: wss:");
      expect(csp).toContain("media-src 'self' blob:");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('serves hashed assets for a year, immutable; other files revalidated', async () => {
    const js = await t.request('GET', '/assets/index-AbC123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const icon = await t.request('GET', '/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers 404 for a missing asset or hidden file, never index.html', async () => {
    expect((await t.request('GET', '/assets/index-gone.js', { headers: html })).status).toBe(404);
    expect((await t.request('GET', '/.source-hash', { headers: html })).status).toBe(404);
  });

  it('never reads outside the build directory', async () => {
    // Sent raw: fetch would resolve the dots before they reach the server.
    for (const path of [
      '/assets/../../../../etc/passwd',
      '/..%2f..%2f..%2fetc/hosts.txt',
      '/assets/%2e%2e/%2e%2e/x.js',
    ]) {
      const { status, body } = await rawGet(t.url, path);
      expect(body, path).not.toMatch(/root:|localhost/);
      expect([200, 400, 403, 404], path).toContain(status);
      if (status === 200) expect(body).toContain('<div id="app">');
    }
  });

  it('leaves the API, telephony, realtime, plugins and operational paths alone', async () => {
    const api = await t.request('GET', '/api/v1/no-such-thing', { headers: html });
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe('route_not_found');
    for (const path of ['/jambonz/nothing', '/ws/x', '/plugins/none/x', '/metrics/x', '/healthz/x', '/readyz/x']) {
      const res = await t.request('GET', path, { headers: html });
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/json/);
    }
    expect((await t.request('GET', '/healthz', { headers: html })).body).toEqual({ status: 'ok' });
    expect((await t.request('GET', '/api/openapi.json', { headers: html })).status).toBe(200);
  });

  it('does not answer HTML to a request for something else, nor to other methods', async () => {
    expect((await t.request('GET', '/workbench', { headers: { accept: 'application/json' } })).status).toBe(404);
    expect((await t.request('POST', '/workbench', { headers: html, body: {} })).status).not.toBe(200);
  });
});

describe('without a web app build', () => {
  it('runs API-only and says so in the log', async () => {
    const t = await startTestApp({ config: { ui: { dir: join(tmpdir(), 'sb-no-such-ui') } } });
    try {
      expect((await t.request('GET', '/', { headers: { accept: 'text/html' } })).status).toBe(404);
      expect(t.logs.some((l) => String(l.msg).includes('no web app build found'))).toBe(true);
    } finally {
      await t.stop();
    }
  });
});
