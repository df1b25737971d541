import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signIvrHttp, verifyIvrHttpSignature } from './http-node.js';

describe('IVR HTTP node signature', () => {
  const secret = 'a-tenant-secret';
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const t = Math.floor(now / 1000);

  it('[IVR-29] is HMAC-SHA256 of "<t>.<payload>", hex, in a t=…,v1=… header', () => {
    const header = signIvrHttp(secret, t, '{"a":"1"}');
    const mac = createHmac('sha256', secret).update(`${t}.{"a":"1"}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${mac}`);
    expect(verifyIvrHttpSignature(header, '{"a":"1"}', secret, 300, now)).toBe(true);
  });

  it('[IVR-29] refuses another payload, another secret, an old timestamp or a malformed header', () => {
    const header = signIvrHttp(secret, t, 'account=A-17');
    expect(verifyIvrHttpSignature(header, 'account=A-18', secret, 300, now)).toBe(false);
    expect(verifyIvrHttpSignature(header, 'account=A-17', 'other', 300, now)).toBe(false);
    expect(verifyIvrHttpSignature(header, 'account=A-17', secret, 300, now + 301_000)).toBe(false);
    expect(verifyIvrHttpSignature('v1=abc', 'account=A-17', secret, 300, now)).toBe(false);
    expect(verifyIvrHttpSignature(undefined, 'account=A-17', secret, 300, now)).toBe(false);
  });
});
