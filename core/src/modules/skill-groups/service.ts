import type { Logger } from 'pino';
import type { BackgroundSteps } from '../../background.js';
import type { DbTx } from '../../db/database.js';
import { createError } from '../../errors/registry.js';
import type { AcdService } from '../routing/acd.js';
import type { MemberDetail, SkillGroupQuery, SkillGroupRepo } from './repo.js';
import type { SkillGroupRow, SkillGroupType, Strategy } from './schema.js';

/** A member and their priority, 1 (offered first) … 5 (ADM-07). */
export interface MemberInput {
  userId: string;
  priority: number;
}

/** The fields of a group an admin sets (ADM-06, RT-01…03, RT-05). */
export interface SkillGroupFields {
  name: string;
  type: SkillGroupType;
  strategy: Strategy;
  ringTimeoutSeconds: number;
  ringTimeoutTransfer: boolean;
  maxRingSeconds: number;
  /** IVR-20: the group its callers overflow to when the IVR names none; null = none. */
  overflowSkillGroupId: string | null;
  /** RT-06: wrap-up seconds after a call through the group; null = the tenant's. */
  wrapUpSeconds: number | null;
  /** Wrap-up ends by itself (RT-06) or only by the agent (CTL-06); null = the tenant's. */
  wrapUpAutoEnd: boolean | null;
}

/** A group with everything the API shows of it. */
export interface SkillGroupDetail {
  group: SkillGroupRow;
  members: MemberDetail[];
  numberIds: string[];
  memberCount: number;
  onlineCount: number;
  idleCount: number;
}

/** Postgres unique violation on (tenant, name) → 409 naming the field. */
function conflictOnDuplicateName(err: unknown): never {
  const e = err as { code?: string; cause?: { code?: string } };
  if ((e.code ?? e.cause?.code) === '23505') {
    throw createError('conflict', 'A skill group with this name already exists', { details: { field: 'name' } });
  }
  throw err;
}

/**
 * Skill-group administration (ADM-06/07): create, edit, replace members, delete unless
 * something still routes calls to the group. Every change of a group and its members is one
 * transaction holding the group's row, so a delete never races an edit into a half-gone group.
 */
export class SkillGroupService {
  private readonly d: {
    skillGroupRepo: SkillGroupRepo;
    acdService: AcdService;
    background: BackgroundSteps;
    logger: Logger;
  };

  constructor(deps: SkillGroupService['d']) {
    // Kept as the lazy cradle: the ACD is resolved only when members change.
    this.d = deps;
  }

  private get repo(): SkillGroupRepo {
    return this.d.skillGroupRepo;
  }

  /** A page of the list (ADM-06) with each group's members and linked numbers. */
  async list(tenantId: string, q: SkillGroupQuery): Promise<{ items: SkillGroupDetail[]; total: number }> {
    const { rows, total } = await this.repo.page(tenantId, q);
    const ids = rows.map((r) => r.group.id);
    const [members, links] = await Promise.all([
      this.repo.memberDetails(tenantId, ids),
      this.repo.numberLinksOf(tenantId, ids),
    ]);
    return {
      total,
      items: rows.map((r) => ({
        ...r,
        members: members.filter((m) => m.skillGroupId === r.group.id),
        numberIds: links
          .filter((l) => l.skillGroupId === r.group.id)
          .map((l) => l.numberId)
          .sort(),
      })),
    };
  }

  /** One group of the tenant; 404 when it is not theirs. */
  async get(tenantId: string, id: string): Promise<SkillGroupDetail> {
    const row = await this.repo.findById(tenantId, id);
    if (!row) throw createError('not_found', 'No skill group with that id');
    return this.detail(tenantId, row);
  }

  /** Creates a group, with members when given (ADM-06/07). */
  async create(
    tenantId: string,
    input: Partial<SkillGroupFields> & { name: string; members?: MemberInput[] | undefined },
  ): Promise<SkillGroupDetail> {
    const { members, ...fields } = input;
    const row = await this.repo
      .transaction(async (tx) => {
        await this.checkOverflow(tx, tenantId, null, fields.overflowSkillGroupId);
        const g = await this.repo.insert(tx, tenantId, fields);
        if (members?.length) await this.setMembersIn(tx, tenantId, g.id, members);
        return g;
      })
      .catch(conflictOnDuplicateName);
    this.d.logger.info({ tenantId, skillGroupId: row.id }, 'skill group created');
    if (members?.length) this.dispatch(tenantId, row.id);
    return this.detail(tenantId, row);
  }

