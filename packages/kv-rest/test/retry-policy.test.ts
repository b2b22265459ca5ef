import { describe, expect, it } from 'vitest';
import { computeBackoffMs, isRetryableStatus, parseRetryAfterMs } from '../src/retry-policy.js';

describe('rest: retry policy', () => {
  it('parseRetryAfterMs: reads delay-seconds', () => {
    expect(parseRetryAfterMs('3')).toBe(3_000);
    expect(parseRetryAfterMs(' 0 ')).toBe(0);
  });

  it('parseRetryAfterMs: reads an HTTP date relative to now', () => {
    const now = Date.parse('2026-12-04T10:00:00Z');

    expect(parseRetryAfterMs('Fri, 04 Dec 2026 10:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfterMs('Fri, 04 Dec 2026 09:59:00 GMT', now)).toBe(0);
  });

  it('parseRetryAfterMs: ignores an absent or invalid header', () => {
    expect(parseRetryAfterMs(null)).toBeUndefined();
    expect(parseRetryAfterMs('soon')).toBeUndefined();
    expect(parseRetryAfterMs('-1')).toBeUndefined();
  });

  it('computeBackoffMs: doubles per retry within the jitter range', () => {
    expect(computeBackoffMs(1, 100, 10_000, () => 0)).toBe(50);
    expect(computeBackoffMs(1, 100, 10_000, () => 1)).toBe(100);
    expect(computeBackoffMs(3, 100, 10_000, () => 1)).toBe(400);
  });

  it('computeBackoffMs: stops at the maximum delay', () => {
    expect(computeBackoffMs(20, 100, 1_000, () => 1)).toBe(1_000);
  });

  it('isRetryableStatus: retries 408, 429 and 5xx only', () => {
    expect([408, 429, 500, 502, 503].map(isRetryableStatus)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect([400, 401, 403, 404, 413].map(isRetryableStatus)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
