import { z } from 'zod';
import type { Logger } from 'pino';
import type { ResolvedConfig } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { createError, isAppError } from '../../errors/registry.js';
import { singleLine } from '../../http/text.js';
import { hashPassword } from '../auth/passwords.js';
import type { TokenRevocation } from '../auth/revocation.js';
import { accountMail, randomPassword } from '../mail/messages.js';
import type { MailPort } from '../mail/port.js';
import type { TenantRepo } from '../tenants/repo.js';
import type { UserRepo } from '../users/repo.js';
import type { Role } from '../users/schema.js';
import { mobileSchema } from '../users/routes.js';
import type { AgentAdminRepo, AgentListRow, AgentQuery } from './admin-repo.js';
import type { DeviceService } from './device-service.js';
import {
  columnOf,
  IMPORT_COLUMNS,
  MAX_IMPORT_ROWS,
  REQUIRED_COLUMNS,
  suggestColumn,
  type ImportColumn,
  type ImportSheet,
} from './import-file.js';
import type { AgentService } from './service.js';

/** A new agent as an admin, an API client or an import row gives it. */
export interface NewAgent {
  name: string;
  email: string;
  staffNo: string;
  mobile?: string | undefined;
  /** `agent` unless told (import rows are always agents). */
  role?: Role | undefined;
  skillGroupIds: string[];
}

/** One created agent: who, and whether their password left by mail. */
export interface CreatedAgent {
  userId: string;
  email: string;
  staffNo: string;
  name: string;
  passwordSent: boolean;
}

/** One problem of an import: the spreadsheet row, the column as headed in the file, what is wrong. */
export interface ImportError {
  row: number;
  column: string | null;
  message: string;
}

/** A skill-group list cell: names separated by `;`, `,`, `|`, `、` or `，`. */
const groupNames = (cell: string) =>
  cell
    .split(/[;,|、，]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** One import row's fields, checked as the API checks a single new agent. */
const importRowSchema = z.object({
  name: singleLine(100),
  email: z.email('must be an email address').max(254),
  staffNo: singleLine(32),
  mobile: mobileSchema.optional(),
});

interface Deps {
  db: Db;
  config: ResolvedConfig;
  logger: Logger;
  mail: MailPort;
  tenantRepo: TenantRepo;
  userRepo: UserRepo;
  agentAdminRepo: AgentAdminRepo;
  agentService: AgentService;
  deviceService: DeviceService;
  tokenRevocation: TokenRevocation;
}

/** Hashes with at most `n` at once: argon2id takes 64 MiB and tens of ms per hash. */
async function hashAll(passwords: string[], n = 2): Promise<string[]> {
  const out = new Array<string>(passwords.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, passwords.length) }, async () => {
      while (next < passwords.length) {
        const i = next++;
        out[i] = await hashPassword(passwords[i]!);
      }
    }),
  );
  return out;
}

/**
 * Agent administration (ADM-08…13): add agents one by one, through the API or from a CSV/XLSX
 * file (all or nothing), each with a random password sent by mail; list and search; rename and
 * regroup; reset a password; disable and enable.
 */
export class AgentAdminService {
  private readonly d: Deps;
  constructor(deps: Deps) {
    this.d = deps;
  }

  list(tenantId: string, q: AgentQuery) {
    return this.d.agentAdminRepo.page(tenantId, q);
  }

  async get(tenantId: string, userId: string): Promise<AgentListRow> {
    const row = await this.d.agentAdminRepo.get(tenantId, userId);
    if (!row) throw createError('not_found', 'No agent with that id');
    return row;
  }

  /** Refuses ids that are not skill groups of this tenant, naming each. */
  private async checkGroupIds(tenantId: string, ids: readonly string[], path: string): Promise<void> {
    const found = new Set((await this.d.agentAdminRepo.groupsByIds(tenantId, ids)).map((g) => g.id));
    const missing = ids.map((id, i) => ({ id, i })).filter((x) => !found.has(x.id));
    if (missing.length > 0) {
      throw createError('validation_failed', 'Unknown skill group', {
        details: missing.map((m) => ({
          path: `${path}.${m.i}`,
          message: `no skill group ${m.id} in your tenant`,
          code: 'not_found',
        })),
      });
    }
  }

