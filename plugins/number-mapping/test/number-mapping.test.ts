/**
 * The number mapping plugin (RT-08, OUT-10) on the real plugin host (`createTestHost`) against a
 * real HTTP mapping API: known, unknown, slow and failing answers, the cache and its life, dialling
 * by ID, and tenants kept apart.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTestHost, testPayload, type TestHost, type TestTenant } from '@switchboard/core/plugin';
import { MAX_TIMEOUT_MS, numberMapping, numberMappingSettings, type NumberMappingSettingsInput } from '../src/index.js';
import { MappingDouble } from './support/mapping-double.js';

const api = await MappingDouble.start();
afterAll(() => api.close());

let host: TestHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
  api.release();
  api.requests.length = 0;
});

/** Core's clock as the plugin reads it; the test moves it. */
let nowMs = Date.parse('2026-12-03T10:00:00Z');
const clock = { now: () => new Date(nowMs) };

const settings = (over: Partial<NumberMappingSettingsInput> = {}): NumberMappingSettingsInput => ({
  identifyUrl: api.identifyUrl,
  resolveUrl: api.resolveUrl,
  authHeader: 'Bearer mapping-token',
  // The longest the settings allow: an answer the test expects must not race the plugin's own
  // deadline on a busy machine (a cold first request once took over 300 ms under load). Tests of
  // the deadline use an API that never answers.
  timeoutMs: MAX_TIMEOUT_MS,
  cacheTtlSeconds: 60,
  ...over,
});

const on = (s: NumberMappingSettingsInput): TestTenant => ({
  edition: 'advanced',
  plugins: { 'number-mapping': { enabled: true, settings: { ...s } } },
});

async function boot(tenants: Record<string, TestTenant>): Promise<TestHost> {
  host = await createTestHost({ plugins: [numberMapping({})], overrides: { clock }, tenants });
  expect(host.statuses[0]).toMatchObject({ name: 'number-mapping', status: 'ok' });
  return host;
}

const identify = (h: TestHost, number: string, tenantId = 'tenant-1') =>
  h.emit('number.identify', testPayload('number.identify', { tenantId, number }));

describe('[RT-08] number → user ID', () => {
  it('[RT-08] a known number becomes the company’s user ID, asked with the tenant’s credentials and remembered for the cache’s life', async () => {
    api.customer('13912345678', 'U10023');
    const h = await boot({ 'tenant-1': on(settings()) });
    expect(await identify(h, '13912345678')).toEqual({ shownAs: 'U10023' });
    expect(api.requests).toEqual([{ path: '/api/by-number/13912345678', authorization: 'Bearer mapping-token' }]);

    // Remembered: the second call costs no request.
    expect(await identify(h, '13912345678')).toEqual({ shownAs: 'U10023' });
    expect(api.requests).toHaveLength(1);
    // Past its life it is asked again (and the company may have changed its mind).
    api.customer('13912345678', 'U20046');
    nowMs += 61_000;
    expect(await identify(h, '13912345678')).toEqual({ shownAs: 'U20046' });
    expect(api.requests).toHaveLength(2);
  });

  it('[RT-08] a number the company does not know is shown masked, and the "nobody" is remembered too', async () => {
    const h = await boot({ 'tenant-1': on(settings()) });
    expect(await identify(h, '13800001111')).toEqual({ shownAs: '138****1111' });
    expect(await identify(h, '13800001111')).toEqual({ shownAs: '138****1111' });
    expect(api.requests).toHaveLength(1);
  });

  it('[RT-08] a slow API: the masked number within the tenant’s timeout, and the next call asks again', async () => {
    const h = await boot({ 'tenant-1': on(settings({ timeoutMs: 200 })) });
    api.customer('13912340000', 'U777');
    const arrived = api.slow();
    const answer = identify(h, '13912340000');
    await arrived;
    // The API never answers: only the plugin's own deadline can end this.
    expect(await answer).toEqual({ shownAs: '139****0000' });
    expect(h.logs).toContainEqual(
      expect.objectContaining({ reason: 'timeout', msg: 'mapping API unavailable: agents see the masked number' }),
    );
    api.release();
    expect(await identify(h, '13912340000')).toEqual({ shownAs: 'U777' });
  });

  it('[RT-08] a failing API: the masked number, nothing cached, the call goes on', async () => {
    const h = await boot({ 'tenant-1': on(settings()) });
    api.customer('13912341111', 'U888');
    api.failing();
    expect(await identify(h, '13912341111')).toEqual({ shownAs: '139****1111' });
    expect(h.logs).toContainEqual(expect.objectContaining({ reason: 'HTTP 503' }));
    api.normal();
    expect(await identify(h, '13912341111')).toEqual({ shownAs: 'U888' });
  });

  it('[RT-08] an answer that is not a user ID (a control character, too long) counts as a failure', async () => {
    const h = await boot({ 'tenant-1': on(settings()) });
    api.customer('13912342222', 'x'.repeat(65));
    expect(await identify(h, '13912342222')).toEqual({ shownAs: '139****2222' });
    expect(h.logs).toContainEqual(expect.objectContaining({ reason: 'bad userId' }));
  });
});

