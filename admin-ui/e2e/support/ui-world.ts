/**
 * The set-up every browser test of the web app shares: the real server started in-process on a
 * fresh database with the jambonz simulator and the demo tenant, serving the built UI behind a
 * {@link NetworkLink} the test can cut; Debian's Chromium driven by playwright-core; and
 * helpers to sign in, take screenshots and check accessibility.
 *
 * @example
 * const world = useUiWorld();
 * it('[LOGIN-01] …', async () => {
 *   const page = await world.page();
 *   await world.signIn(page, 'agent1');
 * });
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { DEMO_USERS } from '../../../core/src/demo/seed.js';
import type { PluginSpec } from '../../../core/src/plugins/types.js';
import { createPglite } from '../../../core/test/support/test-database.js';
import { startTestApp, type TestApp } from '../../../core/test/support/test-app.js';
import { jambonz } from '../../../jambonz-apps/src/app/adapter.js';
import type { JambonzSimulator } from '../../../jambonz-apps/src/simulator/index.js';
import { NetworkLink } from './network-link.js';

const ROOT = resolve(import.meta.dirname, '../../..');
/** The built web app the server serves. */
export const UI_DIST = join(ROOT, 'admin-ui/dist');
/** The agent mini-program's h5 build the server serves at `/m/`. */
export const MOBILE_DIST = join(ROOT, 'miniprogram/dist/h5');
/** Screenshots of every test run (gitignored). */
export const ARTIFACTS = join(ROOT, 'admin-ui/e2e/artifacts');
/** The password of every demo user in browser tests. */
export const DEMO_PASSWORD = 'e2e-demo-password';

/** Flags of the Debian Chromium in this project (COMMON.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A demo user by the local part of its email (`agent1`, `admin`, `supervisor`). */
export type DemoUserKey = 'admin' | 'supervisor' | 'agent1' | 'agent2' | 'agent3';

export function demoUser(key: DemoUserKey): (typeof DEMO_USERS)[number] {
  const u = DEMO_USERS.find((d) => d.email === `${key}@demo.local`);
  if (!u) throw new Error(`no demo user ${key}`);
  return u;
}

/**
 * Builds the UI when its sources changed since the last build (`scripts/build-ui.mjs`; a no-op
 * in `npm test`, which builds first). Asynchronous: a build blocking the test worker for a
 * minute would cut it off from the test runner.
 */
