import { describe, expect, it } from 'vitest';
import { maskNumber } from './number-protection.js';

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
