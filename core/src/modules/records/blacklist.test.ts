/**
 * The blacklist in the console (issue 11 item 9, CTL-08): admins and supervisors list it paged
 * and searched on the server, add a number with a reason and an optional expiry, and remove it;
 * agents are refused; the input is validated; entries from calls show up too.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
let tenantId: string;
let users: Record<string, SeededUser>;

beforeAll(async () => {
  t = await startTestApp();
  ({ tenantId, users } = await t.seedTenant({ slug: 'blacklist' }));
});
afterAll(async () => {
  await t?.stop();
});
beforeEach(async () => {
  await t.app.database.pool.query('delete from blacklist where tenant_id = $1', [tenantId]);
});

const add = (body: unknown, who = 'admin') =>
  t.request('POST', '/api/v1/blacklist', { token: users[who]!.token, body });
const list = (query = '', who = 'admin') => t.request('GET', `/api/v1/blacklist${query}`, { token: users[who]!.token });

describe('blacklist admin API', () => {
  it('[CTL-08] adds a number with a reason and expiry, lists it, and removes it', async () => {
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const res = await add({ number: '+86 139-1234-5678', reason: 'Harassing calls', expiresAt });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ number: '8613912345678', reason: 'Harassing calls', expiresAt, active: true });

    // Listing it again replaces its terms (no duplicate).
    const again = await add({ number: '8613912345678', reason: 'Still harassing' });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: res.body.id, reason: 'Still harassing', expiresAt: null, active: true });

    const l = await list('', 'supervisor');
    expect(l.status).toBe(200);
    expect(l.body).toMatchObject({ total: 1, page: 1, pageSize: 50 });
    expect(l.body.items[0]).toMatchObject({ id: res.body.id, number: '8613912345678' });

    const del = await t.request('DELETE', `/api/v1/blacklist/${res.body.id}`, { token: users.admin!.token });
    expect(del.status).toBe(204);
    expect((await list()).body.total).toBe(0);
    const gone = await t.request('DELETE', `/api/v1/blacklist/${res.body.id}`, { token: users.admin!.token });
    expect(gone.status).toBe(404);
  });

  it('pages, searches by digits or reason, and sorts on the server; entries from calls are listed', async () => {
    for (let i = 0; i < 5; i++) expect((await add({ number: `1380000000${i}`, reason: `spam ${i}` })).status).toBe(201);
    await t.app.container.cradle.blacklistRepo.add(tenantId, '13999999999', 'added from call x');
    const page2 = await list('?pageSize=2&page=2&sort=number&order=asc');
    expect(page2.body).toMatchObject({ total: 6, page: 2, pageSize: 2 });
    expect(page2.body.items.map((e: { number: string }) => e.number)).toEqual(['13800000002', '13800000003']);
    const byDigits = await list(`?q=${encodeURIComponent('138 0000 0004')}`);
    expect(byDigits.body.items.map((e: { number: string }) => e.number)).toEqual(['13800000004']);
    const byReason = await list('?q=from%20call');
    expect(byReason.body.items.map((e: { number: string }) => e.number)).toEqual(['13999999999']);
    const like = await list('?q=%25');
    expect(like.body.total).toBe(0);
  });

  it('shows an entry whose expiry passed as inactive', async () => {
    const row = await t.app.container.cradle.blacklistRepo.upsert(tenantId, {
      number: '13700000000',
      reason: null,
      expiresAt: new Date(Date.now() - 1000),
    });
    const l = await list();
    expect(l.body.items).toEqual([expect.objectContaining({ id: row.id, active: false })]);
  });

  it('refuses bad input naming the field, and agents', async () => {
    const cases: Array<[unknown, string]> = [
      [{ number: 'abc' }, 'body.number'],
      [{ number: '12' }, 'body.number'],
      [{ number: '1'.repeat(21) }, 'body.number'],
      [{ number: '13800000000', expiresAt: new Date(Date.now() - 60_000).toISOString() }, 'body.expiresAt'],
      [{ number: '13800000000', expiresAt: 'tomorrow' }, 'body.expiresAt'],
      [{ number: '13800000000', reason: 'x'.repeat(201) }, 'body.reason'],
      [{ number: '13800000000', note: 'typo' }, 'body.note'],
    ];
    for (const [body, path] of cases) {
      const res = await add(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(
        res.body.error.details.map((d: { path: string }) => d.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    expect((await list('?sort=reason')).status).toBe(400);
    expect((await add({ number: '13800000000' }, 'agent')).status).toBe(403);
    expect((await list('', 'agent')).status).toBe(403);
  });
});
