import type { TransportEvent } from '@cfkv/core';
import { describe, expect, it } from 'vitest';
import { countKvOperations } from '../src/kv-operations.js';

const EVENTS: TransportEvent[] = [
  { operation: 'list', table: 'mastra_messages', keyCount: 0 },
  { operation: 'getMany', table: 'mastra_messages', keyCount: 40 },
  { operation: 'putMany', table: 'mastra_messages', keyCount: 12_000 },
  { operation: 'deleteMany', table: 'mastra_messages', keyCount: 3 },
  { operation: 'getWithMetadata', table: 'mastra_threads', keyCount: 1 },
];

describe('counting: KV operations', () => {
  it('countKvOperations: splits REST bulk writes at 10,000 pairs', () => {
    const counts = countKvOperations(EVENTS, 'rest');
    expect(counts.bulkWrite).toBe(2);
    expect(counts.put).toBe(0);
    expect(counts.delete).toBe(1);
    expect(counts.total).toBe(6);
  });

  it('countKvOperations: counts one binding put per key', () => {
    const counts = countKvOperations(EVENTS, 'binding');
    expect(counts.put).toBe(12_000);
    expect(counts.bulkWrite).toBe(0);
    expect(counts.delete).toBe(3);
    expect(counts.bulkGetKeys).toBe(40);
  });

  it('countKvOperations: counts a bulk get of over 100 keys once per 100', () => {
    const counts = countKvOperations(
      [{ operation: 'getMany', table: 'mastra_messages', keyCount: 250 }],
      'binding',
    );
    expect(counts.bulkGet).toBe(3);
    expect(counts.bulkGetKeys).toBe(250);
  });
});
