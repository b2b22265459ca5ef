import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunk, mapWithConcurrency } from '../src/index.js';
import { captureError, captureRejection } from './support/capture-error.js';

describe('core: batching', () => {
  it('chunk: splits into ordered arrays of at most size items', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 20 }), (items, size) => {
        const chunks = chunk(items, size);
        expect(chunks.flat()).toEqual(items);
        expect(chunks.every((part) => part.length >= 1 && part.length <= size)).toBe(true);
        expect(chunks).toHaveLength(Math.ceil(items.length / size));
      }),
    );
  });

  it('chunk: rejects a size that is not a positive integer', () => {
    for (const size of [0, -1, 1.5, NaN]) {
      expect(captureError(() => chunk([1], size)).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('mapWithConcurrency: keeps input order', async () => {
    const items = Array.from({ length: 20 }, (_unused, index) => index);
    const results = await mapWithConcurrency(items, 3, async (item) => {
      await Promise.resolve();
      return item * 2;
    });

    expect(results).toEqual(items.map((item) => item * 2));
  });

  it('mapWithConcurrency: never exceeds the limit', async () => {
    let running = 0;
    let peak = 0;
    await mapWithConcurrency(Array.from({ length: 30 }), 4, async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => setImmediate(resolve));
      running -= 1;
    });

    expect(peak).toBe(4);
  });

  it('mapWithConcurrency: starts nothing after a failure', async () => {
    const started: number[] = [];
    const failure = mapWithConcurrency([0, 1, 2, 3, 4, 5], 1, async (item) => {
      started.push(item);
      if (item === 2) throw new Error('item 2 failed');
      return item;
    });

    await expect(failure).rejects.toThrow('item 2 failed');
    expect(started).toEqual([0, 1, 2]);
  });

  it('mapWithConcurrency: rejects a limit below 1', async () => {
    const error = await captureRejection(mapWithConcurrency([1], 0, async (item) => item));
    expect(error.code).toBe('INVALID_ARGUMENT');
  });

  it('mapWithConcurrency: returns an empty array for no items', async () => {
    expect(await mapWithConcurrency([], 5, async () => 1)).toEqual([]);
  });
});
