/**
 * The console's agent store (ADM-08…13) against a stand-in server (the page's fetch): an import
 * is sent as the file's bytes with the type its bytes say, and its refusal comes back as the
 * per-row report; the newest list request wins; force offline shows at once; only admins write.
 */
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_KEY } from './auth';
import { useAdminAgentsStore } from './admin-agents';
import type { AgentRow } from '@/components/admin-agents/agent-list';

const ADMIN = '11111111-1111-4111-8111-111111111111';
const AGENT = '22222222-2222-4222-8222-222222222222';
const realFetch = globalThis.fetch;

interface Sent {
  method: string;
  path: string;
  query: string;
  type: string | null;
  bytes: Uint8Array;
}
let sent: Sent[] = [];
/** Answers by path; a function may hold its answer back. */
let answer: (req: Sent) => Response | Promise<Response>;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function row(patch: Partial<AgentRow> = {}): AgentRow {
  return {
    userId: AGENT,
    name: 'Agent One',
    staffNo: '3001',
    email: 'agent1@x.test',
    mobile: null,
    role: 'agent',
    status: 'active',
    skillGroups: [],
    state: 'idle',
    reason: null,
    stateSince: '2026-12-01T08:00:00.000Z',
    sipUser: 'agent1',
    currentSessionId: null,
    wrapUpUntil: null,
    callsTaken: 0,
    missedOffers: 0,
    createdAt: '2026-12-01T08:00:00.000Z',
    ...patch,
  };
}

function signIn(role: 'admin' | 'supervisor'): void {
  localStorage.setItem(
    SESSION_KEY,
    JSON.stringify({
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: Date.now() + 60_000,
      user: { id: ADMIN, tenantId: ADMIN, email: 'me@x.test', mobile: null, name: 'Me', staffNo: '1000', role },
    }),
  );
}

beforeEach(() => {
  signIn('admin');
  sent = [];
  answer = () => json(200, {});
  globalThis.fetch = (async (req: Request) => {
    const url = new URL(req.url, 'http://x');
    const s: Sent = {
      method: req.method,
      path: url.pathname,
      query: url.search,
      type: req.headers.get('Content-Type'),
      bytes: new Uint8Array(await req.clone().arrayBuffer()),
    };
    sent.push(s);
    return answer(s);
  }) as typeof fetch;
  setActivePinia(createPinia());
});
afterEach(() => {
  globalThis.fetch = realFetch;
  localStorage.clear();
});

