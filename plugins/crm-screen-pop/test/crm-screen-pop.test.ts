/**
 * The CRM screen-pop plugin on the real plugin host (`createTestHost`), against a real HTTP CRM
 * double: found, not found, slow, failing, credentials, the cache and number protection.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkAnnotations,
  createTestHost,
  testPayload,
  type CapturedLog,
  type TestHost,
  type UiCard,
} from '@switchboard/core/plugin';
import { startDemoCrm } from '../../../demo-crm/src/index.js';
import { crmScreenPop, MAX_CRM_TIMEOUT_MS, uiCardSchema, type CrmScreenPopOptions } from '../src/index.js';
import { CrmDouble, refusedUrl } from './support/crm-double.js';

/** Wei Li as a CRM answers: more than the card shows (phone, e-mail), as real CRMs do. */
const WEI_LI = {
  id: 'c-1001',
  name: 'Wei Li',
  company: 'Sunrise Trading Co.',
  phone: '13912345678',
  email: 'wei.li@sunrise.example',
  level: 'VIP',
  tags: ['Repeat buyer', 'Invoice by post'],
  owner: 'Agent One',
  lastOrder: { id: 'SO-20931', date: '2026-11-02', amount: '¥12,800.00', summary: '2 × Office chair Pro' },
  url: 'https://crm.example.com/customers/c-1001',
};

/** A wall clock the test moves (the plugin's cache reads core's `clock`). */
class TestClock {
  ms = Date.parse('2026-12-01T09:00:00Z');
  now(): Date {
    return new Date(this.ms);
  }
}

let crm: CrmDouble;
let t: TestHost | undefined;
let clock: TestClock;

beforeEach(async () => {
  crm = await CrmDouble.start();
  clock = new TestClock();
});

afterEach(async () => {
  await t?.close();
  t = undefined;
  await crm.close();
});

async function boot(opts: Partial<CrmScreenPopOptions> = {}): Promise<TestHost> {
  t = await createTestHost({
    plugins: [crmScreenPop({ url: crm.searchUrl, authHeader: 'Bearer crm-secret', ...opts })],
    overrides: { clock },
  });
  expect(t.statuses[0]).toMatchObject({
    name: 'crm-screen-pop',
    status: 'ok',
    hooks: ['call.incoming', 'call.outbound'],
  });
  return t;
}

/** The card `call.incoming` puts on a call from `from`. */
async function cardFor(host: TestHost, from: string): Promise<UiCard> {
  const { annotations } = await host.emit('call.incoming', testPayload('call.incoming', { from }));
  expect(Object.keys(annotations)).toEqual(['screenPop']);
  // What the workbench gets is a valid card, and the host would store it (plain JSON, ≤ 16 KB).
  expect(checkAnnotations(annotations)).toMatchObject({ ok: true });
  return uiCardSchema.parse(annotations.screenPop);
}

/** The plugin's warnings that the CRM was unavailable. */
function unavailableLogs(host: TestHost): CapturedLog[] {
  return host.logs.filter((l) => l.level === 40 && l.msg === 'CRM unavailable: the screen pop says so');
}