  /** Changes a group's fields and, when `members` is given, replaces its members. */
  async update(
    tenantId: string,
    id: string,
    patch: Partial<SkillGroupFields> & { members?: MemberInput[] | undefined },
  ): Promise<SkillGroupDetail> {
    const { members, ...fields } = patch;
    const row = await this.repo
      .transaction(async (tx) => {
        if (!(await this.repo.lock(tx, tenantId, id))) throw createError('not_found', 'No skill group with that id');
        await this.checkOverflow(tx, tenantId, id, fields.overflowSkillGroupId);
        const g = await this.repo.updateIn(tx, tenantId, id, fields);
        if (members) await this.setMembersIn(tx, tenantId, id, members);
        return g!;
      })
      .catch(conflictOnDuplicateName);
    if (members) this.dispatch(tenantId, id);
    return this.detail(tenantId, row);
  }

  /** Makes `members` the group's whole membership (bulk set, ADM-07). */
  async setMembers(tenantId: string, id: string, members: MemberInput[]): Promise<SkillGroupDetail> {
    return this.update(tenantId, id, { members });
  }

  /**
   * Deletes a group unless something still sends calls to it: 409 `skill_group_in_use` naming
   * the IVR flows (any version, drafts too: publishing one later would route into nothing), the
   * linked numbers and the calls in progress (`details`).
   */
  async remove(tenantId: string, id: string): Promise<void> {
    await this.repo.transaction(async (tx) => {
      if (!(await this.repo.lock(tx, tenantId, id))) throw createError('not_found', 'No skill group with that id');
      const uses = await this.repo.uses(tx, tenantId, id);
      const parts: string[] = [];
      if (uses.flows.length) {
        const names = uses.flows.map((f) => `"${f.flowName}" (version ${f.versions.join(', ')})`).join(', ');
        parts.push(`IVR flows transfer to it: ${names}`);
      }
      if (uses.numbers.length) {
        parts.push(`numbers are linked to it: ${uses.numbers.map((n) => n.number).join(', ')}`);
      }
      if (uses.liveCalls) parts.push(`${uses.liveCalls} call(s) in progress are in it`);
      if (uses.overflowFrom.length) {
        parts.push(`skill groups overflow to it: ${uses.overflowFrom.map((g) => `"${g.name}"`).join(', ')}`);
      }
      if (parts.length) {
        throw createError('skill_group_in_use', `The skill group is in use: ${parts.join('; ')}. Change those first`, {
          details: uses,
        });
      }
      await this.repo.remove(tx, tenantId, id);
    });
    this.d.logger.info({ tenantId, skillGroupId: id }, 'skill group deleted');
  }

  /**
   * An overflow group must be another group of the tenant (a group overflowing to itself would
   * never reach anyone new). Chains are allowed but not followed: overflow is one hop (IVR-20).
   */
  private async checkOverflow(
    tx: DbTx,
    tenantId: string,
    id: string | null,
    overflowId: string | null | undefined,
  ): Promise<void> {
    if (!overflowId) return;
    if (overflowId === id) {
      throw createError('validation_failed', 'A skill group cannot overflow to itself', {
        details: { field: 'overflowSkillGroupId' },
      });
    }
    if (!(await this.repo.exists(tx, tenantId, overflowId))) {
      throw createError('validation_failed', 'The overflow skill group does not exist', {
        details: { field: 'overflowSkillGroupId' },
      });
    }
  }

  private async setMembersIn(tx: DbTx, tenantId: string, id: string, members: MemberInput[]): Promise<void> {
    const ids = members.map((m) => m.userId);
    const dup = ids.find((u, i) => ids.indexOf(u) !== i);
    if (dup) {
      throw createError('validation_failed', 'A member is listed twice', { details: { userId: dup } });
    }
    const known = await this.repo.existingUsers(tx, tenantId, ids);
    const unknown = ids.filter((u) => !known.has(u));
    if (unknown.length) throw createError('not_found', 'No user with that id', { details: { userIds: unknown } });
    await this.repo.replaceMembers(tx, tenantId, id, members);
  }

  /** New members may be idle while callers wait: offer them the calls now, not at the next sweep. */
  private dispatch(tenantId: string, skillGroupId: string): void {
    void this.d.acdService
      .dispatch(tenantId, skillGroupId)
      .catch(this.d.background.failed('acd.dispatch', { tenantId, skillGroupId }));
  }

  private async detail(tenantId: string, row: SkillGroupRow): Promise<SkillGroupDetail> {
    const [members, links, counts] = await Promise.all([
      this.repo.memberDetails(tenantId, [row.id]),
      this.repo.numberLinksOf(tenantId, [row.id]),
      this.repo.page(tenantId, { q: undefined, sort: 'name', order: 'asc', limit: 1, offset: 0, id: row.id }),
    ]);
    const c = counts.rows[0];
    return {
      group: row,
      members,
      numberIds: links.map((l) => l.numberId).sort(),
      memberCount: c?.memberCount ?? members.length,
      onlineCount: c?.onlineCount ?? 0,
      idleCount: c?.idleCount ?? 0,
    };
  }
}
