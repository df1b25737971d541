/**
 * Who may call what, and that no tenant can touch another's rows. Table-driven: every module
 * adds its routes to ROUTES and its tenant-owned resources to CROSS_TENANT.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWav } from './support/audio-files.js';
import { createTenantThroughPlatform, platformEnv } from './support/platform.js';
import { startTestApp, type SeededUser, type TestApp } from './support/test-app.js';

type Actor = 'anonymous' | 'agent' | 'supervisor' | 'admin' | 'keyUsersRead' | 'keyTenantAll';
const ACTORS: Actor[] = ['anonymous', 'agent', 'supervisor', 'admin', 'keyUsersRead', 'keyTenantAll'];

interface World {
  t: TestApp;
  tenantId: string;
  users: Record<string, SeededUser>;
  keys: Record<'keyUsersRead' | 'keyTenantAll', string>;
}

interface RouteCase {
  name: string;
  method: string;
  /** Builds the path and body for one call (fresh resources where the call consumes them). */
  make(w: World): Promise<{ path: string; body?: unknown; rawBody?: Buffer }>;
  /** Expected status per actor. */
  expect: Record<Actor, number>;
}

const ok = (s: number, o: Partial<Record<Actor, number>> = {}): Record<Actor, number> => ({
  anonymous: 401,
  agent: s,
  supervisor: s,
  admin: s,
  keyUsersRead: 403,
  keyTenantAll: 403,
  ...o,
});

async function throwawayUser(w: World): Promise<string> {
  const res = await w.t.request('POST', '/api/v1/users', {
    token: w.users.admin!.token,
    body: { email: `tmp-${randomUUID()}@m.test`, name: 'Temp', staffNo: randomUUID().slice(0, 8), role: 'agent' },
  });
  return res.body.id as string;
}

async function throwawayKey(w: World): Promise<string> {
  const res = await w.t.request('POST', '/api/v1/api-keys', {
    token: w.users.admin!.token,
    body: { name: 'tmp', scopes: ['users:read'] },
  });
  return res.body.apiKey.id as string;
}

/** An agent added through the agent administration API (ADM-08). */
async function throwawayAgent(w: World): Promise<string> {
  const res = await w.t.request('POST', '/api/v1/agents', {
    token: w.users.admin!.token,
    body: { name: 'Temp agent', email: `ag-${randomUUID()}@m.test`, staffNo: randomUUID().slice(0, 8) },
  });
  return res.body.userId as string;
}

/** A one-agent import file (ADM-09). */
function importCsv(): Buffer {
  return Buffer.from(`name,email,staffNo\nImported,imp-${randomUUID()}@m.test,${randomUUID().slice(0, 8)}\n`);
}

async function throwawayGroup(w: World, member?: string, type?: 'inbound' | 'outbound'): Promise<string> {
  const { skillGroupRepo } = w.t.app.container.cradle;
  const g = await skillGroupRepo.create(w.tenantId, { name: `g-${randomUUID()}`, ...(type ? { type } : {}) });
  if (member) await skillGroupRepo.addMember(w.tenantId, g.id, member);
  return g.id;
}

/** A tiny valid IVR graph. */
const IVR_GRAPH = {
  start: 'hi',
  nodes: [
    { id: 'hi', type: 'play', prompt: { kind: 'say', text: 'Hi' }, next: 'bye' },
    { id: 'bye', type: 'hangup' },
  ],
};

async function throwawayFlow(w: World): Promise<string> {
  const res = await w.t.request('POST', '/api/v1/ivr-flows', {
    token: w.users.admin!.token,
    body: { name: `f-${randomUUID()}`, graph: IVR_GRAPH },
  });
  return res.body.id as string;
}

/** A number of the tenant, as the operator provisions it (there is no API to buy one). */
async function throwawayNumber(w: World | TestApp, tenantId: string): Promise<string> {
  const t = 'app' in w ? w : w.t;
  const n = await t.app.container.cradle.numberRepo.create(tenantId, {
    number: `400${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`,
  });
  return n.id;
}

/** A number group of the admin's tenant (ADM-02). */
async function throwawayNumberGroup(t: TestApp, admin: SeededUser): Promise<string> {
  const res = await t.request('POST', '/api/v1/number-groups', {
    token: admin.token,
    body: { name: `ng-${randomUUID()}`, description: 'temp' },
  });
  return res.body.id as string;
}

const NUMBER_APPLICATION = { type: '400', area: 'Beijing', quantity: 2, purpose: 'Hotline' };

/** A number application of the admin's tenant (LINE-02), still `requested`. */
async function throwawayApplication(t: TestApp, admin: SeededUser): Promise<string> {
  const res = await t.request('POST', '/api/v1/number-applications', { token: admin.token, body: NUMBER_APPLICATION });
  return res.body.id as string;
}

/** A flow whose version 2 is a named, unpublished version. */
async function throwawayDraft(w: World): Promise<string> {
  const id = await throwawayFlow(w);
  await w.t.request('POST', `/api/v1/ivr-flows/${id}/versions`, {
    token: w.users.admin!.token,
    body: { label: 'draft' },
  });
  return id;
}

/** A file of tenant A's audio library (ADM-01). */
async function throwawayAudio(w: World): Promise<string> {
  const res = await w.t.request('POST', `/api/v1/audio-files?name=a-${randomUUID()}`, {
    token: w.users.admin!.token,
    rawBody: makeWav(0.1),
    headers: { 'content-type': 'audio/wav' },
  });
  return res.body.id as string;
}

/** A call in progress, served by the tenant's agent (live call control reads and notes). */
async function liveSession(t: TestApp, tenantId: string, agentId: string): Promise<string> {
  const pool = t.app.database.pool;
  const r = await pool.query(
    `insert into call_sessions (tenant_id, direction, caller, callee, customer_call_sid, state, agent_id)
     values ($1, 'inbound', '13900000000', '4000000000', $2, 'bridged', $3) returning id`,
    [tenantId, `matrix-${randomUUID()}`, agentId],
  );
  const id = r.rows[0].id as string;
  await pool.query(
    `insert into call_offers (tenant_id, session_id, agent_id, state, answered_at) values ($1, $2, $3, 'accepted', now())`,
    [tenantId, id, agentId],
  );
  return id;
}

const TEMPLATE = { name: 'card', prompt: 'Key in your card number', maxDigits: 19, variable: 'card' };

async function throwawayTemplate(w: World): Promise<string> {
  const res = await w.t.request('POST', '/api/v1/collect-templates', {
    token: w.users.admin!.token,
    body: { ...TEMPLATE, name: `t-${randomUUID()}` },
  });
  return res.body.id as string;
}