describe('crm-screen-pop', () => {
  it('[INT-02] shows the caller found in the CRM as a card, asking with the configured credentials', async () => {
    crm.customers(WEI_LI);
    const host = await boot();

    const card = await cardFor(host, '13912345678');

    expect(card).toEqual({
      kind: 'card',
      status: 'found',
      title: 'Wei Li',
      subtitle: 'Sunrise Trading Co.',
      tags: ['Repeat buyer', 'Invoice by post'],
      fields: [
        { label: 'Level', value: 'VIP' },
        { label: 'Owner', value: 'Agent One' },
        { label: 'Last order', value: 'SO-20931 · 2 × Office chair Pro · ¥12,800.00 · 2026-11-02' },
        { label: 'Customer ID', value: 'c-1001' },
      ],
      link: { label: 'Open in CRM', url: 'https://crm.example.com/customers/c-1001' },
    });
    expect(crm.requests).toHaveLength(1);
    const req = crm.requests[0]!;
    expect(req.path).toBe('/api/customers');
    expect(req.query.get('phone')).toBe('13912345678');
    expect(req.headers.authorization).toBe('Bearer crm-secret');
    expect(req.headers.accept).toBe('application/json');
    // The CRM's phone and e-mail are not on the card.
    expect(JSON.stringify(card)).not.toContain('13912345678');
    expect(JSON.stringify(card)).not.toContain('wei.li@');
    expect(await host.failureCount({ plugin: 'crm-screen-pop' })).toBe(0);
  });

  it('[INT-02] an outbound call pops the card of the customer dialled', async () => {
    crm.customers(WEI_LI);
    const host = await boot();

    const { annotations } = await host.emit(
      'call.outbound',
      testPayload('call.outbound', { from: '4001000000', to: '13912345678' }),
    );

    expect(uiCardSchema.parse(annotations.screenPop)).toMatchObject({ status: 'found', title: 'Wei Li' });
    expect(crm.requests.map((r) => r.query.get('phone'))).toEqual(['13912345678']);
  });

  it('[INT-02] sends credentials in a header of another name when configured so', async () => {
    crm.customers(WEI_LI);
    const host = await boot({ authHeader: { name: 'X-Api-Key', value: 'key-123' } });
    expect((await cardFor(host, '+8613912345678')).status).toBe('found');
    expect(crm.requests[0]!.headers['x-api-key']).toBe('key-123');
    expect(crm.requests[0]!.headers.authorization).toBeUndefined();
    // The number goes to the CRM as received; the CRM matches its formats.
    expect(crm.requests[0]!.query.get('phone')).toBe('+8613912345678');
  });

  it('[INT-02] says so when the CRM knows nobody by the number (empty list or 404)', async () => {
    crm.customers();
    const host = await boot({ cacheTtlMs: 0 });
    expect(await cardFor(host, '13700009999')).toEqual({
      kind: 'card',
      status: 'notFound',
      title: 'Unknown caller',
      subtitle: 'No customer with this number in the CRM',
      tags: [],
      fields: [],
    });
    crm.reply(404, { error: 'no such customer' });
    expect((await cardFor(host, '13700009999')).status).toBe('notFound');
    expect(crm.requests).toHaveLength(2);
    expect(unavailableLogs(host)).toEqual([]);
  });

  it('[INT-02] does not ask the CRM about a withheld number', async () => {
    const host = await boot();
    const card = await cardFor(host, 'anonymous');
    expect(card).toMatchObject({ status: 'notFound', subtitle: 'The caller withheld their number' });
    expect(crm.requests).toHaveLength(0);
  });

  it('[INT-02] a CRM slower than the budget: the hook answers in time with an unavailable card and the late answer is ignored', async () => {
    const host = await boot({ timeoutMs: 150 });
    const held = crm.hold();

    const card = await cardFor(host, '13912345678');

    // The card came back, so the handler finished inside the host's budget (past it the host
    // drops the handler's annotations and counts a timeout).
    expect(card).toEqual({
      kind: 'card',
      status: 'unavailable',
      title: 'CRM unavailable',
      subtitle: 'The customer record could not be loaded in time',
      tags: [],
      fields: [],
    });
    expect(await host.failureCount({ plugin: 'crm-screen-pop' })).toBe(0);
    expect(unavailableLogs(host)).toMatchObject([
      { plugin: 'crm-screen-pop', hook: 'call.incoming', reason: 'timeout' },
    ]);
    // The plugin gave up on the request instead of leaving it open...
    await held.clientGone;
    // ...so the answer arriving late goes nowhere: nothing remembered it, the next call asks again.
    held.release(200, { items: [WEI_LI] });
    crm.customers(WEI_LI);
    expect((await cardFor(host, '13912345678')).status).toBe('found');
    expect(crm.requests).toHaveLength(2);
  });

  it('[INT-02] a CRM answering 500 gives an unavailable card, logged with the status', async () => {
    crm.reply(500, { error: 'database down' });
    const host = await boot();
    expect((await cardFor(host, '13912345678')).status).toBe('unavailable');
    expect(unavailableLogs(host)).toMatchObject([{ reason: 'http_status', status: 500 }]);
  });

  it('[INT-02] a CRM refusing our credentials gives an unavailable card, logged with the status', async () => {
    crm.reply(401, { error: 'bad token' });
    const host = await boot();
    expect((await cardFor(host, '13912345678')).status).toBe('unavailable');
    expect(unavailableLogs(host)).toMatchObject([{ reason: 'http_status', status: 401 }]);
  });

  it('[INT-02] a CRM that is down (connection refused) gives an unavailable card, logged with the cause', async () => {
    const host = await boot({ url: await refusedUrl() });
    expect((await cardFor(host, '13912345678')).status).toBe('unavailable');
    expect(unavailableLogs(host)).toMatchObject([{ reason: 'network', code: 'ECONNREFUSED' }]);
  });

  it('[INT-02] a CRM answering something other than JSON gives an unavailable card, logged', async () => {
    crm.reply(200, '<html>Login required</html>');
    const host = await boot();
    expect((await cardFor(host, '13912345678')).status).toBe('unavailable');
    expect(unavailableLogs(host)).toMatchObject([{ reason: 'bad_json', status: 200 }]);
  });

  it('[INT-02] JSON of another shape gives an unavailable card, logged, and is not remembered', async () => {
    crm.reply(200, { customer: WEI_LI });
    const host = await boot();
    expect((await cardFor(host, '13912345678')).status).toBe('unavailable');
    crm.customers({ id: 'c-9', name: { first: 'Wei' } });
    expect((await cardFor(host, '13912345678')).status).toBe('unavailable');
    expect(unavailableLogs(host).map((l) => l.reason)).toEqual(['bad_answer', 'bad_answer']);
    expect(crm.requests).toHaveLength(2);
  });

  it('[INT-02] an answer too large to be a customer search is not read', async () => {
    crm.customers({ ...WEI_LI, notes: 'x'.repeat(300 * 1024) });
    const host = await boot();
    expect((await cardFor(host, '13912345678')).status).toBe('unavailable');
    expect(unavailableLogs(host)).toMatchObject([{ reason: 'too_large' }]);
  });

  it('[RT-07] [INT-02] the card never carries the customer number, wherever the CRM put it', async () => {
    crm.customers(
      {
        ...WEI_LI,
        name: 'Wei Li (13912345678)',
        company: 'call back on +86 139 1234 5678',
        tags: ['13912345678'],
        lastOrder: { id: 'SO-1', summary: 'delivery to 13912345678', date: '2026-11-02' },
        url: 'https://crm.example.com/search?phone=13912345678',
      },
      WEI_LI,
    );
    const host = await boot();
    for (const from of ['13912345678', '+8613912345678']) {
      const card = await cardFor(host, from);
      const json = JSON.stringify(card);
      expect(json).not.toMatch(/1\D*3\D*9\D*1\D*2\D*3\D*4\D*5\D*6\D*7\D*8/);
      expect(card.title).toBe('Wei Li (139****5678)');
      expect(card.tags).toEqual(['139****5678']);
      expect(card.fields).toContainEqual({ label: 'Last order', value: 'SO-1 · delivery to 139****5678 · 2026-11-02' });
      expect(card.fields).toContainEqual({ label: 'Other matches', value: '1 more with this number' });
      // A masked address would not open: the link is left out.
      expect(card.link).toBeUndefined();
    }
  });

  it('[INT-02] text from the CRM is made fit for a card: no control characters, bounded, http(s) links only', async () => {
    crm.customers({
      id: 42,
      name: `Wei\u0000 Li\u001b[31m\n${'很'.repeat(200)}`,
      company: '',
      tags: ['ok', '', 7, { x: 1 }, ...Array.from({ length: 20 }, (_, i) => `t${i}`)],
      owner: null,
      url: 'javascript:alert(1)',
    });
    const host = await boot();
    const card = await cardFor(host, '13912345678');
    expect(card.title.startsWith('Wei Li [31m 很很')).toBe(true);
    expect(card.title).toHaveLength(80);
    expect(card.title.endsWith('…')).toBe(true);
    expect(card.subtitle).toBeUndefined();
    expect(card.tags).toEqual(['ok', '7', 't0', 't1', 't2', 't3', 't4', 't5', 't6', 't7']);
    expect(card.fields).toEqual([{ label: 'Customer ID', value: '42' }]);
    expect(card.link).toBeUndefined();
  });

  it('[INT-02] remembers found and not-found answers for cacheTtlMs, then asks again', async () => {
    crm.customers(WEI_LI);
    const host = await boot({ cacheTtlMs: 60_000 });
    expect((await cardFor(host, '13912345678')).status).toBe('found');
    clock.ms += 59_000;
    expect((await cardFor(host, '13912345678')).title).toBe('Wei Li');
    expect(crm.requests).toHaveLength(1);
    clock.ms += 1_000;
    crm.customers({ ...WEI_LI, name: 'Wei Li (renamed)' });
    expect((await cardFor(host, '13912345678')).title).toBe('Wei Li (renamed)');
    expect(crm.requests).toHaveLength(2);

    // An unavailable CRM is never remembered.
    crm.reply(503, {});
    expect((await cardFor(host, '13700001111')).status).toBe('unavailable');
    crm.customers();
    expect((await cardFor(host, '13700001111')).status).toBe('notFound');
    expect(crm.requests).toHaveLength(4);
  });

  it('[INT-02] bad options mark the plugin failed at boot, naming the key; the rest starts', async () => {
    for (const [options, key] of [
      [{ url: 'ftp://crm.example.com/customers' }, 'url'],
      [{ url: crm.searchUrl, timeoutMs: 800 }, 'timeoutMs'],
      [{ url: crm.searchUrl, authHeader: 'Bearer a\r\nX-Injected: 1' }, 'authHeader'],
      [{ url: crm.searchUrl, authHeader: { name: 'Bad Header', value: 'x' } }, 'authHeader.name'],
    ] as const) {
      const host = await createTestHost({
        plugins: [crmScreenPop(options as CrmScreenPopOptions)],
        overrides: { clock },
      });
      expect(host.statuses[0]).toMatchObject({ name: 'crm-screen-pop', status: 'failed' });
      expect(host.statuses[0]!.reason).toContain(`config: ${key}:`);
      await host.close();
    }
  });

  it('[INT-02] works against the bundled demo CRM', async () => {
    const demo = await startDemoCrm();
    try {
      // The longest lookup time allowed: this test is about the demo CRM's data, and a demo CRM
      // just started on a busy machine may answer its first lookup after the default budget.
      const host = await boot({ url: demo.searchUrl, authHeader: demo.authHeader, timeoutMs: MAX_CRM_TIMEOUT_MS });
      const card = await cardFor(host, '+86 139 1234 5678');
      expect(card).toMatchObject({
        status: 'found',
        title: 'Wei Li',
        subtitle: 'Sunrise Trading Co.',
        tags: ['Repeat buyer', 'Invoice by post'],
        link: { label: 'Open in CRM', url: `${demo.url}/customers/c-1001` },
      });
      expect(card.fields).toContainEqual({ label: 'Owner', value: 'Agent One' });
      const page = await fetch(card.link!.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Wei Li');
      expect((await cardFor(host, '13700009999')).status).toBe('notFound');
      await t!.close();

      // With the wrong token the demo CRM says 401: the card says the CRM is unavailable.
      t = undefined;
      const wrong = await boot({ url: demo.searchUrl, authHeader: 'Bearer not-the-token' });
      expect((await cardFor(wrong, '13912345678')).status).toBe('unavailable');
      expect(unavailableLogs(wrong)).toMatchObject([{ reason: 'http_status', status: 401 }]);
    } finally {
      await demo.close();
    }
  });
});
