import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_DELIVERY_CONFIG, verdict } from '../../../src/publish/delivery-config.ts';

describe('retry policy', () => {
  it('doubles the delay per attempt with jitter in [d/2, d], capped', () => {
    const c = { ...DEFAULT_DELIVERY_CONFIG, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, c, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, c, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffMs(1000, c, () => 0.5)).toBe(750);
  });

  it('retries what may pass later and refuses what will not', () => {
    expect([200, 201, 204].map(verdict)).toEqual(['delivered', 'delivered', 'delivered']);
    expect([null, 408, 425, 429, 500, 502, 503].map(verdict)).toEqual(Array(7).fill('retry'));
    expect([301, 400, 401, 403, 404, 413].map(verdict)).toEqual(Array(6).fill('refused'));
  });
});