/** Every route of the API and who may call it. Grows with every module. */
export const ROUTES: RouteCase[] = [
  { name: 'who am I', method: 'GET', make: async () => ({ path: '/api/v1/auth/me' }), expect: ok(200) },
  // Live monitors (MON-01/02/03): supervisors and admins only.
  ...['agents', 'skill-groups', 'sessions'].map((m): RouteCase => ({
    name: `monitor ${m}`,
    method: 'GET',
    make: async () => ({ path: `/api/v1/monitor/${m}` }),
    expect: ok(403, { supervisor: 200, admin: 200 }),
  })),
  {
    name: 'read tenant',
    method: 'GET',
    make: async () => ({ path: '/api/v1/tenant' }),
    expect: ok(200, { keyTenantAll: 200 }),
  },
  {
    name: 'change tenant',
    method: 'PATCH',
    make: async () => ({ path: '/api/v1/tenant', body: { settings: { numberProtection: false } } }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'list users',
    method: 'GET',
    make: async () => ({ path: '/api/v1/users' }),
    expect: ok(403, { supervisor: 200, admin: 200, keyUsersRead: 200, keyTenantAll: 200 }),
  },
  {
    name: 'create user',
    method: 'POST',
    make: async () => ({
      path: '/api/v1/users',
      body: { email: `n-${randomUUID()}@m.test`, name: 'New', staffNo: randomUUID().slice(0, 8), role: 'agent' },
    }),
    expect: ok(403, { admin: 201, keyTenantAll: 201 }),
  },
  {
    name: 'read user',
    method: 'GET',
    make: async (w) => ({ path: `/api/v1/users/${w.users.agent!.id}` }),
    expect: ok(403, { supervisor: 200, admin: 200, keyUsersRead: 200, keyTenantAll: 200 }),
  },
  {
    name: 'change user',
    method: 'PATCH',
    make: async (w) => ({ path: `/api/v1/users/${w.users.agent!.id}`, body: { name: 'Renamed' } }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'delete user',
    method: 'DELETE',
    make: async (w) => ({ path: `/api/v1/users/${await throwawayUser(w)}` }),
    expect: ok(403, { admin: 204, keyTenantAll: 204 }),
  },
  {
    name: 'list API keys',
    method: 'GET',
    make: async () => ({ path: '/api/v1/api-keys' }),
    expect: ok(403, { admin: 200 }),
  },
  {
    name: 'create API key',
    method: 'POST',
    make: async () => ({ path: '/api/v1/api-keys', body: { name: 'k', scopes: ['users:read'] } }),
    expect: ok(403, { admin: 201 }),
  },
  {
    name: 'revoke API key',
    method: 'DELETE',
    make: async (w) => ({ path: `/api/v1/api-keys/${await throwawayKey(w)}` }),
    expect: ok(403, { admin: 200 }),
  },
  {
    name: 'realtime ticket',
    method: 'POST',
    make: async () => ({ path: '/api/v1/realtime/tickets' }),
    expect: ok(201),
  },
  {
    name: 'realtime notice',
    method: 'POST',
    make: async () => ({ path: '/api/v1/realtime/notices', body: { message: 'hello' } }),
    expect: ok(403, { admin: 202, keyTenantAll: 202 }),
  },
  {
    name: 'list recordings',
    method: 'GET',
    make: async () => ({ path: `/api/v1/recordings?sessionId=${randomUUID()}` }),
    expect: ok(403, { supervisor: 200, admin: 200 }),
  },
  {
    name: 'list voicemails',
    method: 'GET',
    make: async () => ({ path: '/api/v1/voicemails' }),
    expect: ok(403, { supervisor: 200, admin: 200 }),
  },
  {
    name: 'IVR HTTP signing secret',
    method: 'GET',
    make: async () => ({ path: '/api/v1/ivr-http-secret' }),
    expect: ok(403, { admin: 200 }),
  },
  { name: 'my agent state', method: 'GET', make: async () => ({ path: '/api/v1/agents/me' }), expect: ok(200) },
  {
    name: 'set my agent state',
    method: 'PUT',
    make: async () => ({ path: '/api/v1/agents/me/state', body: { state: 'notReady' } }),
    expect: ok(200),
  },
  {
    name: 'list agents',
    method: 'GET',
    make: async () => ({ path: '/api/v1/agents' }),
    expect: ok(403, { supervisor: 200, admin: 200, keyUsersRead: 200, keyTenantAll: 200 }),
  },
  { name: 'list call records', method: 'GET', make: async () => ({ path: '/api/v1/records' }), expect: ok(200) },
  {
    name: 'list call records by page',
    method: 'GET',
    make: async () => ({ path: '/api/v1/records?page=1&pageSize=20' }),
    expect: ok(200),
  },
  {
    name: 'export call records',
    method: 'GET',
    make: async () => ({ path: '/api/v1/records/export?format=csv' }),
    expect: ok(200),
  },
  { name: 'agent login', method: 'POST', make: async () => ({ path: '/api/v1/agents/me/login' }), expect: ok(200) },
  { name: 'agent logout', method: 'POST', make: async () => ({ path: '/api/v1/agents/me/logout' }), expect: ok(200) },
  {
    name: 'force an agent offline',
    method: 'POST',
    make: async (w) => ({ path: `/api/v1/agents/${w.users.agent!.id}/force-offline` }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'list skill groups',
    method: 'GET',
    make: async () => ({ path: '/api/v1/skill-groups' }),
    expect: ok(403, { supervisor: 200, admin: 200, keyUsersRead: 200, keyTenantAll: 200 }),
  },
  {
    name: 'create a skill group',
    method: 'POST',
    make: async () => ({ path: '/api/v1/skill-groups', body: { name: `g-${randomUUID()}` } }),
    expect: ok(403, { admin: 201, keyTenantAll: 201 }),
  },
  {
    name: 'read one skill group',
    method: 'GET',
    make: async (w) => ({ path: `/api/v1/skill-groups/${await throwawayGroup(w)}` }),
    expect: ok(403, { supervisor: 200, admin: 200, keyUsersRead: 200, keyTenantAll: 200 }),
  },
  {
    name: 'set all members of a skill group',
    method: 'PUT',
    make: async (w) => ({
      path: `/api/v1/skill-groups/${await throwawayGroup(w)}/members`,
      body: { members: [{ userId: w.users.agent!.id, priority: 1 }] },
    }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'delete a skill group',
    method: 'DELETE',
    make: async (w) => ({ path: `/api/v1/skill-groups/${await throwawayGroup(w)}` }),
    expect: ok(403, { admin: 204, keyTenantAll: 204 }),
  },
  {
    name: 'change a skill group',
    method: 'PATCH',
    make: async (w) => ({ path: `/api/v1/skill-groups/${await throwawayGroup(w)}`, body: { strategy: 'priority' } }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'set a member priority',
    method: 'PUT',
    make: async (w) => ({
      path: `/api/v1/skill-groups/${await throwawayGroup(w)}/members/${w.users.agent!.id}`,
      body: { priority: 2 },
    }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'remove a member',
    method: 'DELETE',
    make: async (w) => ({
      path: `/api/v1/skill-groups/${await throwawayGroup(w, w.users.agent!.id)}/members/${w.users.agent!.id}`,
    }),
    expect: ok(403, { admin: 204, keyTenantAll: 204 }),
  },
  {
    name: 'link a number to an outbound skill group',
    method: 'PUT',
    make: async (w) => ({
      path: `/api/v1/skill-groups/${await throwawayGroup(w, undefined, 'outbound')}/numbers/${await throwawayNumber(w, w.tenantId)}`,
    }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'unlink a number from an outbound skill group',
    method: 'DELETE',
    make: async (w) => {
      const group = await throwawayGroup(w, undefined, 'outbound');
      const number = await throwawayNumber(w, w.tenantId);
      await w.t.app.container.cradle.skillGroupRepo.linkNumber(w.tenantId, group, number);
      return { path: `/api/v1/skill-groups/${group}/numbers/${number}` };
    },
    expect: ok(403, { admin: 204, keyTenantAll: 204 }),
  },
  {
    name: 'numbers to show when dialling out',
    method: 'GET',
    make: async () => ({ path: '/api/v1/calls/outbound/caller-ids' }),
    expect: ok(200),
  },
  {
    name: 'read agent settings',
    method: 'GET',
    make: async () => ({ path: '/api/v1/settings/agent' }),
    expect: ok(200, { keyTenantAll: 200 }),
  },
  {
    name: 'change agent settings',
    method: 'PUT',
    make: async () => ({ path: '/api/v1/settings/agent', body: { restReasons: ['Meal', 'Training'] } }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'list IVR flows',
    method: 'GET',
    make: async () => ({ path: '/api/v1/ivr-flows' }),
    expect: ok(403, { supervisor: 200, admin: 200 }),
  },
  {
    name: 'create an IVR flow',
    method: 'POST',
    make: async () => ({ path: '/api/v1/ivr-flows', body: { name: `n-${randomUUID()}`, graph: IVR_GRAPH } }),
    expect: ok(403, { admin: 201 }),
  },
  {
    name: 'validate an IVR graph',
    method: 'POST',
    make: async () => ({ path: '/api/v1/ivr-flows/validate', body: { graph: IVR_GRAPH } }),
    expect: ok(403, { admin: 200 }),
  },
  {
    name: 'read an IVR flow',
    method: 'GET',
    make: async (w) => ({ path: `/api/v1/ivr-flows/${await throwawayFlow(w)}` }),
    expect: ok(403, { supervisor: 200, admin: 200 }),
  },
  {
    name: 'save an IVR flow',
    method: 'PUT',
    make: async (w) => ({ path: `/api/v1/ivr-flows/${await throwawayFlow(w)}`, body: { graph: IVR_GRAPH } }),
    expect: ok(403, { admin: 200 }),
  },
  {
    name: 'delete an IVR flow',
    method: 'DELETE',
    make: async (w) => ({ path: `/api/v1/ivr-flows/${await throwawayFlow(w)}` }),
    expect: ok(403, { admin: 204 }),
  },
  {
    name: 'list IVR versions',
    method: 'GET',
    make: async (w) => ({ path: `/api/v1/ivr-flows/${await throwawayFlow(w)}/versions` }),
    expect: ok(403, { supervisor: 200, admin: 200 }),
  },
  {
    name: 'derive an IVR version',
    method: 'POST',
    make: async (w) => ({ path: `/api/v1/ivr-flows/${await throwawayFlow(w)}/versions`, body: { label: 'v' } }),
    expect: ok(403, { admin: 201 }),
  },
  {
    name: 'read an IVR version',
    method: 'GET',
    make: async (w) => ({ path: `/api/v1/ivr-flows/${await throwawayFlow(w)}/versions/1` }),
    expect: ok(403, { supervisor: 200, admin: 200 }),
  },
  {
    name: 'edit an IVR version',
    method: 'PUT',
    make: async (w) => ({
      path: `/api/v1/ivr-flows/${await throwawayDraft(w)}/versions/2`,
      body: { label: 'renamed' },
    }),
    expect: ok(403, { admin: 200 }),
  },
  {
    name: 'delete an IVR version',
    method: 'DELETE',
    make: async (w) => ({ path: `/api/v1/ivr-flows/${await throwawayDraft(w)}/versions/2` }),
    expect: ok(403, { admin: 204 }),
  },
  {
    name: 'publish an IVR version',
    method: 'PUT',
    make: async (w) => ({
      path: `/api/v1/ivr-flows/${await throwawayDraft(w)}/published-version`,
      body: { version: 2 },
    }),
    expect: ok(403, { admin: 200 }),
  },
  {
    name: 'list numbers',
    method: 'GET',
    make: async () => ({ path: '/api/v1/numbers' }),
    expect: ok(403, { supervisor: 200, admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'read a number',
    method: 'GET',
    make: async (w) => ({ path: `/api/v1/numbers/${await throwawayNumber(w, w.tenantId)}` }),
    expect: ok(403, { supervisor: 200, admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'add a number (LINE-01)',
    method: 'POST',
    make: async () => ({
      path: '/api/v1/numbers',
      body: { number: `+8610${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, label: 'm' },
    }),
    expect: ok(403, { admin: 201, keyTenantAll: 201 }),
  },
  {
    name: 'bind a number to an IVR flow',
    method: 'PATCH',
    make: async (w) => ({
      path: `/api/v1/numbers/${await throwawayNumber(w, w.tenantId)}`,
      body: { ivrFlowId: await throwawayFlow(w) },
    }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'remove a number',
    method: 'DELETE',
    make: async (w) => ({ path: `/api/v1/numbers/${await throwawayNumber(w, w.tenantId)}` }),
    expect: ok(403, { admin: 204, keyTenantAll: 204 }),
  },
  {
    name: 'list number groups',
    method: 'GET',
    make: async () => ({ path: '/api/v1/number-groups' }),
    expect: ok(403, { supervisor: 200, admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'create a number group',
    method: 'POST',
    make: async () => ({ path: '/api/v1/number-groups', body: { name: `ng-${randomUUID()}` } }),
    expect: ok(403, { admin: 201, keyTenantAll: 201 }),
  },
  {
    name: 'change a number group',
    method: 'PATCH',
    make: async (w) => ({
      path: `/api/v1/number-groups/${await throwawayNumberGroup(w.t, w.users.admin!)}`,
      body: { description: 'd' },
    }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'delete a number group',
    method: 'DELETE',
    make: async (w) => ({ path: `/api/v1/number-groups/${await throwawayNumberGroup(w.t, w.users.admin!)}` }),
    expect: ok(403, { admin: 204, keyTenantAll: 204 }),
  },
  {
    name: 'list number applications',
    method: 'GET',
    make: async () => ({ path: '/api/v1/number-applications' }),
    expect: ok(403, { supervisor: 200, admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'apply for numbers (LINE-02)',
    method: 'POST',
    make: async () => ({ path: '/api/v1/number-applications', body: NUMBER_APPLICATION }),
    expect: ok(403, { admin: 201, keyTenantAll: 201 }),
  },
  {
    name: 'move a number application',
    method: 'PATCH',
    make: async (w) => ({
      path: `/api/v1/number-applications/${await throwawayApplication(w.t, w.users.admin!)}`,
      body: { status: 'processing' },
    }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'list a tenant’s number applications (platform)',
    method: 'GET',
    make: async (w) => ({ path: `/api/v1/platform/tenants/${w.tenantId}/number-applications` }),
    expect: ok(403),
  },
  {
    name: 'move a tenant’s number application (platform)',
    method: 'PATCH',
    make: async (w) => ({
      path: `/api/v1/platform/tenants/${w.tenantId}/number-applications/${await throwawayApplication(w.t, w.users.admin!)}`,
      body: { status: 'processing' },
    }),
    expect: ok(403),
  },
  {
    name: 'list audio files',
    method: 'GET',
    make: async () => ({ path: '/api/v1/audio-files' }),
    expect: ok(403, { supervisor: 200, admin: 200 }),
  },
  {
    name: 'upload an audio file',
    method: 'POST',
    make: async () => ({ path: `/api/v1/audio-files?name=u-${randomUUID()}`, rawBody: makeWav(0.1) }),
    expect: ok(403, { admin: 201 }),
  },
  {
    name: 'read an audio file',
    method: 'GET',
    make: async (w) => ({ path: `/api/v1/audio-files/${await throwawayAudio(w)}` }),
    expect: ok(403, { supervisor: 200, admin: 200 }),
  },
  {
    name: 'rename an audio file',
    method: 'PATCH',
    make: async (w) => ({
      path: `/api/v1/audio-files/${await throwawayAudio(w)}`,
      body: { name: `r-${randomUUID()}` },
    }),
    expect: ok(403, { admin: 200 }),
  },
  {
    name: 'delete an audio file',
    method: 'DELETE',
    make: async (w) => ({ path: `/api/v1/audio-files/${await throwawayAudio(w)}` }),
    expect: ok(403, { admin: 204 }),
  },
  {
    // Public on purpose (jambonz fetches it): the signature is the access check, so everyone
    // with the signed URL gets the bytes, and nobody without it (see the audio library tests).
    name: 'fetch an audio file by its signed URL',
    method: 'GET',
    make: async (w) => {
      const url = new URL(w.t.app.container.cradle.audioLibrary.playUrl(await throwawayAudio(w)));
      return { path: url.pathname + url.search };
    },
    expect: { anonymous: 200, agent: 200, supervisor: 200, admin: 200, keyUsersRead: 200, keyTenantAll: 200 },
  },
  {
    name: 'preview a prompt with TTS',
    method: 'POST',
    make: async () => ({ path: '/api/v1/tts/preview', body: { text: 'Hi' } }),
    expect: ok(403, { admin: 200 }),
  },
  {
    name: 'my softphone credentials',
    method: 'GET',
    make: async () => ({ path: '/api/v1/me/device' }),
    expect: ok(200),
  },
  {
    name: 'provision softphone credentials',
    method: 'POST',
    make: async (w) => ({ path: `/api/v1/agents/${w.users.agent!.id}/device` }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  { name: 'my answering', method: 'GET', make: async () => ({ path: '/api/v1/me/answering' }), expect: ok(200) },
  {
    name: 'set my answering',
    method: 'PUT',
    make: async () => ({ path: '/api/v1/me/answering', body: { autoAnswer: false } }),
    expect: ok(200),
  },
  {
    name: 'set an agent’s answering',
    method: 'PUT',
    make: async (w) => ({ path: `/api/v1/agents/${w.users.agent!.id}/answering`, body: { answerMode: 'webrtc' } }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'change my bound mobile',
    method: 'PUT',
    make: async () => ({
      path: '/api/v1/me/mobile',
      body: { mobile: `+86137${Math.floor(1e7 + Math.random() * 9e7)}` },
    }),
    expect: ok(200),
  },
  {
    name: 'list agent-mobile numbers',
    method: 'GET',
    make: async () => ({ path: '/api/v1/agent-mobile-numbers' }),
    expect: ok(403, { supervisor: 200, admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'designate an agent-mobile number',
    method: 'PUT',
    make: async (w) => ({ path: `/api/v1/agent-mobile-numbers/${await throwawayNumber(w, w.tenantId)}` }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'drop an agent-mobile number',
    method: 'DELETE',
    make: async (w) => ({ path: `/api/v1/agent-mobile-numbers/${await throwawayNumber(w, w.tenantId)}` }),
    expect: ok(403, { admin: 204, keyTenantAll: 204 }),
  },
  {
    name: 'mark a preferred agent',
    method: 'POST',
    make: async (w) => ({
      path: '/api/v1/routing/preferred-agents',
      body: { callerNumber: '13900000001', agentId: w.users.agent!.id },
    }),
    expect: ok(403, { supervisor: 201, admin: 201 }),
  },
  {
    name: 'read a live call',
    method: 'GET',
    make: async (w) => ({ path: `/api/v1/sessions/${await liveSession(w.t, w.tenantId, w.users.agent!.id)}` }),
    expect: ok(200),
  },
  {
    name: 'write call notes',
    method: 'PUT',
    make: async (w) => ({
      path: `/api/v1/sessions/${await liveSession(w.t, w.tenantId, w.users.agent!.id)}/notes`,
      body: { notes: 'called about an invoice' },
    }),
    expect: ok(200),
  },
  {
    name: 'read tenant settings',
    method: 'GET',
    make: async () => ({ path: '/api/v1/tenant/settings' }),
    expect: ok(200, { keyTenantAll: 200 }),
  },
  {
    name: 'change tenant settings',
    method: 'PATCH',
    make: async () => ({ path: '/api/v1/tenant/settings', body: { numberProtection: false } }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'delete a stored tenant setting',
    method: 'DELETE',
    make: async (w) => {
      await w.t.request('PATCH', '/api/v1/tenant/settings', {
        token: w.users.admin!.token,
        body: { holdMusicUrl: 'https://example.com/hold.mp3' },
      });
      return { path: '/api/v1/tenant/settings/holdMusicUrl' };
    },
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'list plugins and their tenant settings',
    method: 'GET',
    make: async () => ({ path: '/api/v1/plugins' }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'add an agent',
    method: 'POST',
    make: async () => ({
      path: '/api/v1/agents',
      body: { name: 'New agent', email: `na-${randomUUID()}@m.test`, staffNo: randomUUID().slice(0, 8) },
    }),
    expect: ok(403, { admin: 201, keyTenantAll: 201 }),
  },
  {
    name: 'import agents',
    method: 'POST',
    make: async () => ({ path: '/api/v1/agents/import', rawBody: importCsv() }),
    expect: ok(403, { admin: 201, keyTenantAll: 201 }),
  },
  {
    name: 'read an agent',
    method: 'GET',
    make: async (w) => ({ path: `/api/v1/agents/${w.users.agent!.id}` }),
    expect: ok(403, { supervisor: 200, admin: 200, keyUsersRead: 200, keyTenantAll: 200 }),
  },
  {
    name: 'change an agent',
    method: 'PATCH',
    make: async (w) => ({ path: `/api/v1/agents/${await throwawayAgent(w)}`, body: { name: 'Renamed agent' } }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'reset an agent’s password',
    method: 'POST',
    make: async (w) => ({ path: `/api/v1/agents/${await throwawayAgent(w)}/reset-password` }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'disable an agent',
    method: 'POST',
    make: async (w) => ({ path: `/api/v1/agents/${await throwawayAgent(w)}/disable` }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'enable an agent',
    method: 'POST',
    make: async (w) => ({ path: `/api/v1/agents/${await throwawayAgent(w)}/enable` }),
    expect: ok(403, { admin: 200, keyTenantAll: 200 }),
  },
  {
    name: 'read the dev mail sink',
    method: 'GET',
    make: async () => ({ path: '/api/v1/dev/mail' }),
    expect: ok(403, { admin: 200 }),
  },
  {
    // The platform operator's key only: no tenant credential reaches another tenant this way.
    name: 'list tenants (platform)',
    method: 'GET',
    make: async () => ({ path: '/api/v1/platform/tenants' }),
    expect: ok(403),
  },
  {
    name: 'create a tenant (platform)',
    method: 'POST',
    make: async () => ({
      path: '/api/v1/platform/tenants',
      body: {
        name: 'X',
        slug: `x-${randomUUID().slice(0, 8)}`,
        admin: { email: `x-${randomUUID()}@m.test`, name: 'X' },
      },
    }),
    expect: ok(403),
  },
  {
    name: 'read a tenant (platform)',
    method: 'GET',
    make: async () => ({ path: '/api/v1/platform/tenants/matrix' }),
    expect: ok(403),
  },
  {
    name: 'disable a tenant (platform)',
    method: 'POST',
    make: async () => ({ path: '/api/v1/platform/tenants/matrix/disable' }),
    expect: ok(403),
  },
  {
    name: 'list the blacklist',
    method: 'GET',
    make: async () => ({ path: '/api/v1/blacklist' }),
    expect: ok(200, { agent: 403 }),
  },
  {
    name: 'blacklist a number',
    method: 'POST',
    make: async () => ({
      path: '/api/v1/blacklist',
      body: { number: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, reason: 'matrix' },
    }),
    expect: ok(201, { agent: 403 }),
  },
  {
    name: 'take a number off the blacklist',
    method: 'DELETE',
    make: async (w) => {
      const entry = await w.t.app.container.cradle.blacklistRepo.upsert(w.tenantId, {
        number: `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
        reason: null,
        expiresAt: null,
      });
      return { path: `/api/v1/blacklist/${entry.id}` };
    },
    expect: ok(204, { agent: 403 }),
  },
  {
    name: 'list collection templates',
    method: 'GET',
    make: async () => ({ path: '/api/v1/collect-templates' }),
    expect: ok(200),
  },
  {
    name: 'list self-service flows',
    method: 'GET',
    make: async () => ({ path: '/api/v1/self-service-flows' }),
    expect: ok(200),
  },
  {
    name: 'create a collection template',
    method: 'POST',
    make: async () => ({ path: '/api/v1/collect-templates', body: { ...TEMPLATE, name: `n-${randomUUID()}` } }),
    expect: ok(403, { admin: 201 }),
  },
  {
    name: 'change a collection template',
    method: 'PUT',
    make: async (w) => ({
      path: `/api/v1/collect-templates/${await throwawayTemplate(w)}`,
      body: { ...TEMPLATE, name: `c-${randomUUID()}` },
    }),
    expect: ok(403, { admin: 200 }),
  },
  {
    name: 'delete a collection template',
    method: 'DELETE',
    make: async (w) => ({ path: `/api/v1/collect-templates/${await throwawayTemplate(w)}` }),
    expect: ok(403, { admin: 204 }),
  },
];

let w: World;

beforeAll(async () => {
  // The platform API is on: its routes refuse every tenant credential (rows below).
  const t = await startTestApp({ env: platformEnv });
  const { tenantId, users } = await t.seedTenant({ slug: 'matrix', edition: 'advanced' });
  // Everyone may take calls (supervisors and admins too), so everyone has an agent state.
  for (const role of ['admin', 'supervisor', 'agent']) {
    await t.app.container.cradle.agentService.ensure(tenantId, users[role]!.id, `matrix-${role}`);
  }
  const mk = async (scopes: string[]) =>
    (await t.request('POST', '/api/v1/api-keys', { token: users.admin!.token, body: { name: 'm', scopes } })).body
      .key as string;
  w = {
    t,
    tenantId,
    users,
    keys: {
      keyUsersRead: await mk(['users:read']),
      keyTenantAll: await mk(['tenant:read', 'tenant:write', 'users:read', 'users:write']),
    },
  };
});
afterAll(async () => {
  await w?.t.stop();
});

function tokenOf(actor: Actor): string | undefined {
  if (actor === 'anonymous') return undefined;
  if (actor === 'keyUsersRead' || actor === 'keyTenantAll') return w.keys[actor];
  return w.users[actor]!.token;
}

describe('role matrix', () => {
  const cases = ROUTES.flatMap((r) => ACTORS.map((actor) => ({ r, actor, status: r.expect[actor] })));
  it.each(cases.map((c) => [c.r.method, c.r.name, c.actor, c.status, c] as const))(
    '%s %s as %s → %i',
    async (_m, _n, actor, status, c) => {
      const { path, body, rawBody } = await c.r.make(w);
      const token = tokenOf(actor);
      const res = await w.t.request(c.r.method, path, {
        ...(token ? { token } : {}),
        ...(body ? { body } : {}),
        ...(rawBody ? { rawBody, headers: { 'content-type': 'application/octet-stream' } } : {}),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      if (status >= 400) expect(res.body.error.code).toMatch(/^(unauthenticated|forbidden)$/);
    },
  );
});

/**
 * Tenant-owned resources: for each, how to make one in a tenant, and every way an outsider
 * could try to read or change it. All must fail as if the row did not exist.
 */
interface CrossTenantCase {
  name: string;
  /** Creates a resource in tenant B and returns its id. */
  create(t: TestApp, admin: SeededUser): Promise<string>;
  /** Attempts from tenant A; each must answer the given status. */
  attempts: Array<{ method: string; path: (id: string) => string; body?: unknown; status: number; keyStatus?: number }>;
  /** Lists in tenant A that must never contain B's id. */
  lists: string[];
  /** Reads the row straight from the database, to prove nothing changed. */
  snapshot(t: TestApp, id: string): Promise<unknown>;
}

/** The session of tenant B's recording in {@link CROSS_TENANT}. */
const RECORDING_SESSION = randomUUID();

export const CROSS_TENANT: CrossTenantCase[] = [
  {
    name: 'live calls',
    create: async (t, admin) => {
      const tenantId = (await t.request('GET', '/api/v1/tenant', { token: admin.token })).body.id as string;
      const me = (await t.request('GET', '/api/v1/auth/me', { token: admin.token })).body;
      return liveSession(t, tenantId, me.id as string);
    },
    // A's key has no role, so it is refused before any lookup.
    attempts: [
      { method: 'GET', path: (id) => `/api/v1/sessions/${id}`, status: 404, keyStatus: 403 },
      {
        method: 'PUT',
        path: (id) => `/api/v1/sessions/${id}/notes`,
        body: { notes: 'pwned' },
        status: 404,
        keyStatus: 403,
      },
      { method: 'POST', path: (id) => `/api/v1/sessions/${id}/hold`, status: 404, keyStatus: 403 },
      { method: 'POST', path: (id) => `/api/v1/sessions/${id}/mute`, status: 404, keyStatus: 403 },
      { method: 'POST', path: (id) => `/api/v1/sessions/${id}/hangup`, status: 404, keyStatus: 403 },
      {
        method: 'POST',
        path: (id) => `/api/v1/sessions/${id}/blacklist`,
        body: { hangup: true },
        status: 404,
        keyStatus: 403,
      },
      { method: 'POST', path: (id) => `/api/v1/sessions/${id}/listen`, status: 404, keyStatus: 403 },
    ],
    lists: ['/api/v1/monitor/sessions'],
    snapshot: async (t, id) => ({
      session: (await t.app.database.pool.query('select * from call_sessions where id = $1', [id])).rows,
      controls: (await t.app.database.pool.query('select * from session_controls where session_id = $1', [id])).rows,
      blacklist: (await t.app.database.pool.query(`select * from blacklist where number = '13900000000'`)).rows,
    }),
  },
  {
    name: 'blacklist entries',
    create: async (t, admin) =>
      (
        await t.request('POST', '/api/v1/blacklist', {
          token: admin.token,
          body: { number: '13700000001', reason: 'tenant B' },
        })
      ).body.id,
    attempts: [{ method: 'DELETE', path: (id) => `/api/v1/blacklist/${id}`, status: 404, keyStatus: 403 }],
    lists: ['/api/v1/blacklist', '/api/v1/blacklist?q=13700000001'],
    snapshot: async (t, id) => (await t.app.database.pool.query('select * from blacklist where id = $1', [id])).rows,
  },
  {
    name: 'collection templates',
    create: async (t, admin) =>
      (
        await t.request('POST', '/api/v1/collect-templates', {
          token: admin.token,
          body: { ...TEMPLATE, name: `b-${randomUUID()}` },
        })
      ).body.id,
    attempts: [
      {
        method: 'PUT',
        path: (id) => `/api/v1/collect-templates/${id}`,
        body: { ...TEMPLATE, name: 'pwned' },
        status: 404,
        keyStatus: 403,
      },
      { method: 'DELETE', path: (id) => `/api/v1/collect-templates/${id}`, status: 404, keyStatus: 403 },
    ],
    lists: ['/api/v1/collect-templates'],
    snapshot: async (t, id) =>
      (await t.app.database.pool.query('select * from collect_templates where id = $1', [id])).rows,
  },
  {
    name: 'call records',
    create: async (t, admin) => {
      const sessionId = randomUUID();
      const tenantId = (await t.request('GET', '/api/v1/tenant', { token: admin.token })).body.id;
      await t.app.database.pool.query(
        `insert into cdrs (tenant_id, session_id, direction, caller, callee, started_at, ended_at, duration_seconds,
           ivr_duration_seconds, end_status, end_status_string, hung_up_side)
         values ($1, $2, 'inbound', '13900000000', '4000000000', now(), now(), 0, 0, 1, 'ok', 'user')`,
        [tenantId, sessionId],
      );
      return sessionId;
    },
    attempts: [{ method: 'GET', path: (id) => `/api/v1/records/${id}`, status: 404, keyStatus: 403 }],
    lists: ['/api/v1/records', '/api/v1/records?page=1', '/api/v1/records/export?format=csv&lang=en'],
    snapshot: async (t, id) => (await t.app.database.pool.query('select * from cdrs where session_id = $1', [id])).rows,
  },
  {
    name: 'users',
    create: async (t, admin) =>
      (
        await t.request('POST', '/api/v1/users', {
          token: admin.token,
          body: { email: `b-${randomUUID()}@b.test`, name: 'B person', staffNo: 'B1', role: 'agent' },
        })
      ).body.id,
    attempts: [
      { method: 'GET', path: (id) => `/api/v1/users/${id}`, status: 404 },
      { method: 'PATCH', path: (id) => `/api/v1/users/${id}`, body: { name: 'pwned' }, status: 404 },
      { method: 'DELETE', path: (id) => `/api/v1/users/${id}`, status: 404 },
    ],
    lists: ['/api/v1/users'],
    snapshot: async (t, id) => (await t.app.database.pool.query('select * from users where id = $1', [id])).rows,
  },
  {
    name: 'api keys',
    create: async (t, admin) =>
      (await t.request('POST', '/api/v1/api-keys', { token: admin.token, body: { name: 'b', scopes: ['users:read'] } }))
        .body.apiKey.id,
    // API keys may not manage API keys at all, so A's key is refused before any lookup.
    attempts: [{ method: 'DELETE', path: (id) => `/api/v1/api-keys/${id}`, status: 404, keyStatus: 403 }],
    lists: ['/api/v1/api-keys'],
    snapshot: async (t, id) => (await t.app.database.pool.query('select * from api_keys where id = $1', [id])).rows,
  },
  {
    name: 'tenant settings',
    create: async (t, admin) => {
      await t.request('PATCH', '/api/v1/tenant', {
        token: admin.token,
        body: { settings: { timezone: 'Asia/Tokyo' } },
      });
      return (await t.request('GET', '/api/v1/tenant', { token: admin.token })).body.id;
    },
    // The settings routes have no id: A's admin can only ever reach A's tenant.
    attempts: [
      { method: 'PATCH', path: () => `/api/v1/tenant`, body: { settings: { timezone: 'Europe/Paris' } }, status: 200 },
      { method: 'PATCH', path: () => `/api/v1/tenant/settings`, body: { timezone: 'Europe/Paris' }, status: 200 },
      { method: 'DELETE', path: () => `/api/v1/tenant/settings/timezone`, status: 200 },
    ],
    lists: ['/api/v1/tenant', '/api/v1/tenant/settings'],
    snapshot: async (t, id) =>
      (await t.app.database.pool.query('select settings from tenants where id = $1', [id])).rows,
  },
  {
    name: 'agents',
    create: async (t, admin) => {
      const tenantId = (await t.request('GET', '/api/v1/tenant', { token: admin.token })).body.id as string;
      const userId = (
        await t.request('POST', '/api/v1/users', {
          token: admin.token,
          body: { email: `ag-${randomUUID()}@b.test`, name: 'B agent', staffNo: 'B2', role: 'agent' },
        })
      ).body.id as string;
      await t.app.container.cradle.agentService.ensure(tenantId, userId, null);
      await t.app.database.pool.query(`update agents set state = 'idle' where user_id = $1`, [userId]);
      return userId;
    },
    attempts: [{ method: 'POST', path: (id) => `/api/v1/agents/${id}/force-offline`, status: 404 }],
    lists: ['/api/v1/agents'],
    snapshot: async (t, id) =>
      (await t.app.database.pool.query('select state, state_since from agents where user_id = $1', [id])).rows,
  },
  {
    name: 'skill groups',
    create: async (t, admin) => {
      const tenantId = (await t.request('GET', '/api/v1/tenant', { token: admin.token })).body.id as string;
      const me = (await t.request('GET', '/api/v1/auth/me', { token: admin.token })).body;
      const { skillGroupRepo } = t.app.container.cradle;
      const g = await skillGroupRepo.create(tenantId, { name: `b-${randomUUID()}` });
      await skillGroupRepo.addMember(tenantId, g.id, me.id as string, 4);
      return g.id;
    },
    attempts: [
      { method: 'PATCH', path: (id) => `/api/v1/skill-groups/${id}`, body: { strategy: 'priority' }, status: 404 },
      {
        method: 'PUT',
        path: (id) => `/api/v1/skill-groups/${id}/members/${randomUUID()}`,
        body: { priority: 1 },
        status: 404,
      },
      { method: 'PUT', path: (id) => `/api/v1/skill-groups/${id}/numbers/${randomUUID()}`, status: 404 },
      { method: 'GET', path: (id) => `/api/v1/skill-groups/${id}`, status: 404 },
      {
        method: 'PATCH',
        path: (id) => `/api/v1/skill-groups/${id}`,
        body: { name: 'pwned', members: [] },
        status: 404,
      },
      { method: 'PUT', path: (id) => `/api/v1/skill-groups/${id}/members`, body: { members: [] }, status: 404 },
      { method: 'DELETE', path: (id) => `/api/v1/skill-groups/${id}`, status: 404 },
    ],
    lists: ['/api/v1/skill-groups', '/api/v1/skill-groups?q=b-&pageSize=200', '/api/v1/skill-groups?type=inbound'],
    snapshot: async (t, id) =>
      (
        await t.app.database.pool.query(
          `select g.*, m.user_id, m.priority from skill_groups g join skill_group_members m on m.skill_group_id = g.id
           where g.id = $1`,
          [id],
        )
      ).rows,
  },
  {
    name: 'recordings',
    // Made through the service as the audio fork would; in progress, so it has no audio yet.
    create: async (t, admin) => {
      const tenantId = (await t.request('GET', '/api/v1/tenant', { token: admin.token })).body.id as string;
      const writer = await t.app.container.cradle.recordingService.start({
        tenantId,
        sessionId: RECORDING_SESSION,
        sampleRate: 8000,
        channels: 2,
      });
      return writer.recordingId;
    },
    // A's key has no recordings:read, so it is refused before any lookup.
    attempts: [
      { method: 'GET', path: (id) => `/api/v1/recordings/${id}`, status: 404, keyStatus: 403 },
      { method: 'GET', path: (id) => `/api/v1/recordings/${id}/playback`, status: 404, keyStatus: 403 },
    ],
    lists: [`/api/v1/recordings?sessionId=${RECORDING_SESSION}`],
    snapshot: async (t, id) => (await t.app.database.pool.query('select * from recordings where id = $1', [id])).rows,
  },
  {
    name: 'voicemails',
    // A caller's message (a recording of kind voicemail) in a session of tenant B.
    create: async (t, admin) => {
      const tenantId = (await t.request('GET', '/api/v1/tenant', { token: admin.token })).body.id as string;
      const sessionId = randomUUID();
      await t.app.database.pool.query(
        `insert into call_sessions (id, tenant_id, direction, caller, callee, customer_call_sid, state)
         values ($1, $2, 'inbound', '13900000031', '4000000031', $3, 'ended')`,
        [sessionId, tenantId, `vm-${sessionId}`],
      );
      const writer = await t.app.container.cradle.recordingService.start({
        tenantId,
        sessionId,
        sampleRate: 8000,
        channels: 1,
        kind: 'voicemail',
      });
      return writer.recordingId;
    },
    attempts: [{ method: 'GET', path: (id) => `/api/v1/recordings/${id}`, status: 404, keyStatus: 403 }],
    lists: ['/api/v1/voicemails'],
    snapshot: async (t, id) => (await t.app.database.pool.query('select * from recordings where id = $1', [id])).rows,
  },
  {
    name: 'IVR flows',
    create: async (t, admin) =>
      (
        await t.request('POST', '/api/v1/ivr-flows', {
          token: admin.token,
          body: { name: `b-${randomUUID()}`, graph: IVR_GRAPH },
        })
      ).body.id,
    // A's key has no ivr scopes, so it is refused before any lookup.
    attempts: [
      { method: 'GET', path: (id) => `/api/v1/ivr-flows/${id}`, status: 404, keyStatus: 403 },
      {
        method: 'PUT',
        path: (id) => `/api/v1/ivr-flows/${id}`,
        body: { graph: IVR_GRAPH },
        status: 404,
        keyStatus: 403,
      },
      { method: 'DELETE', path: (id) => `/api/v1/ivr-flows/${id}`, status: 404, keyStatus: 403 },
      { method: 'GET', path: (id) => `/api/v1/ivr-flows/${id}/versions`, status: 404, keyStatus: 403 },
      {
        method: 'POST',
        path: (id) => `/api/v1/ivr-flows/${id}/versions`,
        body: { label: 'pwned' },
        status: 404,
        keyStatus: 403,
      },
      { method: 'GET', path: (id) => `/api/v1/ivr-flows/${id}/versions/1`, status: 404, keyStatus: 403 },
      {
        method: 'PUT',
        path: (id) => `/api/v1/ivr-flows/${id}/versions/1`,
        body: { label: 'pwned' },
        status: 404,
        keyStatus: 403,
      },
      { method: 'DELETE', path: (id) => `/api/v1/ivr-flows/${id}/versions/1`, status: 404, keyStatus: 403 },
      {
        method: 'PUT',
        path: (id) => `/api/v1/ivr-flows/${id}/published-version`,
        body: { version: 1 },
        status: 404,
        keyStatus: 403,
      },
    ],
    lists: ['/api/v1/ivr-flows', '/api/v1/self-service-flows'],
    snapshot: async (t, id) =>
      (
        await t.app.database.pool.query(
          `select f.*, v.version, v.graph, v.label from ivr_flows f join ivr_flow_versions v on v.flow_id = f.id
           where f.id = $1 order by v.version`,
          [id],
        )
      ).rows,
  },
  {
    name: 'numbers',
    create: async (t, admin) => {
      const tenantId = (await t.request('GET', '/api/v1/tenant', { token: admin.token })).body.id as string;
      return throwawayNumber(t, tenantId);
    },
    attempts: [
      { method: 'GET', path: (id) => `/api/v1/numbers/${id}`, status: 404 },
      { method: 'PATCH', path: (id) => `/api/v1/numbers/${id}`, body: { ivrFlowId: null }, status: 404 },
      { method: 'PATCH', path: (id) => `/api/v1/numbers/${id}`, body: { label: 'pwned' }, status: 404 },
      { method: 'DELETE', path: (id) => `/api/v1/numbers/${id}`, status: 404 },
    ],
    lists: ['/api/v1/numbers'],
    snapshot: async (t, id) => (await t.app.database.pool.query('select * from numbers where id = $1', [id])).rows,
  },
  {
    name: 'number groups',
    create: (t, admin) => throwawayNumberGroup(t, admin),
    attempts: [
      { method: 'PATCH', path: (id) => `/api/v1/number-groups/${id}`, body: { name: 'pwned' }, status: 404 },
      { method: 'DELETE', path: (id) => `/api/v1/number-groups/${id}`, status: 404 },
    ],
    lists: ['/api/v1/number-groups'],
    snapshot: async (t, id) =>
      (await t.app.database.pool.query('select * from number_groups where id = $1', [id])).rows,
  },
  {
    name: 'number applications',
    create: (t, admin) => throwawayApplication(t, admin),
    attempts: [
      {
        method: 'PATCH',
        path: (id) => `/api/v1/number-applications/${id}`,
        body: { status: 'rejected', note: 'pwned' },
        status: 404,
      },
    ],
    lists: ['/api/v1/number-applications'],
    snapshot: async (t, id) =>
      (await t.app.database.pool.query('select * from number_applications where id = $1', [id])).rows,
  },
  {
    name: 'audio files',
    create: async (t, admin) =>
      (
        await t.request('POST', `/api/v1/audio-files?name=b-${randomUUID()}`, {
          token: admin.token,
          rawBody: makeWav(0.1),
          headers: { 'content-type': 'audio/wav' },
        })
      ).body.id,
    // A's key has no ivr scopes, so it is refused before any lookup. The media route needs the
    // signature of the id, which only B's API hands out: unsigned it is refused for everyone.
    attempts: [
      { method: 'GET', path: (id) => `/api/v1/audio-files/${id}`, status: 404, keyStatus: 403 },
      {
        method: 'PATCH',
        path: (id) => `/api/v1/audio-files/${id}`,
        body: { name: 'pwned' },
        status: 404,
        keyStatus: 403,
      },
      { method: 'DELETE', path: (id) => `/api/v1/audio-files/${id}`, status: 404, keyStatus: 403 },
      { method: 'GET', path: (id) => `/api/v1/media/audio/${id}`, status: 403 },
      { method: 'GET', path: (id) => `/api/v1/media/audio/${id}?sig=${'A'.repeat(43)}`, status: 403 },
    ],
    lists: ['/api/v1/audio-files'],
    snapshot: async (t, id) => (await t.app.database.pool.query('select * from audio_files where id = $1', [id])).rows,
  },
];

CROSS_TENANT.push(
  {
    name: 'agent administration (ADM-08…13)',
    create: async (t, admin) => {
      const tenantId = (await t.request('GET', '/api/v1/tenant', { token: admin.token })).body.id as string;
      const group = await t.app.container.cradle.skillGroupRepo.create(tenantId, { name: `bg-${randomUUID()}` });
      const res = await t.request('POST', '/api/v1/agents', {
        token: admin.token,
        body: { name: 'B admin agent', email: `badm-${randomUUID()}@b.test`, staffNo: 'B9', skillGroupIds: [group.id] },
      });
      return res.body.userId as string;
    },
    attempts: [
      { method: 'GET', path: (id) => `/api/v1/agents/${id}`, status: 404 },
      {
        method: 'PATCH',
        path: (id) => `/api/v1/agents/${id}`,
        body: { name: 'pwned', skillGroupIds: [] },
        status: 404,
      },
      { method: 'POST', path: (id) => `/api/v1/agents/${id}/reset-password`, status: 404 },
      { method: 'POST', path: (id) => `/api/v1/agents/${id}/disable`, status: 404 },
      { method: 'POST', path: (id) => `/api/v1/agents/${id}/enable`, status: 404 },
    ],
    lists: [
      '/api/v1/agents?pageSize=200',
      '/api/v1/agents?q=B%20admin%20agent',
      '/api/v1/agents?status=disabled',
      '/api/v1/monitor/agents',
    ],
    snapshot: async (t, id) => ({
      user: (await t.app.database.pool.query('select * from users where id = $1', [id])).rows,
      groups: (await t.app.database.pool.query('select * from skill_group_members where user_id = $1', [id])).rows,
      agent: (await t.app.database.pool.query('select state, state_since from agents where user_id = $1', [id])).rows,
    }),
  },
  {
    // B's mail (a new agent's password) is never shown to A's admin.
    name: 'dev mail',
    create: async (t, admin) => {
      const tenantId = (await t.request('GET', '/api/v1/tenant', { token: admin.token })).body.id as string;
      await t.request('POST', '/api/v1/agents', {
        token: admin.token,
        body: { name: 'B mailed', email: `bmail-${randomUUID()}@b.test`, staffNo: 'B10' },
      });
      const r = await t.app.database.pool.query(
        'select id from dev_mail where tenant_id = $1 order by created_at desc limit 1',
        [tenantId],
      );
      return r.rows[0].id as string;
    },
    attempts: [],
    lists: ['/api/v1/dev/mail?limit=200'],
    snapshot: async (t, id) => (await t.app.database.pool.query('select * from dev_mail where id = $1', [id])).rows,
  },
  {
    name: 'agent-mobile numbers',
    create: async (t, admin) => {
      const tenantId = (await t.request('GET', '/api/v1/tenant', { token: admin.token })).body.id as string;
      const n = await t.app.container.cradle.numberRepo.create(tenantId, {
        number: `400${Math.floor(Math.random() * 1e9)}`,
      });
      await t.request('PUT', `/api/v1/agent-mobile-numbers/${n.id}`, { token: admin.token });
      return n.id;
    },
    attempts: [
      { method: 'PUT', path: (id) => `/api/v1/agent-mobile-numbers/${id}`, status: 404 },
      { method: 'DELETE', path: (id) => `/api/v1/agent-mobile-numbers/${id}`, status: 404 },
    ],
    lists: ['/api/v1/agent-mobile-numbers'],
    snapshot: async (t, id) =>
      (await t.app.database.pool.query('select agent_mobile, agent_mobile_used_at from numbers where id = $1', [id]))
        .rows,
  },
  {
    name: 'agent devices',
    create: async (t, admin) =>
      (
        await t.request('POST', '/api/v1/users', {
          token: admin.token,
          body: { email: `dev-${randomUUID()}@b.test`, name: 'B agent', staffNo: 'B3', role: 'agent' },
        })
      ).body.id as string,
    attempts: [
      { method: 'POST', path: (id) => `/api/v1/agents/${id}/device`, status: 404 },
      { method: 'PUT', path: (id) => `/api/v1/agents/${id}/answering`, body: { autoAnswer: true }, status: 404 },
    ],
    lists: ['/api/v1/agents'],
    snapshot: async (t, id) =>
      (
        await t.app.database.pool.query(
          `select answer_mode, auto_answer, sip_password_enc, sip_user from agents where user_id = $1`,
          [id],
        )
      ).rows,
  },
);

describe('tenant isolation', () => {
  let b: { tenantId: string; users: Record<string, SeededUser> };
  let keyA: string;
  beforeAll(async () => {
    // A real second tenant, made as an operator makes one: through the platform API, its first
    // admin signing in with the password they were mailed.
    const other = await createTenantThroughPlatform(w.t, { slug: 'other', edition: 'advanced' });
    b = { tenantId: other.tenantId, users: { admin: other.admin } };
    keyA = w.keys.keyTenantAll;
  });

  it.each(CROSS_TENANT.map((c) => [c.name, c] as const))(
    'tenant A cannot read or change tenant B %s',
    async (_name, c) => {
      const id = await c.create(w.t, b.users.admin!);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const before = await c.snapshot(w.t, id);
      for (const token of [w.users.admin!.token, keyA]) {
        for (const a of c.attempts) {
          const res = await w.t.request(a.method, a.path(id), { token, ...(a.body ? { body: a.body } : {}) });
          const expected = token === keyA ? (a.keyStatus ?? a.status) : a.status;
          expect(res.status, `${a.method} ${a.path(id)}`).toBe(expected);
        }
        for (const list of c.lists) {
          const res = await w.t.request('GET', list, { token });
          if (res.status === 200) expect(JSON.stringify(res.body)).not.toContain(id);
        }
      }
      expect(await c.snapshot(w.t, id)).toEqual(before);
    },
  );

  it('each tenant’s admin sees only their own tenant', async () => {
    const a = await w.t.request('GET', '/api/v1/tenant', { token: w.users.admin!.token });
    const other = await w.t.request('GET', '/api/v1/tenant', { token: b.users.admin!.token });
    expect(a.body.id).toBe(w.tenantId);
    expect(other.body).toMatchObject({ id: b.tenantId, slug: 'other', edition: 'advanced' });
    // Neither can reach the platform API, which is where tenants are listed.
    for (const token of [w.users.admin!.token, b.users.admin!.token]) {
      expect((await w.t.request('GET', '/api/v1/platform/tenants', { token })).status).toBe(403);
    }
  });

  it('a token from tenant B never shows tenant A data', async () => {
    const res = await w.t.request('GET', '/api/v1/users', { token: b.users.admin!.token });
    expect(res.status).toBe(200);
    const tenants = new Set((res.body.items as Array<{ tenantId: string }>).map((u) => u.tenantId));
    expect([...tenants]).toEqual([b.tenantId]);
  });
});
