/**
 * The demo CRM `npm start` runs in demo mode: a real HTTP server with a customer search behind a
 * bearer token and a page per customer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMERS, startDemoCrm, type DemoCrm } from '../src/index.js';

let crm: DemoCrm;

beforeAll(async () => {
  crm = await startDemoCrm({ token: 'demo-token' });
});

afterAll(async () => {
  await crm.close();
});

/** The customer search, with `auth` as the Authorization header (null: none). */
const search = (phone: string, auth: string | null = crm.authHeader) =>
  fetch(`${crm.searchUrl}?phone=${encodeURIComponent(phone)}`, auth ? { headers: { authorization: auth } } : {});

describe('demo CRM', () => {
  it('[INT-02] knows the simulator demo caller, in any common number format', async () => {
    for (const phone of ['13912345678', '+8613912345678', '+86 139 1234 5678', '008613912345678']) {
      const res = await search(phone);
      expect(res.status, phone).toBe(200);
      const body = (await res.json()) as { items: Array<Record<string, unknown>> };
      expect(body.items, phone).toEqual([
        expect.objectContaining({
          id: 'c-1001',
          name: 'Wei Li',
          phone: '13912345678',
          level: 'VIP',
          owner: 'Agent One',
          tags: ['Repeat buyer', 'Invoice by post'],
          lastOrder: expect.objectContaining({ id: 'SO-20931' }),
          url: `${crm.url}/customers/c-1001`,
        }),
      ]);
    }
    const nobody = await search('13700009999');
    expect(await nobody.json()).toEqual({ items: [] });
  });

  it('[INT-02] answers the search only with the bearer token', async () => {
    for (const auth of [null, 'Bearer wrong-token', 'Basic ZGVtbzpkZW1v', 'demo-token']) {
      const res = await search('13912345678', auth);
      expect(res.status, String(auth)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await res.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    }
  });

  it('[INT-02] refuses a search without a phone number', async () => {
    for (const query of ['', '?phone=', '?phone=abc', '?phone=1&x=2']) {
      const res = await fetch(`${crm.searchUrl}${query}`, { headers: { authorization: crm.authHeader } });
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
  });

  it('[INT-02] shows a page per customer (escaped, phone masked) and a list of them', async () => {
    const res = await fetch(`${crm.url}/customers/c-1001`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<h1>Wei Li</h1>');
    expect(html).toContain('139****5678');
    expect(html).not.toContain('13912345678');
    expect(html).toContain('SO-20931 · 2 × Office chair Pro');

    const list = await (await fetch(`${crm.url}/`)).text();
    for (const c of DEMO_CUSTOMERS) expect(list).toContain(`href="/customers/${c.id}"`);

    const missing = await fetch(`${crm.url}/customers/%3Cscript%3E`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain('<script>');
  });

  it('[INT-02] escapes what it shows', async () => {
    const own = await startDemoCrm({
      customers: [{ ...DEMO_CUSTOMERS[0]!, id: 'c-x', name: '<img src=x onerror=alert(1)>', tags: ['"><b>'] }],
    });
    try {
      const html = await (await fetch(`${own.url}/customers/c-x`)).text();
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(html).not.toContain('<img');
      expect(html).toContain('&quot;&gt;&lt;b&gt;');
    } finally {
      await own.close();
    }
  });

  it('[INT-02] says so when its port is taken', async () => {
    const port = Number(new URL(crm.url).port);
    await expect(startDemoCrm({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
