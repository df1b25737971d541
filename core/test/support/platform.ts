import { expect } from 'vitest';
import { DevMailSink } from '../../src/modules/mail/port.js';
import type { Edition } from '../../src/modules/tenants/schema.js';
import type { SeededUser, TestApp } from './test-app.js';

/** The platform key of test apps started with {@link platformEnv}. */
export const TEST_PLATFORM_KEY = 'test-platform-key-0123456789abcdef-0123456789';

/** Environment that turns the platform API on. */
export const platformEnv = { PLATFORM_API_KEY: TEST_PLATFORM_KEY };

/**
 * The newest password mailed to `email`, read from the dev mail sink (the test app runs in demo
 * mode without SMTP, so mail lands there), as the person would read it in their mailbox.
 */
export async function mailedPassword(t: TestApp, tenantId: string, email: string): Promise<string> {
  const sink = t.app.container.cradle.mail;
  if (!(sink instanceof DevMailSink)) throw new Error('the test app has no dev mail sink');
  const [mail] = await sink.list(tenantId, { to: email, limit: 1 });
  const password = /^Password: (\S+)$/m.exec(mail?.text ?? '')?.[1];
  if (!password) throw new Error(`no password mailed to ${email}`);
  return password;
}

/**
 * Creates a tenant the way an operator does: `POST /api/v1/platform/tenants`, then signs its
 * first admin in with the password they were mailed.
 */
export async function createTenantThroughPlatform(
  t: TestApp,
  opts: { slug: string; edition?: Edition; timeZone?: string },
): Promise<{ tenantId: string; admin: SeededUser; password: string }> {
  const email = `admin@${opts.slug}.platform.test`;
  const res = await t.request('POST', '/api/v1/platform/tenants', {
    token: TEST_PLATFORM_KEY,
    body: {
      name: `Tenant ${opts.slug}`,
      slug: opts.slug,
      edition: opts.edition ?? 'standard',
      timeZone: opts.timeZone ?? 'UTC',
      admin: { email, name: `Admin of ${opts.slug}` },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const tenantId = res.body.tenant.id as string;
  const password = await mailedPassword(t, tenantId, email);
  const login = await t.login(email, password);
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return {
    tenantId,
    password,
    admin: {
      id: res.body.admin.id,
      email,
      role: 'admin',
      mobile: '',
      token: login.body.accessToken,
      refreshToken: login.body.refreshToken,
    },
  };
}
