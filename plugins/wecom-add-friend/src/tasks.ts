import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PluginCallUser, PluginCallsPort, PluginRecord, PluginRecordsPort } from '@switchboard/core/plugin';
import type { Logger } from 'pino';
import type { WeComCallbackEvent } from './callback.js';
import { WeComError, type Words } from './errors.js';
import type { WeComTenantSettings } from './options.js';
import type { WeComClient } from './wecom-client.js';

/**
 * A task's life: `assigned` (stored, the member not told yet) → `notified` (the member has the
 * card) → `added` (WeCom says the member added the customer) or `expired` (not within the
 * tenant's `taskHours`). `failed`: WeCom refused the card; the agent was told why and may try
 * again.
 */
export type TaskStatus = 'assigned' | 'notified' | 'added' | 'expired' | 'failed';

/** One add-friend task, as stored (`pluginRecords`, kind `task`). */
export interface AddFriendTask extends Record<string, unknown> {
  status: TaskStatus;
  sessionId: string;
  /** The agent who assigned it. */
  agentId: string;
  member: { userId: string; name: string };
  /** The customer as the agent saw them (masked or the user ID); what the card shows. */
  customerAsSeen: string;
  /** The real number, shown once to the member through the one-time link. */
  customerNumber: string;
  note: string | null;
  /** The contact way's `state` (`t<id>`): comes back in WeCom's add event. */
  state: string;
  assignedAt: string;
  expiresAt: string;
  notifiedAt?: string;
  addedAt?: string;
  expiredAt?: string;
  msgId?: string;
  configId?: string;
  /** The member's QR code for this task (a customer who scans it is matched by `state`). */
  qrCode?: string;
  externalUserId?: string;
  /** How the add was matched: by the way's `state`, or by member and time confirmed with WeCom. */
  matchedBy?: 'state' | 'member';
  /** Why WeCom refused the card (status `failed`), in words. */
  error?: Words;
  /** SHA-256 of the one-time link's secret; cleared once the number was shown. */
  revealHash?: string;
  revealedAt?: string;
}

/** What the agent and the card see of a task: never the number, never the link's secret. */
export interface TaskView {
  id: string;
  status: TaskStatus;
  sessionId: string;
  member: { userId: string; name: string };
  customer: string;
  note: string | null;
  assignedAt: string;
  expiresAt: string;
  notifiedAt: string | null;
  addedAt: string | null;
  revealed: boolean;
  error: Words | null;
}

/** The record kind tasks are stored under. */
export const TASK_KIND = 'task';

/** A task's status in words, for the card (zh-CN · en). */
export const STATUS_WORDS: Readonly<Record<TaskStatus, Words>> = Object.freeze({
  assigned: { 'zh-CN': '已分配', en: 'assigned' },
  notified: { 'zh-CN': '已通知成员', en: 'member notified' },
  added: { 'zh-CN': '已添加', en: 'added' },
  expired: { 'zh-CN': '已过期', en: 'expired' },
  failed: { 'zh-CN': '发送失败', en: 'not sent' },
});

/** How far back a state-less add event may match a member's task (the task's own life bounds it too). */
const OPEN: readonly TaskStatus[] = ['assigned', 'notified'];

/** Why an assignment was refused, for the route to answer. */
export class TaskRefused extends Error {
  override readonly name = 'TaskRefused';
  constructor(
    readonly code: 'validation_failed' | 'conflict' | 'wecom_failed' | 'not_configured',
    readonly status: 400 | 409 | 502 | 503,
    readonly words: Words,
    readonly task?: TaskView,
  ) {
    super(words.en);
  }
}

/** What {@link TaskService} needs. */
export interface TaskServiceDeps {
  client: WeComClient;
  records: PluginRecordsPort;
  calls: PluginCallsPort;
  clock: { now(): Date };
  logger: Logger;
  /** This server's public address (the one-time link); without it no card can be sent. */
  publicUrl: string | undefined;
}

const digits = (n: string) => n.replace(/\D/g, '');
const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * Add-friend tasks (CTL-12): an agent hands the customer of a call to a WeCom member; the member
 * gets a card with the masked customer and a one-time link that reveals the number to them only;
 * WeCom's add event marks the task added. Each step shows on the call's card (the agent sees it
 * at once, the record keeps it).
 */
export class TaskService {
  constructor(private readonly d: TaskServiceDeps) {}

