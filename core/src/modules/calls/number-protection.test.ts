import { describe, expect, it } from 'vitest';
import { customerNumber, hideNumbers, hideNumbersDeep, maskNumber } from './number-protection.js';

describe('maskNumber', () => {
  it('[RT-07] masks the middle four digits of a mobile number', () => {
    expect(maskNumber('13812345678')).toBe('138****5678');
    expect(maskNumber('8613812345678')).toBe('86138****5678');
    expect(maskNumber('02088887777')).toBe('020****7777');
  });

  it('[RT-07] never leaves a short number readable', () => {
    expect(maskNumber('12345')).toBe('***45');
    expect(maskNumber('12')).toBe('**');
    expect(maskNumber('12345678')).toBe('****5678');
  });
});

describe('hideNumbers', () => {
  it('[RT-07] masks the customer number wherever a variable value holds it, formatted or not', () => {
    const n = ['13812345678'];
    expect(hideNumbers('13812345678', n)).toBe('138****5678');
    expect(hideNumbers('+8613812345678', n)).toBe('+86138****5678');
    expect(hideNumbers('Call 13812345678 back, or 13812345678', n)).toBe('Call 138****5678 back, or 138****5678');
    expect(hideNumbers('+86 138-1234-5678', n)).toBe('138****5678');
    expect(hideNumbers('(138) 1234.5678', n)).toBe('138****5678');
  });

  it('[RT-07] leaves other values alone, and does not hunt for short numbers', () => {
    expect(hideNumbers('gold', ['13812345678'])).toBe('gold');
    expect(hideNumbers('13812345679', ['13812345678'])).toBe('13812345679');
    expect(hideNumbers('order 1001', ['1001'])).toBe('order 1001');
    expect(hideNumbers('13812345678', [])).toBe('13812345678');
  });

  it('[RT-07] the customer is the caller inbound and the callee outbound', () => {
    expect(customerNumber({ direction: 'inbound', caller: '1', callee: '2' })).toBe('1');
    expect(customerNumber({ direction: 'outbound', caller: '1', callee: '2' })).toBe('2');
  });
});

describe('hideNumbersDeep', () => {
  it('[RT-07] masks the number in every string of a JSON value, keeping its shape', () => {
    const card = {
      crm: { phone: '13812345678', phones: ['13812345678', '010-1234'], tier: 'gold', score: 3 },
      ok: true,
    };
    expect(hideNumbersDeep(card, ['13812345678'])).toEqual({
      crm: { phone: '138****5678', phones: ['138****5678', '010-1234'], tier: 'gold', score: 3 },
      ok: true,
    });
    expect(hideNumbersDeep(card, [])).toBe(card);
  });
});
