/**
 * The pull API a business system reads with an API key (issue 14 item 3, TCCC's
 * DescribeTelCdr / DescribeStaff / DescribeSkillGroupInfoList / DescribePSTNActiveSessionList):
 * a live call's session, room, numbers and agent email; afterwards its record with the total and
 * a signed, expiring recording link; the agents; the skill groups with type and strategy.
 */
import { describe, expect, it } from 'vitest';
import { setAgentState } from '../../core/test/support/call-center.js';
import { until } from './support/harness.js';
import { callPresales, sessionIdOf, useLiveWorld } from './support/live-world.js';

const w = useLiveWorld({
  secret: 'pull-api-secret',
  timeScale: 1,
  calls: { wrapUpSeconds: 0 },
  center: { slug: 'pull-api', agents: 1, ringTimeoutSeconds: 60 },
});

const get = (key: string, path: string) => w.t.request('GET', `/api/v1${path}`, { token: key });

describe('pull API', () => {
  it('[API-01] [API-02] [API-03] [API-04] [REC-02] [REC-07] a business system reads live calls, records with recordings, agents and skill groups with an API key', async () => {
    const created = await w.t.request('POST', '/api/v1/api-keys', {
      token: w.cc.admin.token,
      body: { name: 'BI', scopes: ['records:read', 'recordings:read', 'users:read'] },
    });
    expect(created.status).toBe(201);
    const key = created.body.key as string;
    const agent = w.cc.agents[0]!;
    const device = w.sim.registerUser(agent.sipUser);
    await setAgentState(w.t, agent, 'idle');

    const call = await callPresales(w, w.cc, '13900004001');
    const sessionId = await sessionIdOf(w, call);
    const leg = (await device.nextRing({ timeoutMs: 30_000 })).answer();
    await until(async () => call.conference !== undefined && call.conference === leg.conference, 'bridged');

    // API-04: the live call, with the room its parties meet in and the agent's email.
    const live = await until(async () => {
      const r = await get(key, '/monitor/sessions');
      expect(r.status).toBe(200);
      return r.body.items.find(
        (s: { sessionId: string; state: string }) => s.sessionId === sessionId && s.state === 'bridged',
      );
    }, 'the live call in the list');
    expect(live).toMatchObject({
      direction: 'inbound',
      caller: '13900004001',
      callee: w.cc.number,
      accessNumber: w.cc.number,
      roomId: call.conference,
      agent: { id: agent.id, email: agent.email },
    });

    call.speak('hello');
    call.hangup();
    await call.ended;

    // API-01 / REC-02: the record, counted, with its recording behind a signed, expiring link.
    const record = await until(async () => {
      const r = await get(key, `/records?page=1&pageSize=20`);
      expect(r.status).toBe(200);
      const found = r.body.items.find(
        (x: { sessionId: string; recordingId: string | null }) => x.sessionId === sessionId,
      );
      return found?.recordingId ? { found, total: r.body.total as number } : undefined;
    }, 'the record with its recording');
    expect(record.total).toBeGreaterThanOrEqual(1);
    expect(record.found).toMatchObject({ caller: '13900004001', callee: w.cc.number, agentId: agent.id });
    const link = await until(async () => {
      const r = await get(key, `/recordings/${record.found.recordingId}/playback`);
      return r.status === 200 ? (r.body as { url: string; expiresAt: string }) : undefined;
    }, 'a playback link');
    expect(Date.parse(link.expiresAt)).toBeGreaterThan(Date.now());
    // The link alone plays it: no key, no token.
    const audio = await fetch(`${w.t.url}${link.url}`);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/mpeg');
    const tampered = await fetch(`${w.t.url}${link.url.replace(/sig=[^&]+/, 'sig=AAAA')}`);
    expect(tampered.status).toBe(403);

    // API-02: the agents; API-03: the skill groups with their type and strategy.
    const agents = await get(key, '/agents');
    expect(agents.status).toBe(200);
    expect(agents.body.items).toContainEqual(expect.objectContaining({ email: agent.email }));
    const groups = await get(key, '/skill-groups');
    expect(groups.status).toBe(200);
    expect(groups.body.total).toBe(groups.body.items.length);
    expect(groups.body.items).toContainEqual(
      expect.objectContaining({
        id: w.cc.groups.presales,
        name: 'presales',
        type: expect.any(String),
        strategy: expect.any(String),
      }),
    );

    // A key without the scope reads none of it.
    const narrow = await w.t.request('POST', '/api/v1/api-keys', {
      token: w.cc.admin.token,
      body: { name: 'narrow', scopes: ['ivr:read'] },
    });
    for (const path of ['/monitor/sessions', '/records', '/agents', '/skill-groups']) {
      expect((await get(narrow.body.key, path)).status, path).toBe(403);
    }
  });
});