describe('admin agents store', () => {
  it('[ADM-09] sends an XLSX file as its bytes with the XLSX type, and counts agents whose mail did not leave', async () => {
    answer = () =>
      json(201, {
        created: 2,
        items: [
          { userId: AGENT, name: 'A', email: 'a@x.test', staffNo: '1', passwordSent: true, row: 2 },
          { userId: ADMIN, name: 'B', email: 'b@x.test', staffNo: '2', passwordSent: false, row: 3 },
        ],
      });
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
    const out = await useAdminAgentsStore().importFile(new Blob([zip]));
    expect(out).toEqual({ kind: 'imported', created: 2, notMailed: 1 });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      method: 'POST',
      path: '/api/v1/agents/import',
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect([...sent[0]!.bytes]).toEqual([...zip]);
  });

  it('[ADM-09] a refused file comes back as its per-row report; other refusals as the server words them', async () => {
    const store = useAdminAgentsStore();
    answer = () =>
      json(422, {
        error: {
          code: 'import_invalid',
          message: '1 problem(s) in the file; nothing was imported',
          details: { errors: [{ row: 3, column: '邮箱', message: 'must be an email address' }] },
        },
      });
    const csv = new Blob(['姓名,邮箱,工号\n张三,nope,1\n']);
    expect(await store.importFile(csv)).toEqual({
      kind: 'invalid',
      problems: [{ row: 3, column: '邮箱', message: 'must be an email address' }],
    });
    expect(sent[0]!.type).toBe('text/csv');
    answer = () => json(415, { error: { code: 'unsupported_media_type', message: 'Send a CSV (UTF-8) or XLSX file' } });
    expect(await store.importFile(csv)).toEqual({ kind: 'failed', message: 'Send a CSV (UTF-8) or XLSX file' });
    // Too large for the server: not even sent.
    const before = sent.length;
    expect(await store.importFile(new Blob([new Uint8Array(2 * 1024 * 1024 + 1)]))).toEqual({ kind: 'tooBig' });
    expect(sent).toHaveLength(before);
  });

  it('[ADM-11] the newest list request wins, whatever order the answers come in', async () => {
    const store = useAdminAgentsStore();
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((r) => (releaseFirst = r));
    answer = async (req) => {
      if (req.query.includes('q=old')) {
        await firstHeld;
        return json(200, { items: [row({ staffNo: 'old' })], total: 1, page: 1, pageSize: 20 });
      }
      return json(200, { items: [row({ staffNo: 'new' }), row({ userId: ADMIN })], total: 2, page: 1, pageSize: 20 });
    };
    const first = store.load({ q: 'old', page: 1, pageSize: 20, sort: 'staffNo', order: 'asc' });
    await store.load({ q: 'new', page: 1, pageSize: 20, sort: 'staffNo', order: 'asc' });
    releaseFirst();
    await first;
    expect(store.rows.map((r) => r.staffNo)).toEqual(['new', '3001']);
    expect(store.total).toBe(2);
    expect(store.loading).toBe(false);
    expect(sent[1]!.query).toContain('sort=staffNo');
  });

  it('[ADM-12] force offline shows the agent offline at once', async () => {
    const store = useAdminAgentsStore();
    answer = () => json(200, { items: [row()], total: 1, page: 1, pageSize: 20 });
    await store.load({ page: 1, pageSize: 20, sort: 'staffNo', order: 'asc' });
    answer = () =>
      json(200, {
        userId: AGENT,
        state: 'offline',
        reason: null,
        stateSince: '2026-12-01T09:00:00.000Z',
        sipUser: 'agent1',
        currentSessionId: null,
        wrapUpUntil: null,
        callsTaken: 0,
        missedOffers: 0,
      });
    expect(await store.forceOffline(AGENT)).toBe(true);
    expect(sent.at(-1)).toMatchObject({ method: 'POST', path: `/api/v1/agents/${AGENT}/force-offline` });
    expect(store.rows[0]).toMatchObject({
      state: 'offline',
      stateSince: '2026-12-01T09:00:00.000Z',
      name: 'Agent One',
    });
  });

  it('[ADM-11] a rename and a disable show the row the server answered', async () => {
    const store = useAdminAgentsStore();
    answer = () => json(200, { items: [row()], total: 1, page: 1, pageSize: 20 });
    await store.load({ page: 1, pageSize: 20, sort: 'staffNo', order: 'asc' });
    answer = () => json(200, row({ name: 'Agent Uno', skillGroups: [] }));
    expect(await store.update(AGENT, { name: 'Agent Uno', skillGroupIds: [] })).not.toBeNull();
    expect(sent.at(-1)).toMatchObject({ method: 'PATCH', path: `/api/v1/agents/${AGENT}` });
    expect(JSON.parse(new TextDecoder().decode(sent.at(-1)!.bytes))).toEqual({ name: 'Agent Uno', skillGroupIds: [] });
    answer = () => json(200, row({ name: 'Agent Uno', status: 'disabled', state: 'offline' }));
    expect(await store.setStatus(AGENT, 'disabled')).toBe(true);
    expect(sent.at(-1)).toMatchObject({ method: 'POST', path: `/api/v1/agents/${AGENT}/disable` });
    expect(store.rows[0]).toMatchObject({ name: 'Agent Uno', status: 'disabled', state: 'offline' });
    // Refused (e.g. disabling yourself): the row stays as it was.
    answer = () => json(409, { error: { code: 'conflict', message: 'You cannot disable yourself' } });
    expect(await store.setStatus(AGENT, 'active')).toBe(false);
    expect(store.rows[0]!.status).toBe('disabled');
  });

  it('[ADM-11] admins change agents; supervisors only read', () => {
    expect(useAdminAgentsStore().canWrite).toBe(true);
    signIn('supervisor');
    setActivePinia(createPinia());
    expect(useAdminAgentsStore().canWrite).toBe(false);
  });
});