  /**
   * Assigns the customer of `sessionId` to `memberUserId` and notifies the member. The call must
   * be one the user took part in (core answers `not_found`/`not_your_call` otherwise). Refused
   * with {@link TaskRefused} — in words — for a member not in the tenant's list, an open task for
   * the same member on the same call, or WeCom refusing; a refused send is kept as `failed`.
   */
  async assign(
    user: PluginCallUser,
    input: { sessionId: string; memberUserId: string; note?: string },
    settings: WeComTenantSettings,
    signal: AbortSignal,
  ): Promise<TaskView> {
    const call = await this.d.calls.forUser(user, input.sessionId);
    const member = settings.members.find((m) => m.userId === input.memberUserId);
    if (!member) {
      throw new TaskRefused('validation_failed', 400, {
        'zh-CN': '该成员不在可选成员列表中',
        en: 'That member is not in the list of members',
      });
    }
    if (!this.d.publicUrl) {
      throw new TaskRefused('not_configured', 503, {
        'zh-CN': '服务器公网地址（PUBLIC_URL）未配置，无法发送加微任务',
        en: 'The server’s public address (PUBLIC_URL) is not set, so no task can be sent',
      });
    }
    await this.expireDue(user.tenantId);
    const open = (await this.tasksOf(user.tenantId, call.sessionId)).find(
      (t) => t.member.userId === member.userId && OPEN.includes(t.status),
    );
    if (open) {
      throw new TaskRefused(
        'conflict',
        409,
        {
          'zh-CN': `已将该客户分配给 ${member.name}，等待添加中`,
          en: `Already assigned to ${member.name}, waiting for the add`,
        },
        open,
      );
    }

    const now = this.d.clock.now();
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(24).toString('base64url');
    const task: AddFriendTask = {
      status: 'assigned',
      sessionId: call.sessionId,
      agentId: user.userId,
      member: { userId: member.userId, name: member.name },
      customerAsSeen: call.customerAsSeen,
      customerNumber: call.customerNumber,
      note: input.note?.trim() || null,
      state: `t${id}`,
      assignedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + settings.taskHours * 3_600_000).toISOString(),
      revealHash: hash(secret),
    };
    await this.d.records.create(user.tenantId, TASK_KIND, id, task);
    await this.showOnCall(user.tenantId, call.sessionId);

    // A contact way makes the add exact (its `state` comes back in the event); without the
    // 客户联系 permission the member still adds by number and the task is matched by member.
    let way: { configId: string; qrCode: string } | undefined;
    try {
      way = await this.d.client.addContactWay(
        settings,
        { userId: member.userId, state: task.state, remark: `task ${id}` },
        { signal },
      );
    } catch (err) {
      this.d.logger.warn(
        { err, tenantId: user.tenantId, taskId: id },
        'WeCom contact way not made; matching by member',
      );
    }

