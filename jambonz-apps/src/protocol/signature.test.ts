import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from './signature.js';

const secret = 'wh_secret_abc123';
const body = JSON.stringify({ call_sid: 'c1', call_status: 'in-progress', customerData: { a: 1 } });

describe('jambonz webhook signature', () => {
  it('produces the header format of FS base-requestor and verifies it', () => {
    const header = signPayload(secret, body, 1_700_000_000);
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(header).toBe(`t=1700000000,v1=${expected}`);
    expect(verifySignature(header, body, secret, 300, 1_700_000_010)).toBe(true);
    expect(verifySignature(header, Buffer.from(body), secret, 300, 1_700_000_010)).toBe(true);
  });

  it('rejects a tampered body, a wrong secret and a missing or malformed header', () => {
    const header = signPayload(secret, body, 1_700_000_000);
    expect(verifySignature(header, body.replace('c1', 'c2'), secret, 300, 1_700_000_000)).toBe(false);
    expect(verifySignature(header, body, 'other', 300, 1_700_000_000)).toBe(false);
    expect(verifySignature(undefined, body, secret)).toBe(false);
    expect(verifySignature('garbage', body, secret)).toBe(false);
    expect(verifySignature('t=abc,v1=00', body, secret)).toBe(false);
    expect(verifySignature(header.replace(/v1=.*/, 'v1=abcd'), body, secret, 300, 1_700_000_000)).toBe(false);
  });

  it('enforces the timestamp tolerance in both directions', () => {
    const header = signPayload(secret, body, 1_700_000_000);
    expect(verifySignature(header, body, secret, 300, 1_700_000_300)).toBe(true);
    expect(verifySignature(header, body, secret, 300, 1_700_000_301)).toBe(false);
    expect(verifySignature(header, body, secret, 300, 1_699_999_699)).toBe(false);
    expect(verifySignature(signPayload(secret, body), body, secret)).toBe(true);
  });

  it('accepts any of several v1 values and any of several secrets', () => {
    const t = 1_700_000_000;
    const good = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    const header = `t=${t},v1=${'0'.repeat(64)},v1=${good}`;
    expect(verifySignature(header, body, secret, 300, t)).toBe(true);
    expect(verifySignature(signPayload('new-secret', body, t), body, ['old-secret', 'new-secret'], 300, t)).toBe(true);
    expect(verifySignature(signPayload('new-secret', body, t), body, ['old-secret'], 300, t)).toBe(false);
  });
});
