/**
 * The console's agent administration (ADM-08…13) over `/api/v1/agents`: the server-paged list
 * the agents page shows, the tenant's skill groups for its filters and forms, and the actions —
 * add one, edit name and groups, force offline, reset a password, disable / enable, import a
 * file. Errors the server sends are shown as they come by the API client, except an import's
 * per-row report, which the import dialog shows as a table.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api, errorOf, quiet, type Schemas } from '@/api/request';
import {
  importProblemsOf,
  MAX_IMPORT_BYTES,
  type AgentRow,
  type ImportProblem,
} from '@/components/admin-agents/agent-list';
import { useAuthStore } from './auth';

export type CreatedAgent = Schemas['CreatedAgent'];
export type NewAgent = {
  name: string;
  staffNo: string;
  email: string;
  mobile?: string | undefined;
  role: AgentRow['role'];
  skillGroupIds: string[];
};

/** A skill group as the pickers show it. */
export interface GroupOption {
  id: string;
  name: string;
}

/** How an import ended. */
export type ImportOutcome =
  | { kind: 'imported'; created: number; notMailed: number }
  | { kind: 'invalid'; problems: ImportProblem[] }
  | { kind: 'failed'; message: string }
  | { kind: 'tooBig' };

/** XLSX files are ZIP archives; anything else is sent as CSV text (the server tells them apart by the bytes). */
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const useAdminAgentsStore = defineStore('adminAgents', () => {
  const auth = useAuthStore();
  const rows = ref<AgentRow[]>([]);
  const total = ref(0);
  const loading = ref(false);
  /** The last list request failed (its message). */
  const failed = ref<string | null>(null);
  const groups = ref<GroupOption[]>([]);
  /** Supervisors read the list; only admins change agents (the server enforces it too). */
  const canWrite = computed(() => auth.role === 'admin');
  let generation = 0;

  /** Reads one page of the list for the query of `useListQuery` (the newest request wins). */
  async function load(query: Record<string, string | number>): Promise<void> {
    const mine = ++generation;
    loading.value = true;
    failed.value = null;
    try {
      const r = await api.GET('/api/v1/agents', { params: { query: query as never }, ...quiet });
      if (mine !== generation) return;
      if (!r.data) {
        failed.value = errorOf(r.response.status, r.error).message;
        return;
      }
      rows.value = r.data.items;
      total.value = r.data.total;
    } catch {
      if (mine === generation) failed.value = 'network';
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  async function loadGroups(): Promise<void> {
    const r = await api.GET('/api/v1/skill-groups', { ...quiet });
    const items = (r.data as { items?: Array<{ id: string; name: string }> } | undefined)?.items ?? [];
    groups.value = items.map((g) => ({ id: g.id, name: g.name })).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Replaces a row the server answered with (a change made here shows at once). */
  function replace(row: AgentRow): void {
    const i = rows.value.findIndex((r) => r.userId === row.userId);
    if (i >= 0) rows.value.splice(i, 1, row);
  }

  /** ADM-08: adds one agent; the answer says whether their password was mailed. Null when refused. */
  async function create(body: NewAgent): Promise<CreatedAgent | null> {
    const r = await api.POST('/api/v1/agents', { body });
    return r.data ?? null;
  }

  /** ADM-11: a new name and/or groups. */
  async function update(userId: string, patch: { name?: string; skillGroupIds?: string[] }): Promise<AgentRow | null> {
    const r = await api.PATCH('/api/v1/agents/{userId}', { params: { path: { userId } }, body: patch });
    if (r.data) replace(r.data);
    return r.data ?? null;
  }

  /** ADM-12: the agent goes offline now (a ringing offer moves on; a call in progress stays). */
  async function forceOffline(userId: string): Promise<boolean> {
    const r = await api.POST('/api/v1/agents/{userId}/force-offline', { params: { path: { userId } } });
    if (!r.data) return false;
    const row = rows.value.find((x) => x.userId === userId);
    if (row) replace({ ...row, state: r.data.state, reason: r.data.reason, stateSince: r.data.stateSince });
    return true;
  }

  /** ADM-13: a new random password mailed to the agent. */
  async function resetPassword(userId: string): Promise<boolean> {
    const r = await api.POST('/api/v1/agents/{userId}/reset-password', { params: { path: { userId } } });
    return r.data?.passwordSent === true;
  }

  async function setStatus(userId: string, status: 'active' | 'disabled'): Promise<boolean> {
    const path = status === 'disabled' ? '/api/v1/agents/{userId}/disable' : '/api/v1/agents/{userId}/enable';
    const r = await api.POST(path, { params: { path: { userId } } });
    if (r.data) replace(r.data);
    return r.data !== undefined;
  }

  /**
   * ADM-09: sends the file as it is. All rows or none: a file with problems comes back as the
   * per-row report, and nothing was stored.
   */
  async function importFile(file: Blob): Promise<ImportOutcome> {
    if (file.size > MAX_IMPORT_BYTES) return { kind: 'tooBig' };
    const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
    const isZip = head[0] === 0x50 && head[1] === 0x4b;
    try {
      const r = await api.POST('/api/v1/agents/import', {
        body: file as unknown as string,
        bodySerializer: (b: unknown) => b as BodyInit,
        headers: { ...quiet.headers, 'Content-Type': isZip ? XLSX_TYPE : 'text/csv' },
      });
      if (r.data) {
        return {
          kind: 'imported',
          created: r.data.created,
          notMailed: r.data.items.filter((i) => !i.passwordSent).length,
        };
      }
      const problems = importProblemsOf(r.error);
      if (problems) return { kind: 'invalid', problems };
      return { kind: 'failed', message: errorOf(r.response.status, r.error).message };
    } catch (err) {
      return { kind: 'failed', message: (err as Error).message };
    }
  }

  function $reset(): void {
    rows.value = [];
    total.value = 0;
    groups.value = [];
    failed.value = null;
  }

  return {
    rows,
    total,
    loading,
    failed,
    groups,
    canWrite,
    load,
    loadGroups,
    create,
    update,
    forceOffline,
    resetPassword,
    setStatus,
    importFile,
    $reset,
  };
});