  /** ADM-08 / ADM-10: one agent, with a random password mailed to them. */
  async create(tenantId: string, input: NewAgent): Promise<CreatedAgent> {
    const groupIds = [...new Set(input.skillGroupIds)];
    await this.checkGroupIds(tenantId, groupIds, 'body.skillGroupIds');
    const taken = await this.d.agentAdminRepo.taken(tenantId, {
      emails: [input.email.toLowerCase()],
      mobiles: input.mobile ? [input.mobile] : [],
      staffNos: [input.staffNo],
    });
    const field = taken.emails.size ? 'email' : taken.mobiles.size ? 'mobile' : taken.staffNos.size ? 'staffNo' : null;
    if (field) throw createError('conflict', `A user with this ${field} already exists`, { details: { field } });
    const [created] = await this.insertAll(tenantId, [{ ...input, skillGroupIds: groupIds }]);
    return created!;
  }

  /**
   * ADM-09: every row of the file is checked first (fields, duplicates inside the file, clashes
   * with existing users, unknown groups); any problem answers `422 import_invalid` listing each
   * (row, column, message) and nothing is stored. Otherwise all agents are created in one
   * transaction, then mailed.
   */
  async importSheet(tenantId: string, sheet: ImportSheet): Promise<Array<CreatedAgent & { row: number }>> {
    const errors: ImportError[] = [];
    const fail = () => {
      errors.sort((a, b) => a.row - b.row);
      throw createError('import_invalid', `${errors.length} problem(s) in the file; nothing was imported`, {
        details: { errors },
      });
    };

    // The header names the columns, in any order, in English or Chinese.
    const columns = new Map<number, ImportColumn>();
    const label = new Map<ImportColumn, string>();
    sheet.header.cells.forEach((text, i) => {
      if (!text) return;
      const col = columnOf(text);
      if (!col) {
        const s = suggestColumn(text);
        errors.push({
          row: sheet.header.row,
          column: text,
          message: `unknown column "${text}"${s ? `; did you mean "${s}"?` : `; columns are ${IMPORT_COLUMNS.join(', ')}`}`,
        });
      } else if (label.has(col)) {
        errors.push({ row: sheet.header.row, column: text, message: `the column ${col} appears twice` });
      } else {
        columns.set(i, col);
        label.set(col, text);
      }
    });
    for (const col of REQUIRED_COLUMNS) {
      if (!label.has(col)) errors.push({ row: sheet.header.row, column: col, message: `the column ${col} is missing` });
    }
    if (errors.length) fail();
    const rows = sheet.rows.filter((r) => r.cells.some((c) => c !== ''));
    if (rows.length === 0) {
      errors.push({ row: sheet.header.row + 1, column: null, message: 'the file has no agents below its header' });
      fail();
    }
    if (rows.length > MAX_IMPORT_ROWS) {
      errors.push({
        row: rows[MAX_IMPORT_ROWS]!.row,
        column: null,
        message: `at most ${MAX_IMPORT_ROWS} agents per file; split the file`,
      });
      fail();
    }

    const groups = await this.d.agentAdminRepo.groupsByName(tenantId);
    const parsed: Array<{ row: number; agent: NewAgent }> = [];
    const firstRowOf = {
      email: new Map<string, number>(),
      mobile: new Map<string, number>(),
      staffNo: new Map<string, number>(),
    };
    for (const r of rows) {
      const raw: Partial<Record<ImportColumn, string>> = {};
      for (const [i, col] of columns) raw[col] = r.cells[i] ?? '';
      const res = importRowSchema.safeParse({
        name: raw.name ?? '',
        email: raw.email ?? '',
        staffNo: raw.staffNo ?? '',
        mobile: raw.mobile ? raw.mobile : undefined,
      });
      if (!res.success) {
        for (const issue of res.error.issues) {
          const col = issue.path[0] as ImportColumn;
          const empty = !(raw[col] ?? '').trim();
          errors.push({ row: r.row, column: label.get(col) ?? col, message: empty ? 'required' : issue.message });
        }
      }
      const skillGroupIds: string[] = [];
      for (const name of groupNames(raw.skillGroups ?? '')) {
        const id = groups.get(name);
        if (id) skillGroupIds.push(id);
        else errors.push({ row: r.row, column: label.get('skillGroups')!, message: `no skill group named "${name}"` });
      }
      if (!res.success) continue;
      const agent = { ...res.data, email: res.data.email.toLowerCase(), skillGroupIds: [...new Set(skillGroupIds)] };
      for (const key of ['email', 'mobile', 'staffNo'] as const) {
        const v = agent[key];
        if (!v) continue;
        const first = firstRowOf[key].get(v);
        if (first !== undefined) {
          errors.push({ row: r.row, column: label.get(key)!, message: `"${v}" is also in row ${first}` });
        } else firstRowOf[key].set(v, r.row);
      }
      parsed.push({ row: r.row, agent });
    }
    const taken = await this.d.agentAdminRepo.taken(tenantId, {
      emails: [...firstRowOf.email.keys()],
      mobiles: [...firstRowOf.mobile.keys()],
      staffNos: [...firstRowOf.staffNo.keys()],
    });
    for (const { row, agent } of parsed) {
      if (taken.emails.has(agent.email))
        errors.push({ row, column: label.get('email')!, message: 'a user with this email exists' });
      if (agent.mobile && taken.mobiles.has(agent.mobile)) {
        errors.push({ row, column: label.get('mobile')!, message: 'a user with this mobile exists' });
      }
      if (taken.staffNos.has(agent.staffNo)) {
        errors.push({ row, column: label.get('staffNo')!, message: 'a user with this staff number exists' });
      }
    }
    if (errors.length) fail();
    const created = await this.insertAll(
      tenantId,
      parsed.map((p) => p.agent),
    );
    return created.map((c, i) => ({ ...c, row: parsed[i]!.row }));
  }

