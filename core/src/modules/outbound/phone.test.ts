import { describe, expect, it } from 'vitest';
import { customerUnreached, endStatusString } from '../calls/end-status.js';
import { dialledNumber, storedNumber } from './phone.js';

const parse = (raw: string) => dialledNumber.safeParse(raw);

describe('the dial pad’s number', () => {
  it('[OUT-03] takes a number as people paste it: spaces, dashes, dots, slashes, brackets, full-width digits', () => {
    const cases: Array<[string, string]> = [
      ['13900001003', '13900001003'],
      [' 139 0000 1003 ', '13900001003'],
      ['139-0000-1003', '13900001003'],
      ['(139) 0000-1003', '13900001003'],
      ['139.0000.1003', '13900001003'],
      ['+86 (139) 0000-1003', '+8613900001003'],
      ['010/6552 9988', '01065529988'],
      ['１３９\u3000００００\u30001003', '13900001003'],
      ['（139）0000–1003', '13900001003'],
    ];
    for (const [raw, want] of cases) expect(parse(raw), raw).toEqual({ success: true, data: want });
    // Stored (and dialled) as inbound callers are: digits only.
    expect(storedNumber('+8613900001003')).toBe('8613900001003');
  });

  it('[OUT-03] refuses what is not a phone number', () => {
    for (const raw of [
      '',
      '1234',
      'call me',
      '139 0000 1003 ext 2',
      '+',
      '++8613900001003',
      '1'.repeat(21),
      '139*0000',
    ]) {
      expect(parse(raw).success, raw).toBe(false);
    }
  });
});

describe('outbound end statuses', () => {
  it('[OUT-01] the customer’s leg tells why the call did not connect (research A7)', () => {
    const named = (status: string, sip?: number) => {
      const r = customerUnreached(status, sip);
      return `${endStatusString(r.code)}/${r.side}`;
    };
    expect(named('no-answer', 487)).toBe('notAnswer/system');
    expect(named('busy', 486)).toBe('busy/user');
    expect(named('busy', 600)).toBe('busy/user');
    expect(named('busy', 603)).toBe('userReject/user');
    expect(named('failed', 404)).toBe('numberNotExist/system');
    expect(named('failed', 604)).toBe('numberNotExist/system');
    expect(named('failed', 484)).toBe('numberInvalid/system');
    expect(named('failed', 480)).toBe('notInService/system');
    expect(named('failed', 503)).toBe('operatorError/system');
    expect(named('failed')).toBe('operatorError/system');
  });
});
