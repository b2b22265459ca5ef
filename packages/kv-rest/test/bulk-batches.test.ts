import { MAX_BULK_WRITE_BYTES, MAX_BULK_WRITE_PAIRS } from '@cfkv/core';
import { describe, expect, it } from 'vitest';
import { splitBulkWrite, type BulkWriteItem } from '../src/bulk-batches.js';

function items(count: number, value = 'v'): BulkWriteItem[] {
  return Array.from({ length: count }, (_, index) => ({ key: `k${index}`, value }));
}

describe('rest: bulk batches', () => {
  it('splitBulkWrite: splits at the pair limit', () => {
    const batches = splitBulkWrite(items(10_500), MAX_BULK_WRITE_PAIRS, MAX_BULK_WRITE_BYTES);

    expect(batches.map((batch) => batch.length)).toEqual([10_000, 500]);
  });

  it('splitBulkWrite: keeps each body within the byte limit', () => {
    const maxBytes = 1_000;
    const batches = splitBulkWrite(items(50, 'x'.repeat(40)), 10_000, maxBytes);

    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) {
      expect(new TextEncoder().encode(JSON.stringify(batch)).byteLength).toBeLessThanOrEqual(
        maxBytes,
      );
    }
    expect(batches.flat().map((item) => item.key)).toEqual(items(50).map((item) => item.key));
  });

  it('splitBulkWrite: counts UTF-8 bytes, not characters', () => {
    const batches = splitBulkWrite(items(10, '€'.repeat(30)), 10_000, 500);

    for (const batch of batches) {
      expect(new TextEncoder().encode(JSON.stringify(batch)).byteLength).toBeLessThanOrEqual(500);
    }
  });

  it('splitBulkWrite: returns no batch for no items', () => {
    expect(splitBulkWrite([], 10, 100)).toEqual([]);
  });
});