    const link = `${this.d.publicUrl.replace(/\/+$/, '')}/plugins/wecom-add-friend/reveal/${user.tenantId}/${id}?t=${secret}`;
    try {
      const sent = await this.d.client.sendTextCard(
        settings,
        {
          toUsers: [member.userId],
          title: '加微任务',
          description:
            `<div class="gray">${escapeHtml(now.toISOString().slice(0, 16).replace('T', ' '))} UTC</div>` +
            `<div class="normal">客户：${escapeHtml(call.customerAsSeen)}</div>` +
            (task.note ? `<div class="normal">备注：${escapeHtml(task.note.slice(0, 60))}</div>` : '') +
            `<div class="highlight">点击查看号码（仅一次）并添加客户微信</div>`,
          url: link,
          buttonText: '查看',
        },
        { signal },
      );
      if (sent.invalidUsers.includes(member.userId)) throw new WeComError('wecom', 'message/send', 81013);
      const saved = await this.d.records.update<AddFriendTask>(user.tenantId, TASK_KIND, id, (r) =>
        r.data.status === 'assigned'
          ? {
              ...r.data,
              status: 'notified',
              notifiedAt: this.d.clock.now().toISOString(),
              msgId: sent.msgId,
              ...(way ? { configId: way.configId, qrCode: way.qrCode } : {}),
            }
          : undefined,
      );
      await this.showOnCall(user.tenantId, call.sessionId);
      return viewOf(id, saved!.data);
    } catch (err) {
      const words =
        err instanceof WeComError
          ? err.words
          : { 'zh-CN': '发送企业微信消息失败', en: 'The WeCom message could not be sent' };
      this.d.logger.warn({ err, tenantId: user.tenantId, taskId: id }, 'WeCom add-friend card not sent');
      const saved = await this.d.records.update<AddFriendTask>(user.tenantId, TASK_KIND, id, (r) => ({
        ...withoutLink(r.data),
        status: 'failed',
        error: words,
      }));
      await this.showOnCall(user.tenantId, call.sessionId);
      throw new TaskRefused('wecom_failed', 502, words, viewOf(id, saved!.data));
    }
  }

  /** The tasks of a call, newest first (due ones marked expired first). */
  async tasksOf(tenantId: string, sessionId: string): Promise<TaskView[]> {
    const rows = await this.d.records.find<AddFriendTask>(tenantId, TASK_KIND, { match: { sessionId }, limit: 20 });
    const out: TaskView[] = [];
    for (const r of rows) out.push(viewOf(r.id, (await this.expireIfDue(tenantId, r)) ?? r.data));
    return out;
  }

  /**
   * Marks the tenant's open tasks past their life `expired` (and their calls' cards). Runs
   * whenever the tenant's tasks are touched: on an assignment, a callback, a read.
   */
  async expireDue(tenantId: string): Promise<void> {
    for (const status of OPEN) {
      const rows = await this.d.records.find<AddFriendTask>(tenantId, TASK_KIND, { match: { status }, limit: 100 });
      for (const r of rows) await this.expireIfDue(tenantId, r);
    }
  }

  /** WeCom's callback event: an add by a member marks the matching task `added`. */
  async onEvent(
    tenantId: string,
    event: WeComCallbackEvent,
    settings: WeComTenantSettings,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.expireDue(tenantId);
    if (event.type !== 'change_external_contact') return;
    if (event.changeType !== 'add_external_contact' && event.changeType !== 'add_half_external_contact') return;
    const found = await this.match(tenantId, event, settings, signal);
    if (!found) {
      this.d.logger.info({ tenantId, member: event.userId }, 'WeCom add matches no open add-friend task');
      return;
    }
    const saved = await this.d.records.update<AddFriendTask>(tenantId, TASK_KIND, found.id, (r) =>
      OPEN.includes(r.data.status)
        ? {
            ...r.data,
            status: 'added',
            addedAt: this.d.clock.now().toISOString(),
            externalUserId: event.externalUserId,
            matchedBy: found.by,
          }
        : undefined,
    );
    if (saved?.data.status === 'added') {
      this.d.logger.info({ tenantId, taskId: found.id, matchedBy: found.by }, 'add-friend task added');
      await this.showOnCall(tenantId, saved.data.sessionId);
    }
  }

  /**
   * The task an add event is for: the one whose contact way's `state` it carries; else the
   * member's open task (newest first) whose customer number the member noted on the contact,
   * confirmed with `externalcontact/get` — an add by search carries no state.
   */
  private async match(
    tenantId: string,
    event: Extract<WeComCallbackEvent, { type: 'change_external_contact' }>,
    settings: WeComTenantSettings,
    signal?: AbortSignal,
  ): Promise<{ id: string; by: 'state' | 'member' } | undefined> {
    if (event.state && /^t[0-9a-f]{12}$/.test(event.state)) {
      const r = await this.d.records.get<AddFriendTask>(tenantId, TASK_KIND, event.state.slice(1));
      if (r && r.data.member.userId === event.userId && OPEN.includes(r.data.status)) return { id: r.id, by: 'state' };
    }
    const candidates: Array<PluginRecord<AddFriendTask>> = [];
    for (const status of OPEN) {
      candidates.push(
        ...(await this.d.records.find<AddFriendTask>(tenantId, TASK_KIND, {
          match: { status },
          limit: 100,
        })),
      );
    }
    const mine = candidates
      .filter((r) => r.data.member.userId === event.userId)
      // Added after the task was assigned: an older contact is not this task's customer.
      .filter((r) => event.createTime === 0 || event.createTime * 1000 >= Date.parse(r.data.assignedAt) - 60_000)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    if (mine.length === 0) return undefined;
    const contact = await this.d.client.getExternalContact(settings, event.externalUserId, { signal });
    const follow = contact.followUsers.find((f) => f.userId === event.userId);
    const noted = new Set((follow?.remarkMobiles ?? []).map(digits).filter(Boolean));
    const hit = mine.find((r) => {
      const n = digits(r.data.customerNumber);
      return [...noted].some((m) => m === n || (m.length >= 11 && n.endsWith(m)) || (n.length >= 11 && m.endsWith(n)));
    });
    return hit ? { id: hit.id, by: 'member' } : undefined;
  }

  /**
   * The task a one-time link names, when `secret` is its link's and the number has not been
   * shown; `undefined` otherwise (wrong, used or expired link).
   */
  async linkTask(tenantId: string, id: string, secret: string): Promise<AddFriendTask | undefined> {
    if (!/^[0-9a-f]{12}$/.test(id)) return undefined;
    const r = await this.d.records.get<AddFriendTask>(tenantId, TASK_KIND, id);
    if (!r) return undefined;
    const data = (await this.expireIfDue(tenantId, r)) ?? r.data;
    if (!data.revealHash || !sameHash(data.revealHash, hash(secret)) || data.status === 'expired') return undefined;
    return data;
  }

  /**
   * Shows the number once: only to the task's member (WeCom OAuth said who opened the link),
   * and only the first time — the link's secret is cleared in the same atomic update.
   */
  async reveal(
    tenantId: string,
    id: string,
    secret: string,
    memberUserId: string | undefined,
  ): Promise<{ ok: true; task: AddFriendTask } | { ok: false; why: 'not_member' | 'used' }> {
    // What the atomic update decided (a second opening, even at the same moment, finds no secret).
    const decided: { outcome: 'shown' | 'not_member' | 'used' } = { outcome: 'used' };
    const saved = await this.d.records.update<AddFriendTask>(tenantId, TASK_KIND, id, (r) => {
      if (!r.data.revealHash || !sameHash(r.data.revealHash, hash(secret)) || r.data.status === 'expired') return;
      if (r.data.member.userId !== memberUserId) {
        decided.outcome = 'not_member';
        return;
      }
      decided.outcome = 'shown';
      return { ...withoutLink(r.data), revealedAt: this.d.clock.now().toISOString() };
    });
    if (decided.outcome !== 'shown' || !saved)
      return { ok: false, why: decided.outcome === 'shown' ? 'used' : decided.outcome };
    this.d.logger.info({ tenantId, taskId: id, member: memberUserId }, 'customer number shown to the task’s member');
    await this.showOnCall(tenantId, saved.data.sessionId);
    return { ok: true, task: saved.data };
  }

  /** Marks one task expired if its life is over; the data afterwards when it changed. */
  private async expireIfDue(tenantId: string, r: PluginRecord<AddFriendTask>): Promise<AddFriendTask | undefined> {
    const now = this.d.clock.now();
    if (!OPEN.includes(r.data.status) || Date.parse(r.data.expiresAt) > now.getTime()) return undefined;
    const saved = await this.d.records.update<AddFriendTask>(tenantId, TASK_KIND, r.id, (c) =>
      OPEN.includes(c.data.status) && Date.parse(c.data.expiresAt) <= now.getTime()
        ? { ...withoutLink(c.data), status: 'expired', expiredAt: now.toISOString() }
        : undefined,
    );
    if (saved?.data.status === 'expired') await this.showOnCall(tenantId, saved.data.sessionId);
    return saved?.data;
  }

  /** Puts the call's tasks on its card (the agent sees it now, the record keeps it). */
  private async showOnCall(tenantId: string, sessionId: string): Promise<void> {
    const rows = await this.d.records.find<AddFriendTask>(tenantId, TASK_KIND, { match: { sessionId }, limit: 5 });
    const tasks = rows.map((r) => viewOf(r.id, r.data));
    const latest = tasks[0];
    if (!latest) return;
    const words = (t: TaskView) => `${STATUS_WORDS[t.status]['zh-CN']} · ${STATUS_WORDS[t.status].en}`;
    await this.d.calls
      .annotate(tenantId, sessionId, {
        kind: 'card',
        status: latest.status === 'failed' ? 'unavailable' : 'found',
        title: '加微任务 · WeCom add-friend',
        subtitle: latest.error ? `${latest.error['zh-CN']} · ${latest.error.en}` : words(latest),
        tags: [...new Set(tasks.map((t) => STATUS_WORDS[t.status]['zh-CN']))],
        fields: tasks.map((t) => ({ label: t.member.name, value: words(t) })),
        // For whoever reads the record through the API: each task's id and state.
        tasks: tasks.map((t) => ({
          id: t.id,
          status: t.status,
          member: t.member.userId,
          assignedAt: t.assignedAt,
          addedAt: t.addedAt,
        })),
      })
      .catch((err: unknown) => this.d.logger.warn({ err, tenantId, sessionId }, 'add-friend card not updated'));
  }
}

/** What the agent sees of a task. */
export function viewOf(id: string, t: AddFriendTask): TaskView {
  return {
    id,
    status: t.status,
    sessionId: t.sessionId,
    member: t.member,
    customer: t.customerAsSeen,
    note: t.note,
    assignedAt: t.assignedAt,
    expiresAt: t.expiresAt,
    notifiedAt: t.notifiedAt ?? null,
    addedAt: t.addedAt ?? null,
    revealed: !!t.revealedAt,
    error: t.error ?? null,
  };
}

/** The task without its link's secret: the link stops working (records hold JSON, no `undefined`). */
function withoutLink(t: AddFriendTask): AddFriendTask {
  const { revealHash: _secret, ...rest } = t;
  return rest;
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Text for WeCom's card HTML or our page: `<>&"'` escaped. */
export function escapeHtml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}
