import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { TokenRevocation } from '../auth/revocation.js';
import { hashPassword } from '../auth/passwords.js';
import { accountMail, randomPassword } from '../mail/messages.js';
import type { MailPort } from '../mail/port.js';
import type { UserRepo } from '../users/repo.js';
import { toUserView, type UserView } from '../users/view.js';
import type { TenantRepo } from './repo.js';
import type { Edition, TenantRow, TenantStatus } from './schema.js';
import { readSetting } from './settings-schema.js';

/** A tenant as the platform operator sees it. */
export interface PlatformTenantView {
  id: string;
  slug: string;
  name: string;
  edition: Edition;
  status: TenantStatus;
  timeZone: string;
  userCount?: number;
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
}

/** What creating a tenant needs. */
export interface NewTenant {
  name: string;
  slug: string;
  edition: Edition;
  timeZone: string;
  admin: { email: string; name: string; staffNo?: string | undefined; mobile?: string | undefined };
}

/** A created tenant with its first admin. */
export interface CreatedTenant {
  tenant: PlatformTenantView;
  admin: UserView;
  /** Whether the first admin's password left by mail. */
  passwordSent: boolean;
  /**
   * The first admin's password, only when no mail carried it (no transport, or the transport
   * failed): the operator hands it over instead. Never set when the mail went out.
   */
  initialPassword?: string;
}

interface Deps {
  db: Db;
  config: ResolvedConfig;
  logger: Logger;
  tenantRepo: TenantRepo;
  userRepo: UserRepo;
  tokenRevocation: TokenRevocation;
  mail: MailPort;
}

/** A Postgres unique violation's constraint name, or undefined for any other error. */
function uniqueViolation(err: unknown): string | undefined {
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const pg = e.code ? e : e.cause;
  return pg?.code === '23505' ? (pg.constraint ?? '') : undefined;
}

/**
 * The platform operator's tenant administration: create a tenant with its first admin (who gets
 * a random password by mail), list, read, rename or change edition, disable and enable. Used by
 * `/api/v1/platform/tenants` and by `npm run tenant` (scripts/tenant.ts), so both behave alike.
 */
export class PlatformTenantService {
  private readonly d: Deps;
  constructor(deps: Deps) {
    this.d = deps;
  }

  view(t: TenantRow & { userCount?: number }): PlatformTenantView {
    return {
      id: t.id,
      slug: t.slug,
      name: t.name,
      edition: t.edition,
      status: t.status,
      timeZone: readSetting(t.settings, 'timezone', { wrapUpSeconds: this.d.config.calls.wrapUpSeconds }),
      ...(t.userCount !== undefined ? { userCount: t.userCount } : {}),
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
      disabledAt: t.disabledAt?.toISOString() ?? null,
    };
  }

  /** A tenant by id or slug; `not_found` otherwise. */
  async find(ref: string): Promise<TenantRow> {
    const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
    const t = isId ? await this.d.tenantRepo.findById(ref) : await this.d.tenantRepo.findBySlug(ref);
    if (!t) throw createError('not_found', `No tenant "${ref}"`);
    return t;
  }

  /**
   * Creates the tenant and its first admin in one transaction, then mails the admin a random
   * password. A taken slug or email is `409 conflict` naming the field.
   */
  async create(input: NewTenant): Promise<CreatedTenant> {
    if (await this.d.tenantRepo.findBySlug(input.slug)) {
      throw createError('conflict', `A tenant with the slug "${input.slug}" exists`, { details: { field: 'slug' } });
    }
    if (await this.d.userRepo.findByEmailForLogin(input.admin.email)) {
      throw createError('conflict', 'A user with this email already exists', { details: { field: 'admin.email' } });
    }
    const password = randomPassword();
    const passwordHash = await hashPassword(password);
    const { tenant, admin } = await this.d.db
      .transaction(async (tx) => {
        const tenant = await this.d.tenantRepo.create(
          { slug: input.slug, name: input.name, edition: input.edition, settings: { timezone: input.timeZone } },
          tx,
        );
        const admin = await this.d.userRepo.create(
          tenant.id,
          {
            email: input.admin.email,
            name: input.admin.name,
            staffNo: input.admin.staffNo ?? 'admin',
            role: 'admin',
            mobile: input.admin.mobile ?? null,
            passwordHash,
          },
          tx,
        );
        return { tenant, admin };
      })
      .catch((err: unknown) => {
        // Someone took the slug, email or mobile between the checks and the insert.
        const c = uniqueViolation(err);
        if (c === undefined) throw err;
        const field = c.includes('slug') ? 'slug' : c.includes('mobile') ? 'admin.mobile' : 'admin.email';
        throw createError('conflict', `The ${field} is taken`, { details: { field } });
      });
    const mail = accountMail({
      kind: 'welcome',
      tenantId: tenant.id,
      tenantName: tenant.name,
      name: admin.name,
      email: admin.email,
      password,
      signInUrl: this.d.config.server.publicUrl,
    });
    const delivered = await this.d.mail.send(mail).then(
      (r) => r.delivered,
      (err: unknown) => {
        this.d.logger.warn({ err, tenantId: tenant.id }, 'could not mail the first admin’s password');
        return false;
      },
    );
    this.d.logger.info({ tenantId: tenant.id, slug: tenant.slug, edition: tenant.edition }, 'tenant created');
    return {
      tenant: this.view({ ...tenant, userCount: 1 }),
      admin: toUserView(admin),
      passwordSent: delivered,
      ...(delivered ? {} : { initialPassword: password }),
    };
  }

  async list(opts: {
    page: number;
    pageSize: number;
    q?: string | undefined;
    status?: TenantStatus | undefined;
  }): Promise<{ items: PlatformTenantView[]; total: number; page: number; pageSize: number }> {
    const { items, total } = await this.d.tenantRepo.page({
      limit: opts.pageSize,
      offset: (opts.page - 1) * opts.pageSize,
      q: opts.q,
      status: opts.status,
    });
    return { items: items.map((t) => this.view(t)), total, page: opts.page, pageSize: opts.pageSize };
  }

  async update(
    ref: string,
    patch: { name?: string | undefined; edition?: Edition | undefined },
  ): Promise<PlatformTenantView> {
    const t = await this.find(ref);
    const row = await this.d.tenantRepo.update(t.id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.edition !== undefined ? { edition: patch.edition } : {}),
    });
    return this.view(row!);
  }

  /**
   * Disables or enables a tenant. Disabling refuses its users' sign-ins, ends their access
   * tokens and sockets at once (and keeps refusing tokens while disabled), and stops its API
   * keys. Enabling lets them sign in again; tokens from before stay ended. Idempotent.
   */
  async setStatus(ref: string, status: TenantStatus): Promise<PlatformTenantView> {
    const t = await this.find(ref);
    if (t.status === status) return this.view(t);
    const row = await this.d.tenantRepo.setStatus(t.id, status);
    if (status === 'disabled') await this.d.tokenRevocation.revokeTenant(t.id);
    else this.d.tokenRevocation.forget();
    this.d.logger.info({ tenantId: t.id, slug: t.slug, status }, 'tenant status changed');
    return this.view(row!);
  }
}
