import { KeySchema } from '@cfkv/core';
import { TABLE_MESSAGES, TABLE_THREADS } from '@mastra/core/storage';
import { describe, expect, it } from 'vitest';
import { countWholeTableLists } from '../src/whole-table-lists.js';

const KEY_PREFIX = 'bench';
const keys = new KeySchema(KEY_PREFIX);

function wholeTableLists(table: string, prefix: string): number {
  return countWholeTableLists([{ table, prefix }], KEY_PREFIX);
}

describe('counting: whole-table lists', () => {
  it("countWholeTableLists: flags the table's own prefix", () => {
    expect(wholeTableLists(TABLE_THREADS, keys.prefix(TABLE_THREADS))).toBe(1);
  });

  it('countWholeTableLists: flags an empty prefix and the key prefix alone', () => {
    expect(wholeTableLists(TABLE_THREADS, '')).toBe(1);
    expect(wholeTableLists(TABLE_THREADS, KEY_PREFIX)).toBe(1);
  });

  it('countWholeTableLists: flags a prefix shorter than the table name', () => {
    expect(wholeTableLists(TABLE_THREADS, `${KEY_PREFIX}mastra_thr`)).toBe(1);
  });

  it('countWholeTableLists: flags an index without an owner', () => {
    expect(wholeTableLists(TABLE_THREADS, keys.prefix(TABLE_THREADS, ['record']))).toBe(1);
    expect(wholeTableLists(TABLE_MESSAGES, keys.prefix(TABLE_MESSAGES, ['by-thread']))).toBe(1);
  });

  it("countWholeTableLists: passes one owner's index", () => {
    const owner = keys.prefix(TABLE_THREADS, ['by-resource', 'resource-1']);
    const ordered = keys.prefix(TABLE_MESSAGES, ['by-thread', 'thread-1', 'a']);
    expect(wholeTableLists(TABLE_THREADS, owner)).toBe(0);
    expect(wholeTableLists(TABLE_MESSAGES, ordered)).toBe(0);
  });

  it('countWholeTableLists: passes an owner whose id is empty or holds a colon', () => {
    expect(wholeTableLists(TABLE_THREADS, keys.prefix(TABLE_THREADS, ['by-resource', '']))).toBe(0);
    expect(wholeTableLists(TABLE_THREADS, keys.prefix(TABLE_THREADS, ['by-resource', 'a:b']))).toBe(
      0,
    );
  });

  it('countWholeTableLists: counts each flagged call', () => {
    const calls = [
      { table: TABLE_THREADS, prefix: keys.prefix(TABLE_THREADS) },
      { table: TABLE_THREADS, prefix: keys.prefix(TABLE_THREADS, ['by-resource', 'r']) },
      { table: TABLE_MESSAGES, prefix: keys.prefix(TABLE_MESSAGES) },
    ];
    expect(countWholeTableLists(calls, KEY_PREFIX)).toBe(2);
  });
});