  /** Creates agents in one transaction (all or none), then provisions softphones and mails passwords. */
  private async insertAll(tenantId: string, list: NewAgent[]): Promise<CreatedAgent[]> {
    const tenant = await this.d.tenantRepo.findById(tenantId);
    if (!tenant) throw createError('not_found', 'Tenant not found');
    const passwords = list.map(() => randomPassword());
    const hashes = await hashAll(passwords);
    const rows = await this.d.db
      .transaction(async (tx) => {
        const out = [];
        for (const [i, a] of list.entries()) {
          const user = await this.d.userRepo.create(
            tenantId,
            {
              name: a.name,
              email: a.email,
              staffNo: a.staffNo,
              mobile: a.mobile ?? null,
              role: a.role ?? 'agent',
              passwordHash: hashes[i]!,
            },
            tx,
          );
          await this.d.agentAdminRepo.insertAgent(tx, tenantId, user.id);
          if (a.skillGroupIds.length) await this.d.agentAdminRepo.setGroups(tx, tenantId, user.id, a.skillGroupIds);
          out.push(user);
        }
        return out;
      })
      .catch((err: unknown) => {
        // Another request took an email, mobile or staff number after the checks: nothing was stored.
        const e = err as { code?: string; cause?: { code?: string } };
        if ((e.code ?? e.cause?.code) === '23505') {
          throw createError(
            'conflict',
            'A user with one of these emails, mobiles or staff numbers was just created; nothing was stored',
          );
        }
        throw err;
      });
    const out: CreatedAgent[] = [];
    for (const [i, user] of rows.entries()) {
      // Softphone credentials at once (IN-01), as POST /users does; a provider outage does not
      // undo the agent: POST /agents/{id}/device provisions later.
      await this.d.deviceService
        .provision(tenantId, user.id)
        .catch((err) => this.d.logger.warn({ err, userId: user.id }, 'could not provision softphone credentials'));
      const sent = await this.mailPassword('welcome', tenant, user, passwords[i]!).then(
        (r) => r,
        (err: unknown) => {
          this.d.logger.warn({ err, userId: user.id }, 'could not mail a new agent’s password');
          return false;
        },
      );
      out.push({ userId: user.id, email: user.email, staffNo: user.staffNo, name: user.name, passwordSent: sent });
    }
    return out;
  }

