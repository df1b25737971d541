import { describe, expect, it } from 'vitest';
import { formatDuration } from './use-now';

describe('formatDuration', () => {
  it('[AGT-01] shows time in state as mm:ss, then h:mm:ss, never negative', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(59_999)).toBe('00:59');
    expect(formatDuration(61_000)).toBe('01:01');
    expect(formatDuration(3_600_000 + 62_000)).toBe('1:01:02');
    expect(formatDuration(-5_000)).toBe('00:00');
  });
});
