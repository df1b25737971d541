/**
 * Typed tenant settings (issue 11 item 2, ADR 0011): every key has a schema and a default, an
 * unknown key is refused naming the nearest valid one, the OpenAPI document describes every
 * key, and the readers (agent settings, time zone) see what the typed route wrote.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { readSetting, SETTING_KEYS, settingsProblems } from './settings-schema.js';

let t: TestApp;
let tenantId: string;
let users: Record<string, SeededUser>;
let admin: string;

beforeAll(async () => {
  t = await startTestApp({ config: { calls: { wrapUpSeconds: 15 } } });
  const seeded = await t.seedTenant({ slug: 'settings' });
  tenantId = seeded.tenantId;
  users = seeded.users;
  admin = users.admin!.token;
});
afterAll(async () => {
  await t?.stop();
});
beforeEach(async () => {
  await t.app.database.pool.query(`update tenants set settings = '{}' where id = $1`, [tenantId]);
});

const patch = (body: unknown, token = admin) => t.request('PATCH', '/api/v1/tenant/settings', { token, body });

describe('reading', () => {
  it('GET /tenant/settings answers every key with its default', async () => {
    const res = await t.request('GET', '/api/v1/tenant/settings', { token: users.agent!.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      settings: {
        numberProtection: false,
        timezone: 'UTC',
        holdMusicUrl: null,
        tts: null,
        agent: {
          restReasons: ['Meal', 'Meeting', 'Training'],
          defaultLoginState: 'idle',
          wrapUpSeconds: 15,
          wrapUpAutoEnd: true,
          lastAgentFirst: true,
          preferredAgentWaitSeconds: 20,
          outboundMemoryDays: 0,
          outboundMemoryFallback: 'wait',
        },
        allowPrivateUrls: false,
        sdkOrigins: [],
        calendars: [],
        outboundSurvey: null,
      },
      problems: [],
    });
    expect(Object.keys(res.body.settings).sort()).toEqual([...SETTING_KEYS].sort());
  });

  it('the OpenAPI document describes every setting, on the read and the write schema', async () => {
    const doc = (await t.request('GET', '/api/openapi.json')).body;
    const read = doc.components.schemas.TenantSettings;
    const write = doc.components.schemas.TenantSettingsPatch;
    for (const key of SETTING_KEYS) {
      expect(read.properties[key]?.description, key).toMatch(/\w{3}/);
      expect(write.properties[key]?.description, key).toMatch(/\w{3}/);
    }
    expect(write.additionalProperties).toBe(false);
    expect(doc.paths['/api/v1/tenant/settings'].patch.requestBody.content['application/json'].schema).toBeDefined();
  });
});

describe('writing', () => {
  it('refuses a typo with validation_failed naming the key and the nearest valid one, and stores nothing', async () => {
    const res = await patch({ numberProtecton: true });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.message).toContain('"numberProtecton"');
    expect(res.body.error.message).toContain('did you mean "numberProtection"?');
    expect(res.body.error.details).toEqual([
      {
        path: 'body.numberProtecton',
        message: 'unknown field "numberProtecton"; did you mean "numberProtection"?',
        code: 'unrecognized_keys',
        suggestion: 'numberProtection',
      },
    ]);
    const stored = await t.app.database.pool.query(`select settings from tenants where id = $1`, [tenantId]);
    expect(stored.rows[0].settings).toEqual({});
  });

  it('a key with no near match lists the valid keys; nested typos are named with their path', async () => {
    const far = await patch({ theme: 'dark' });
    expect(far.status).toBe(400);
    expect(far.body.error.details[0].message).toMatch(
      /allowed: numberProtection, timezone, holdMusicUrl, tts, agent, allowPrivateUrls, sdkOrigins, calendars/,
    );
    const cased = await patch({ timeZone: 'Asia/Shanghai' });
    expect(cased.body.error.details[0]).toMatchObject({ path: 'body.timeZone', suggestion: 'timezone' });
    const nested = await patch({ agent: { wrapupSeconds: 30 } });
    expect(nested.status).toBe(400);
    expect(nested.body.error.details[0]).toMatchObject({
      path: 'body.agent.wrapupSeconds',
      suggestion: 'wrapUpSeconds',
    });
    // The older route takes the same typed settings.
    const old = await t.request('PATCH', '/api/v1/tenant', {
      token: admin,
      body: { settings: { numberProtecton: true } },
    });
    expect(old.status).toBe(400);
    expect(old.body.error.details[0]).toMatchObject({
      path: 'body.settings.numberProtecton',
      suggestion: 'numberProtection',
    });
  });

  it('refuses values of the wrong shape, naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ numberProtection: 'yes' }, 'body.numberProtection'],
      [{ timezone: 'Mars/Olympus' }, 'body.timezone'],
      [{ holdMusicUrl: 'ftp://example.com/hold.mp3' }, 'body.holdMusicUrl'],
      [{ tts: { vendor: 'google', speed: 2 } }, 'body.tts.speed'],
      [{ agent: { wrapUpSeconds: 99999 } }, 'body.agent.wrapUpSeconds'],
      [{ agent: { defaultLoginState: 'busy' } }, 'body.agent.defaultLoginState'],
      [
        { calendars: [{ id: 'Office Hours', name: 'x', schedule: [], holidays: [], specialDays: [] }] },
        'body.calendars.0.id',
      ],
      [{ calendars: [{ id: 'office', name: 'x', holidays: ['2026-13-40'] }] }, 'body.calendars.0.holidays.0'],
      [{}, 'body'],
    ];
    for (const [body, path] of cases) {
      const res = await patch(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        (res.body.error.details as Array<{ path: string }>).map((d) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
  });

  it('[RT-07] stores typed values, merges agent fields, and null restores a default', async () => {
    const calendar = {
      id: 'office',
      name: 'Office hours',
      timeZone: 'Asia/Shanghai',
      schedule: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], ranges: [{ start: '09:00', end: '18:00' }] }],
      holidays: ['2026-10-01'],
      specialDays: [{ date: '2026-10-11', ranges: [{ start: '09:00', end: '12:00' }] }],
    };
    const res = await patch({
      numberProtection: true,
      timezone: 'Asia/Shanghai',
      holdMusicUrl: 'https://example.com/hold.mp3',
      tts: { vendor: 'google', language: 'cmn-CN' },
      agent: { restReasons: ['Lunch'], wrapUpSeconds: 30 },
      calendars: [calendar],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.settings).toMatchObject({
      numberProtection: true,
      timezone: 'Asia/Shanghai',
      holdMusicUrl: 'https://example.com/hold.mp3',
      tts: { vendor: 'google', language: 'cmn-CN' },
      agent: { restReasons: ['Lunch'], wrapUpSeconds: 30, defaultLoginState: 'idle' },
      calendars: [calendar],
    });
    // Agent fields merge; the agent settings route reads the same values.
    await patch({ agent: { defaultLoginState: 'notReady' } });
    const agentSettings = await t.request('GET', '/api/v1/settings/agent', { token: users.agent!.token });
    expect(agentSettings.body).toMatchObject({
      restReasons: ['Lunch'],
      wrapUpSeconds: 30,
      defaultLoginState: 'notReady',
    });
    // The protection is what records and calls read (RT-07): stored as the readers expect it.
    const tenant = await t.app.container.cradle.tenantRepo.findById(tenantId);
    expect(tenant!.settings.numberProtection).toBe(true);

    const reset = await patch({ numberProtection: null, agent: { wrapUpSeconds: null }, calendars: null });
    expect(reset.body.settings).toMatchObject({
      numberProtection: false,
      agent: { wrapUpSeconds: 15, restReasons: ['Lunch'] },
      calendars: [],
      timezone: 'Asia/Shanghai',
    });
  });

  it('only admins (or a key with tenant:write) change settings; agents and supervisors get 403', async () => {
    for (const role of ['agent', 'supervisor']) {
      const res = await patch({ numberProtection: true }, users[role]!.token);
      expect(res.status, role).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      const del = await t.request('DELETE', '/api/v1/tenant/settings/timezone', { token: users[role]!.token });
      expect(del.status, role).toBe(403);
    }
  });
});

describe('rows from before the registry (ADR 0011)', () => {
  it('unknown keys are kept, ignored, reported with a suggestion, and DELETE clears them', async () => {
    await t.app.database.pool.query(
      `update tenants set settings = '{"numberProtecton": true, "timezone": "Nowhere/City", "agent": {"wrapUpSeconds": "long"}}' where id = $1`,
      [tenantId],
    );
    const res = await t.request('GET', '/api/v1/tenant/settings', { token: admin });
    expect(res.body.settings).toMatchObject({ numberProtection: false, timezone: 'UTC', agent: { wrapUpSeconds: 15 } });
    expect(res.body.problems).toEqual([
      expect.objectContaining({ key: 'agent', problem: 'invalid' }),
      expect.objectContaining({ key: 'numberProtecton', problem: 'unknown', suggestion: 'numberProtection' }),
      expect.objectContaining({ key: 'timezone', problem: 'invalid' }),
    ]);
    const del = await t.request('DELETE', '/api/v1/tenant/settings/numberProtecton', { token: admin });
    expect(del.status).toBe(200);
    expect(del.body.problems.map((p: { key: string }) => p.key)).toEqual(['agent', 'timezone']);
    const again = await t.request('DELETE', '/api/v1/tenant/settings/numberProtecton', { token: admin });
    expect(again.status).toBe(404);
  });

  it('the typed getter reads a malformed stored value as the default, a good one as itself', () => {
    const d = { wrapUpSeconds: 7 };
    expect(readSetting({ timezone: 'Asia/Tokyo' }, 'timezone', d)).toBe('Asia/Tokyo');
    expect(readSetting({ timezone: 42 }, 'timezone', d)).toBe('UTC');
    expect(readSetting({ holdMusicUrl: 'javascript:alert(1)' }, 'holdMusicUrl', d)).toBeNull();
    expect(readSetting({ agent: { wrapUpSeconds: 'x', restReasons: ['A'] } }, 'agent', d)).toMatchObject({
      wrapUpSeconds: 7,
      restReasons: ['A'],
    });
    expect(settingsProblems({ numberProtection: true })).toEqual([]);
  });
});
