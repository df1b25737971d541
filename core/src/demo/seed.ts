import { randomBytes } from 'node:crypto';
import type { Cradle } from '../container.js';
import { hashPassword, verifyPassword } from '../modules/auth/passwords.js';
import type { Role } from '../modules/users/schema.js';
import { readSetting } from '../modules/tenants/settings-schema.js';
import { seedDemoCallCenter } from './call-center.js';

/** Demo users: email, name, staff number, role, mobile. */
export const DEMO_USERS: ReadonlyArray<{ email: string; name: string; staffNo: string; role: Role; mobile: string }> = [
  { email: 'admin@demo.local', name: 'Demo Admin', staffNo: '1000', role: 'admin', mobile: '13800000000' },
  {
    email: 'supervisor@demo.local',
    name: 'Demo Supervisor',
    staffNo: '2000',
    role: 'supervisor',
    mobile: '13800000001',
  },
  { email: 'agent1@demo.local', name: 'Agent One', staffNo: '3001', role: 'agent', mobile: '13800000011' },
  { email: 'agent2@demo.local', name: 'Agent Two', staffNo: '3002', role: 'agent', mobile: '13800000012' },
  { email: 'agent3@demo.local', name: 'Agent Three', staffNo: '3003', role: 'agent', mobile: '13800000013' },
];

export const DEMO_TENANT_SLUG = 'demo';

/** The API key the demo CRM asks for SDK sign-ins with (one live at a time). */
export const DEMO_CRM_KEY_NAME = 'Demo CRM (SDK)';

/** What the seed tells the operator. Passwords are known only for users it (re)set this time. */
export interface DemoCredentials {
  tenantId: string;
  users: Array<{ email: string; role: Role; staffNo: string; mobile: string; password: string | null }>;
}

/**
 * Creates the demo tenant (advanced edition) and its users, idempotently. On first start each
 * user gets a random password, printed once; later starts leave passwords alone (shown as
 * null) unless `DEMO_PASSWORD` is set, which (re)sets all of them to that value.
 */
export async function seedDemo(
  deps: Pick<
    Cradle,
    | 'tenantRepo'
    | 'userRepo'
    | 'logger'
    | 'agentService'
    | 'skillGroupRepo'
    | 'ivrRepo'
    | 'numberRepo'
    | 'apiKeyService'
  >,
  fixedPassword?: string,
  crm?: { origins: string[]; apiKey: string },
): Promise<DemoCredentials> {
  const tenant =
    (await deps.tenantRepo.findBySlug(DEMO_TENANT_SLUG)) ??
    (await deps.tenantRepo.create({ slug: DEMO_TENANT_SLUG, name: 'Demo Contact Center', edition: 'advanced' }));
  const out: DemoCredentials = { tenantId: tenant.id, users: [] };
  for (const u of DEMO_USERS) {
    const existing = await deps.userRepo.findByEmailForLogin(u.email);
    let password: string | null = null;
    if (!existing) {
      password = fixedPassword ?? randomBytes(9).toString('base64url');
      await deps.userRepo.create(tenant.id, { ...u, passwordHash: await hashPassword(password) });
    } else if (
      fixedPassword &&
      !(existing.passwordHash && (await verifyPassword(existing.passwordHash, fixedPassword)))
    ) {
      password = fixedPassword;
      await deps.userRepo.update(existing.tenantId, existing.id, { passwordHash: await hashPassword(fixedPassword) });
    } else if (fixedPassword) {
      password = fixedPassword;
    }
    out.users.push({ email: u.email, role: u.role, staffNo: u.staffNo, mobile: u.mobile, password });
  }
  const agentUsers: Array<{ userId: string; sipUser: string }> = [];
  for (const u of DEMO_USERS.filter((x) => x.role === 'agent')) {
    const row = await deps.userRepo.findByEmailForLogin(u.email);
    if (row) agentUsers.push({ userId: row.id, sipUser: u.email.split('@')[0]! });
  }
  await seedDemoCallCenter(deps, tenant.id, agentUsers);
  if (crm) {
    // The demo CRM embeds the workbench (browser SDK): it may frame it and ask for sign-ins.
    const fresh = await deps.tenantRepo.findById(tenant.id);
    const origins = readSetting(fresh?.settings, 'sdkOrigins');
    const missing = crm.origins.filter((o) => !origins.includes(o));
    if (missing.length > 0) {
      await deps.tenantRepo.update(tenant.id, {
        settings: { ...fresh?.settings, sdkOrigins: [...origins, ...missing].slice(-20) },
      });
    }
    await deps.apiKeyService.install(tenant.id, { name: DEMO_CRM_KEY_NAME, key: crm.apiKey, scopes: ['sdk:login'] });
  }
  deps.logger.info({ tenantId: tenant.id }, 'demo tenant ready');
  return out;
}