describe('[OUT-10] dialling by user ID', () => {
  const resolve = (h: TestHost, customerId: string) =>
    h.emit('number.resolve', testPayload('number.resolve', { customerId }));

  it('[OUT-10] the number behind an ID, from the API; an ID just shown needs no request', async () => {
    api.customer('13912343333', 'U3333');
    api.customer('13912344444', 'U4444');
    const h = await boot({ 'tenant-1': on(settings()) });
    expect(await resolve(h, 'U3333')).toEqual({ number: '13912343333' });
    expect(api.requests.map((r) => r.path)).toEqual(['/api/by-id/U3333']);

    await identify(h, '13912344444');
    api.requests.length = 0;
    expect(await resolve(h, 'U4444')).toEqual({ number: '13912344444' });
    expect(api.requests).toEqual([]);
  });

  it('[OUT-10] an unknown ID, or a tenant without a resolve address, resolves to nothing', async () => {
    const h = await boot({ 'tenant-1': on(settings()), 'tenant-2': on(settings({ resolveUrl: undefined })) });
    expect(await resolve(h, 'U-nobody')).toBeUndefined();
    api.customer('13912345555', 'U5555');
    expect(
      await h.emit('number.resolve', testPayload('number.resolve', { tenantId: 'tenant-2', customerId: 'U5555' })),
    ).toBeUndefined();
  });
});

describe('tenants', () => {
  it('[RT-08] each tenant’s own API and credentials; a tenant that did not turn it on, or a standard one, is not asked', async () => {
    api.customer('13912346666', 'U6666');
    const h = await boot({
      'tenant-a': on(settings({ authHeader: 'Bearer a' })),
      'tenant-b': on(settings({ authHeader: 'Bearer b', cacheTtlSeconds: 0 })),
      'tenant-off': {},
      'tenant-standard': {
        edition: 'standard',
        plugins: { 'number-mapping': { enabled: true, settings: { ...settings() } } },
      },
    });
    expect(await identify(h, '13912346666', 'tenant-a')).toEqual({ shownAs: 'U6666' });
    // Tenant A's cached answer is not tenant B's: B asks with its own credentials.
    expect(await identify(h, '13912346666', 'tenant-b')).toEqual({ shownAs: 'U6666' });
    expect(api.requests.map((r) => r.authorization)).toEqual(['Bearer a', 'Bearer b']);
    expect(await identify(h, '13912346666', 'tenant-off')).toBeUndefined();
    expect(await identify(h, '13912346666', 'tenant-standard')).toBeUndefined();
    expect(api.requests).toHaveLength(2);
  });

  it('settings: the URLs must hold their placeholders, the timeout fits the hook’s budget', () => {
    expect(numberMappingSettings.safeParse(settings()).success).toBe(true);
    expect(numberMappingSettings.safeParse(settings({ identifyUrl: `${api.origin}/by-number` })).success).toBe(false);
    expect(numberMappingSettings.safeParse(settings({ resolveUrl: `${api.origin}/by-id` })).success).toBe(false);
    expect(numberMappingSettings.safeParse(settings({ timeoutMs: 5000 })).success).toBe(false);
  });
});
