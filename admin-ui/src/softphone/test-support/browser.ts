/**
 * The softphone's browser tests' harness: bundles the test page with esbuild (code splitting on,
 * so JsSIP's dynamic import becomes a chunk of its own, as in the app), serves it on 127.0.0.1
 * (a secure context, so getUserMedia works) and starts Debian's Chromium with fake media.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';

/** The Chromium flags of COMMON.md, fake microphone/camera, and host candidates in the clear. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  // Two peer connections in one browser meet over host candidates; mDNS names would need a resolver.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

/** The bundled page, served. `requests` lists every path the browser fetched, in order. */
export interface TestPageServer {
  url: string;
  requests: string[];
  /** Names of the built files (the entry and its chunks). */
  files: string[];
  /** What `GET /api/v1/me/device` answers the page (the server's credentials endpoint, scripted). */
  device: unknown;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' };

/** Bundles `test-support/page-entry.ts` and serves it with an index page. */
export async function serveTestPage(): Promise<TestPageServer> {
  const outdir = await mkdtemp(join(tmpdir(), 'softphone-page-'));
  await build({
    entryPoints: { 'page-entry': fileURLToPath(new URL('./page-entry.ts', import.meta.url)) },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    outdir,
    logLevel: 'silent',
  });
  const files = await readdir(outdir);
  const requests: string[] = [];
  const site = { device: null as unknown };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    if (path === '/api/v1/me/device' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(site.device));
      return;
    }
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        '<!doctype html><html><head><script type="module" src="/page-entry.js"></script></head><body></body></html>',
      );
      return;
    }
    const name = path.slice(1);
    if (!files.includes(name)) {
      res.writeHead(404).end();
      return;
    }
    readFile(join(outdir, name)).then(
      (data) => res.writeHead(200, { 'content-type': TYPES[extname(name)] ?? 'application/octet-stream' }).end(data),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    files,
    get device() {
      return site.device;
    },
    set device(value: unknown) {
      site.device = value;
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(outdir, { recursive: true, force: true });
    },
  };
}

/** Starts Debian's Chromium (never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}
