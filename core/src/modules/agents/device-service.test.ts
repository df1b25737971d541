/**
 * Softphone credentials at rest (IN-01): the SIP password is AES-256-GCM encrypted under a key
 * derived from the installation secret and bound to its agent, so the API can give it back to
 * that agent only, and a dump of the table reveals nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';

let t: TestApp;
let tenantId: string;
let users: Record<string, SeededUser>;

beforeAll(async () => {
  t = await startTestApp();
  ({ tenantId, users } = await t.seedTenant({ slug: 'devsvc' }));
});

afterAll(async () => {
  await t?.stop();
});

describe('softphone credentials at rest', () => {
  it('[IN-01] round-trips, and refuses another agent’s row, a tampered value or another key', async () => {
    const { deviceService } = t.app.container.cradle;
    const a = users.agent!.id;
    const b = users.supervisor!.id;
    const sealed = deviceService.encrypt(a, 'secret-sip-password');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('secret');
    expect(deviceService.decrypt(a, sealed)).toBe('secret-sip-password');
    // Same password, fresh IV: ciphertexts differ.
    expect(deviceService.encrypt(a, 'secret-sip-password')).not.toBe(sealed);
    expect(() => deviceService.decrypt(b, sealed)).toThrow();
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => deviceService.decrypt(a, [...parts.slice(0, 3), flipped.toString('base64url')].join('.'))).toThrow();
  });

  it('[IN-01] GET /me/device gives each user their own credentials; unreadable ones are re-issued', async () => {
    const first = await t.request('GET', '/api/v1/me/device', { token: users.agent!.token });
    expect(first.status).toBe(200);
    // Without a telephony provider there is no realm or SBC to name.
    expect(first.body).toEqual({
      sipUser: `sb-${users.agent!.id}`,
      password: expect.any(String),
      realm: null,
      wsServer: null,
      mode: 'none',
    });
    const again = await t.request('GET', '/api/v1/me/device', { token: users.agent!.token });
    expect(again.body).toEqual(first.body);
    const other = await t.request('GET', '/api/v1/me/device', { token: users.supervisor!.token });
    expect(other.body.sipUser).toBe(`sb-${users.supervisor!.id}`);
    expect(other.body.password).not.toBe(first.body.password);

    // As after a change of the installation secret: the stored value no longer decrypts.
    await t.app.database.pool.query(`update agents set sip_password_enc = $2 where user_id = $1`, [
      users.agent!.id,
      t.app.container.cradle.deviceService.encrypt(users.supervisor!.id, 'not yours'),
    ]);
    const reissued = await t.request('GET', '/api/v1/me/device', { token: users.agent!.token });
    expect(reissued.status).toBe(200);
    expect(reissued.body.password).not.toBe(first.body.password);
    expect(reissued.body.password).not.toBe('not yours');
    const row = await t.app.database.pool.query(`select tenant_id from agents where user_id = $1`, [users.agent!.id]);
    expect(row.rows[0]!.tenant_id).toBe(tenantId);
  });
});
