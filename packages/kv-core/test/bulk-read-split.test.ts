import { describe, expect, it } from 'vitest';
import { readBulkOrSplit } from '../src/bulk-read-split.js';

class TooLargeError extends Error {}

/** Builds a reader over a map whose bulk reads of more than `maxBulkKeys` keys fail as too large. */
function readerOver(values: Map<string, string>, maxBulkKeys: number) {
  const calls: string[] = [];
  return {
    calls,
    reader: {
      readBulk: async (keys: readonly string[]) => {
        calls.push(`bulk ${keys.length}`);
        if (keys.length > maxBulkKeys) throw new TooLargeError('too large');
        return new Map(keys.map((key) => [key, values.get(key) ?? null]));
      },
      readOne: async (key: string) => {
        calls.push(`one ${key}`);
        return values.get(key) ?? null;
      },
      isTooLarge: (error: unknown) => error instanceof TooLargeError,
    },
  };
}

const VALUES = new Map(Array.from({ length: 8 }, (_, index) => [`k${index}`, `value ${index}`]));
const KEYS = [...VALUES.keys()];

describe('readBulkOrSplit', () => {
  it('reads every key in one bulk read when it fits', async () => {
    const { reader, calls } = readerOver(VALUES, 100);

    const read = await readBulkOrSplit(KEYS, reader);

    expect([...read]).toEqual([...VALUES]);
    expect(calls).toEqual(['bulk 8']);
  });

  it('reads each half again after a too-large bulk read', async () => {
    const { reader, calls } = readerOver(VALUES, 4);

    const read = await readBulkOrSplit(KEYS, reader);

    expect(new Map(read)).toEqual(VALUES);
    expect(calls).toEqual(['bulk 8', 'bulk 4', 'bulk 4']);
  });

  it('falls back to single reads, keeping missing keys as null', async () => {
    const { reader, calls } = readerOver(VALUES, 0);

    const read = await readBulkOrSplit(['k0', 'missing', 'k1'], reader);

    expect(read.get('k0')).toBe('value 0');
    expect(read.get('missing')).toBeNull();
    expect(read.get('k1')).toBe('value 1');
    expect(calls.filter((call) => call.startsWith('one'))).toHaveLength(3);
  });

  it('rethrows any other failure without splitting', async () => {
    const { reader, calls } = readerOver(VALUES, 100);
    const failing = {
      ...reader,
      readBulk: async () => {
        calls.push('bulk');
        throw new Error('connection reset');
      },
    };

    await expect(readBulkOrSplit(KEYS, failing)).rejects.toThrow('connection reset');
    expect(calls).toEqual(['bulk']);
  });
});