  private async mailPassword(
    kind: 'welcome' | 'reset',
    tenant: { id: string; name: string },
    user: { name: string; email: string },
    password: string,
  ): Promise<boolean> {
    const r = await this.d.mail.send(
      accountMail({
        kind,
        tenantId: tenant.id,
        tenantName: tenant.name,
        name: user.name,
        email: user.email,
        password,
        signInUrl: this.d.config.server.publicUrl,
      }),
    );
    return r.delivered;
  }

  /** ADM-11: rename an agent and/or set their skill groups (priorities of kept groups stay). */
  async update(
    tenantId: string,
    userId: string,
    patch: { name?: string | undefined; skillGroupIds?: string[] | undefined },
  ) {
    await this.get(tenantId, userId);
    const groupIds = patch.skillGroupIds ? [...new Set(patch.skillGroupIds)] : undefined;
    if (groupIds) await this.checkGroupIds(tenantId, groupIds, 'body.skillGroupIds');
    await this.d.db.transaction(async (tx) => {
      if (patch.name !== undefined) await this.d.agentAdminRepo.rename(tx, tenantId, userId, patch.name);
      if (groupIds) await this.d.agentAdminRepo.setGroups(tx, tenantId, userId, groupIds);
    });
    return this.get(tenantId, userId);
  }

  /**
   * ADM-13: a new random password, mailed to the agent; every session of theirs ends (access and
   * refresh tokens, sockets) and their softphone password rotates. Refused before anything
   * changes when no mail transport is configured, so nobody is left with a password no one knows.
   */
  async resetPassword(tenantId: string, userId: string): Promise<{ passwordSent: true }> {
    const user = await this.d.userRepo.findById(tenantId, userId);
    if (!user) throw createError('not_found', 'No user with that id');
    if (this.d.mail.transport === 'none') {
      throw createError('mail_failed', 'No mail transport is configured (set SMTP_URL); the password was not changed');
    }
    const tenant = (await this.d.tenantRepo.findById(tenantId))!;
    const password = randomPassword();
    await this.d.userRepo.update(tenantId, userId, { passwordHash: await hashPassword(password) });
    await this.d.agentAdminRepo.revokeRefreshTokens(tenantId, userId);
    await this.d.tokenRevocation.revokeAll(tenantId, userId, 'password-reset');
    await this.d.deviceService.rotateIfProvisioned(tenantId, userId);
    try {
      if (!(await this.mailPassword('reset', tenant, user, password))) throw new Error('not delivered');
    } catch (err) {
      this.d.logger.warn({ err, userId }, 'could not mail a reset password');
      throw createError('mail_failed', 'The password was reset but the mail could not be sent; reset it again', {
        cause: err,
      });
    }
    return { passwordSent: true };
  }

  /**
   * Disable: the agent is forced offline (a ringing offer goes to someone else, ADM-12), their
   * tokens and sockets end, and they cannot sign in. Enable lets them sign in again.
   */
  async setStatus(tenantId: string, userId: string, status: 'active' | 'disabled', actorId: string | null) {
    if (status === 'disabled' && actorId === userId) throw createError('conflict', 'You cannot disable yourself');
    const current = await this.get(tenantId, userId);
    if (current.user.status !== status) {
      await this.d.userRepo.update(tenantId, userId, { status });
    }
    if (status === 'disabled') {
      if (current.agent.state !== 'offline') {
        await this.d.agentService.forceOffline(tenantId, userId, actorId).catch((err: unknown) => {
          if (!isAppError(err, 'not_found')) throw err;
        });
      }
      await this.d.tokenRevocation.revokeAll(tenantId, userId, 'disabled');
    } else {
      this.d.tokenRevocation.forget([userId]);
    }
    return this.get(tenantId, userId);
  }
}
