import { describe, expect, it } from 'vitest';
import { numberArg, percentile } from '../../bench/support.js';

describe('bench helpers', () => {
  it('numberArg reads a positive number after the flag and falls back otherwise', () => {
    expect(numberArg('devices', 200, ['node', 'x', '--devices', '1000'])).toBe(1000);
    expect(numberArg('devices', 200, ['node', 'x'])).toBe(200);
    expect(numberArg('devices', 200, ['node', 'x', '--devices', 'many'])).toBe(200);
    expect(numberArg('devices', 200, ['node', 'x', '--devices', '-5'])).toBe(200);
  });

  it('percentile takes the nearest rank of an ascending array', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(51);
    expect(percentile(sorted, 99)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});
