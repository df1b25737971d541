import { describe, expect, it } from 'vitest';
import { DIALLABLE, dialProblem, isCustomerId, normalizeDialInput, splitExtension } from './dial-input';

describe('dial pad input', () => {
  it('[OUT-10] a customer’s ID (number mapping) is kept as typed and can be dialled; words around a number are not an ID', () => {
    expect(isCustomerId('U10023')).toBe(true);
    expect(normalizeDialInput(' U10023 ')).toBe('U10023');
    expect(normalizeDialInput('vip-0042')).toBe('vip-0042');
    expect(dialProblem('U10023')).toBeNull();
    expect(isCustomerId('Mobile: 139 0000 1003')).toBe(false);
    expect(normalizeDialInput('Mobile: 139 0000 1003')).toBe('13900001003');
    expect(isCustomerId('13900001003')).toBe(false);
    expect(isCustomerId('U'.repeat(65))).toBe(false);
  });

  it('[OUT-03] keeps only the digits (and a leading +) of typed or pasted numbers', () => {
    expect(normalizeDialInput(' +86 (139) 0000-1003 ')).toBe('+8613900001003');
    expect(normalizeDialInput('139.0000.1003')).toBe('13900001003');
    expect(normalizeDialInput('139 0000 1003')).toBe('13900001003');
    expect(normalizeDialInput('139–0000—1003')).toBe('13900001003');
    expect(normalizeDialInput('tel:+8613900001003')).toBe('+8613900001003');
    // Full-width digits and brackets (Chinese input methods) fold to ASCII.
    expect(normalizeDialInput('（１３９）００００１００３')).toBe('13900001003');
    expect(normalizeDialInput('Mobile: 139 0000 1003')).toBe('13900001003');
    // A + inside the number is not a country code.
    expect(normalizeDialInput('139+0000')).toBe('1390000');
    expect(normalizeDialInput('')).toBe('');
  });

  it('[OUT-03] cuts a pasted paragraph to the longest number the server dials', () => {
    const long = normalizeDialInput('1'.repeat(40));
    expect(long).toHaveLength(21);
    expect(dialProblem(long)).toBe('tooLong');
  });

  it('[OUT-03] says why a number cannot be dialled, in the server’s own rule', () => {
    expect(dialProblem('')).toBe('empty');
    expect(dialProblem('+')).toBe('empty');
    expect(dialProblem('1234')).toBe('tooShort');
    expect(dialProblem('12345')).toBeNull();
    expect(dialProblem('+8613900001003')).toBeNull();
    for (const ok of ['12345', '+8613900001003', '1'.repeat(20)]) expect(DIALLABLE.test(ok)).toBe(true);
  });

  it('[OUT-06] splits an extension off a pasted number, to key in after connect', () => {
    expect(splitExtension('010-6000 1234 转 8001')).toEqual({ number: '01060001234', extension: '8001' });
    expect(splitExtension('+1 555 0100 ext. 12')).toEqual({ number: '+15550100', extension: '12' });
    expect(splitExtension('555-0100 x 7')).toEqual({ number: '5550100', extension: '7' });
    expect(splitExtension('01060001234,8001#')).toEqual({ number: '01060001234', extension: '8001#' });
    expect(splitExtension('139 0000 1003')).toEqual({ number: '13900001003', extension: '' });
  });
});