export async function ensureUiBuilt(): Promise<void> {
  const child = spawn('node', [join(ROOT, 'scripts/build-ui.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0 || !existsSync(join(UI_DIST, 'index.html'))) throw new Error('building admin-ui failed');
  if (!existsSync(join(MOBILE_DIST, 'index.html'))) throw new Error('building the mini-program failed');
}

export interface UiWorldOptions {
  /** Wrap-up, sweeper and other call settings of the app. */
  calls?: Record<string, number>;
  /** Tenant settings of the demo tenant (e.g. `{ agent: { defaultLoginState: 'notReady' } }`). */
  tenantSettings?: Record<string, unknown>;
  /** Plugins of the app (e.g. the CRM screen pop against a demo CRM). */
  plugins?: PluginSpec[];
  /** Push settings of the app (e.g. few retries, so a delivery fails for good within a test). */
  push?: { retryLimit?: number };
  /** More environment of the server (e.g. `SMTP_URL` of an SMTP server the test started). */
  env?: Record<string, string> | (() => Record<string, string>);
}

export interface UiWorld {
  readonly t: TestApp;
  readonly sim: JambonzSimulator;
  /** The link between browser and server; `cut()` simulates a network outage. */
  readonly link: NetworkLink;
  /** The base URL the browser opens (through the link). */
  readonly url: string;
  readonly browser: Browser;
  /** A new page in a fresh context (own storage), 1280×720 unless told otherwise; closed after the test. */
  page(opts?: { width?: number; height?: number; locale?: 'zh-CN' | 'en' }): Promise<Page>;
  /** Signs in through the sign-in form (email + password) and waits for the landing page. */
  signIn(page: Page, who: DemoUserKey): Promise<void>;
  /** An API token of a demo user (for setting the scene behind the browser's back). */
  token(who: DemoUserKey): Promise<string>;
  /** Saves a full-page screenshot under `admin-ui/e2e/artifacts/<name>.png`. */
  screenshot(page: Page, name: string): Promise<string>;
  /** Fails on serious or critical axe violations of the page as it is now. */
  expectAccessible(page: Page, name: string): Promise<void>;
  /**
   * Stops the server (as a deploy or a crash would): the browser's connections fail until
   * {@link UiWorld.startServer}. Calls in the simulator end with it.
   */
  stopServer(): Promise<void>;
  /** Starts the server again on the same port and the same database (`t` is the new one). */
  startServer(): Promise<void>;
}

/** Registers the file's hooks (call it at the top level of a test file) and returns the world. */
export function useUiWorld(opts: UiWorldOptions = {}): UiWorld {
  // A browser test walks a person's whole task through a real server and Chromium: on a busy
  // 2-core machine that takes minutes, not the 60 s a unit test gets. Steps still wait on
  // conditions, never on time; this only bounds a test that hangs.
  vi.setConfig({ testTimeout: 240_000 });
  let t: TestApp | undefined;
  let link: NetworkLink | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  /** The database outlives a server restart (stopServer / startServer). */
  let pglite: Awaited<ReturnType<typeof createPglite>> | undefined;
  let startOpts: Parameters<typeof startTestApp>[0] | undefined;
  let stopped = false;
  /** Uncaught page errors and Content-Security-Policy violations of the running test. */
  const pageProblems: string[] = [];

  beforeAll(async () => {
    await ensureUiBuilt();
    expect(existsSync('/usr/bin/chromium'), 'install Debian chromium (bash .ci/run does)').toBe(true);
    pglite = await createPglite();
    startOpts = {
      env: { SEED_DEMO: '1', DEMO_PASSWORD, ...(typeof opts.env === 'function' ? opts.env() : opts.env) },
      config: {
        ui: { dir: UI_DIST, mobileDir: MOBILE_DIST },
        telephony: jambonz({ apiBaseUrl: 'simulator', webhookSecret: 'e2e-webhook-secret', webhookBudgetMs: 9000 }),
        calls: { sweepIntervalMs: 200, ...opts.calls },
        ...(opts.plugins ? { plugins: opts.plugins } : {}),
        ...(opts.push ? { push: opts.push } : {}),
      },
      db: { kind: 'pglite', pglite, close: async () => undefined },
    };
    t = await startTestApp(startOpts);
    if (opts.tenantSettings && t.app.demo) {
      const { tenantRepo } = t.app.container.cradle;
      const tenant = await tenantRepo.findById(t.app.demo.tenantId);
      await tenantRepo.update(t.app.demo.tenantId, { settings: { ...tenant?.settings, ...opts.tenantSettings } });
    }
    link = await NetworkLink.start(Number(new URL(t.url).port));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    await mkdir(ARTIFACTS, { recursive: true });
  }, 600_000);

  afterEach(async () => {
    link?.restore();
    for (const c of contexts.splice(0)) await c.close().catch(() => undefined);
    // The app must run under its CSP and never throw where nobody catches it.
    expect(pageProblems.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await link?.stop();
    if (!stopped) await t?.stop();
    await pglite?.close();
  });

  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`the UI world starts ${what} in beforeAll`);
    return v;
  };

  return {
    get t() {
      return need(t, 'the app');
    },
    get sim() {
      return need(t, 'the app').app.telephony!.extra!.simulator as JambonzSimulator;
    },
    get link() {
      return need(link, 'the link');
    },
    get url() {
      return need(link, 'the link').url;
    },
    get browser() {
      return need(browser, 'the browser');
    },
    async page(o = {}) {
      const context = await need(browser, 'the browser').newContext({
        viewport: { width: o.width ?? 1280, height: o.height ?? 720 },
        locale: o.locale ?? 'zh-CN',
      });
      contexts.push(context);
      // The UI language is the app's own choice (zh-CN by default), not the browser's.
      if (o.locale) {
        await context.addInitScript({
          content: `localStorage.setItem('switchboard.locale', ${JSON.stringify(o.locale)})`,
        });
      }
      const page = await context.newPage();
      page.on('pageerror', (err) => pageProblems.push(`uncaught: ${err.message}`));
      page.on('console', (msg) => {
        if (/Content Security Policy/i.test(msg.text())) pageProblems.push(`CSP: ${msg.text()}`);
      });
      return page;
    },
    async signIn(page, who) {
      const u = demoUser(who);
      await page.goto(`${this.url}/login`);
      await page.getByTestId('login-email').locator('input').fill(u.email);
      await page.getByTestId('login-password').locator('input').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.waitForURL(u.role === 'agent' ? /\/workbench$/ : /\/admin$/);
    },
    async token(who) {
      const res = await need(t, 'the app').login(demoUser(who).email, DEMO_PASSWORD);
      if (res.status !== 200) throw new Error(`sign-in of ${who} failed: ${JSON.stringify(res.body)}`);
      return res.body.accessToken as string;
    },
    async screenshot(page, name) {
      const file = join(ARTIFACTS, `${name}.png`);
      // Animations finished: a dialog is shown as the user sees it, not mid-zoom.
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
      return file;
    },
    async stopServer() {
      if (stopped) return;
      await need(t, 'the app').stop();
      stopped = true;
    },
    async startServer() {
      if (!stopped) return;
      const port = Number(new URL(need(t, 'the app').url).port);
      const o = need(startOpts, 'the app');
      // The same port (the link forwards to it) and database; the demo seed finds its tenant.
      t = await startTestApp({ ...o, config: { ...o.config, server: { port, host: '127.0.0.1' } } });
      stopped = false;
    },
    async expectAccessible(page, name) {
      // Audit the page at rest: an element mid-fade (a drawer sliding in, a message appearing or
      // leaving) has colours nobody reads, and on a busy machine axe may catch one. Finite
      // animations only (a pulsing badge never ends); bounded, in case one is restarted over and
      // over. A message whose time runs out while axe works starts fading mid-audit, so a
      // violation must also be there in a second audit at rest: a real one always is.
      const audit = async (): Promise<string[]> => {
        await page.evaluate(`Promise.race([
          Promise.all(document.getAnimations()
            .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
            .map((a) => a.finished.catch(() => undefined))),
          new Promise((resolve) => setTimeout(resolve, 5000)),
        ])`);
        const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map(
            (v) =>
              `${v.id} (${v.impact}): ${v.help} — ${v.nodes
                .map((n) => `${n.target.join(' ')} ${n.html.slice(0, 200)} ${n.failureSummary ?? ''}`)
                .join(', ')}`,
          );
      };
      const first = await audit();
      const serious = first.length === 0 ? first : await audit();
      expect(serious, `accessibility of ${name}`).toEqual([]);
    },
  };
}
