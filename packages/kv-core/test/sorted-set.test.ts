import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KeySchema,
  OperationCounter,
  SortedSet,
  collectAllKeys,
  observeTransport,
  type SortedSetEntry,
  type Transport,
} from '../src/index.js';
import { captureRejection } from './support/capture-error.js';
import {
  randomPrefix,
  startMiniflareTransport,
  withListPageSize,
  type MiniflareTransport,
} from './support/miniflare-transport.js';

describe('miniflare: sorted set', () => {
  let kv: MiniflareTransport;
  beforeAll(async () => {
    kv = await startMiniflareTransport();
  });
  afterAll(() => kv.dispose());

  function createSet(transport: Transport = kv.transport) {
    const keys = new KeySchema(randomPrefix());
    const set = new SortedSet({
      transport,
      keys,
      table: kv.table,
      index: 'messages',
      ownerField: 'threadId',
      memberField: 'messageId',
    });
    return { set, keys };
  }

  async function members(set: SortedSet, owner: string, direction: 'asc' | 'desc') {
    return (await set.range(owner, { direction })).map((entry) => entry.member);
  }

  function entries(count: number, score = (index: number) => index): SortedSetEntry[] {
    return Array.from({ length: count }, (_unused, index) => ({
      member: `m${String(index).padStart(3, '0')}`,
      score: score(index),
      tiebreak: index,
    }));
  }

  it('toKvEntries: entries written by a caller are read back by range', async () => {
    const { set } = createSet();
    const members = entries(3);

    await kv.transport.putMany(kv.table, set.toKvEntries('t1', members));

    const listed = await set.range('t1', { direction: 'desc' });
    expect(listed.map((entry) => entry.member)).toEqual(['m002', 'm001', 'm000']);
  });

  it('entryKeys: names every key add writes, in both directions', async () => {
    const { set, keys } = createSet();
    const members = entries(2);
    await set.add('t1', members);

    const listed = await collectAllKeys(kv.transport, kv.table, keys.prefix(kv.table));
    expect(set.entryKeys('t1', members).sort()).toEqual(listed.map((key) => key.name).sort());
  });

  it('range: orders by score in both directions', async () => {
    const { set } = createSet();
    const dates = ['2030-01-01', '1969-12-31', '1900-06-01', '2024-03-10', '9999-12-31'];
    await set.add(
      't',
      dates.map((date, index) => ({ member: date, score: Date.parse(date), tiebreak: index })),
    );

    const ascending = [...dates].sort();
    expect(await members(set, 't', 'asc')).toEqual(ascending);
    expect(await members(set, 't', 'desc')).toEqual([...ascending].reverse());
  });

  it('range: keeps insertion order for equal scores', async () => {
    const { set } = createSet();
    const score = Date.parse('2024-03-10T00:00:00Z');
    await set.add('t', [
      { member: 'z', score, tiebreak: 0 },
      { member: 'a', score, tiebreak: 1 },
      { member: 'm', score, tiebreak: 2 },
    ]);

    expect(await members(set, 't', 'asc')).toEqual(['z', 'a', 'm']);
    expect(await members(set, 't', 'desc')).toEqual(['m', 'a', 'z']);
  });

  it('range: returns score, tiebreak and metadata', async () => {
    const { set } = createSet();
    const added: SortedSetEntry[] = [
      { member: 'm1', score: -5.5, tiebreak: 3, metadata: { role: 'user', at: 'x' } },
      { member: 'm2', score: 1e15, tiebreak: Number.MAX_SAFE_INTEGER },
    ];
    await set.add('t', added);

    expect(await set.range('t', { direction: 'asc' })).toEqual(added);
    expect(await set.range('t', { direction: 'desc' })).toEqual([...added].reverse());
  });

  it('range: matches a sort by score then tiebreak', async () => {
    const entry = fc.record({
      score: fc.oneof(fc.integer({ min: -1e13, max: 1e13 }), fc.constantFrom(0, 1, 2)),
      tiebreak: fc.nat({ max: 1000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 12 }), async (generated) => {
        const { set } = createSet();
        const added = generated.map((item, index) => ({ ...item, member: `m${index}` }));
        await set.add('t', added);

        const expected = [...added]
          .sort(
            (a, b) =>
              a.score - b.score || a.tiebreak - b.tiebreak || compareText(a.member, b.member),
          )
          .map((item) => item.member);
        expect(await members(set, 't', 'asc')).toEqual(expected);
        const descending = [...added]
          .sort(
            (a, b) =>
              b.score - a.score || b.tiebreak - a.tiebreak || compareText(a.member, b.member),
          )
          .map((item) => item.member);
        expect(await members(set, 't', 'desc')).toEqual(descending);
      }),
      { numRuns: 15 },
    );
  });

  it('range: applies offset and limit', async () => {
    const { set } = createSet();
    await set.add('t', entries(12));

    const page = await set.range('t', { direction: 'desc', offset: 3, limit: 4 });
    expect(page.map((item) => item.member)).toEqual(['m008', 'm007', 'm006', 'm005']);
    expect(await set.range('t', { direction: 'asc', offset: 10, limit: 5 })).toHaveLength(2);
    expect(await set.range('t', { direction: 'asc', offset: 20 })).toEqual([]);
    expect(await set.range('t', { direction: 'asc', limit: 0 })).toEqual([]);
  });

  it('range: lists only the pages it needs', async () => {
    const counter = new OperationCounter();
    const transport = observeTransport(withListPageSize(kv.transport, 10), counter.listener);
    const { set } = createSet(transport);
    await set.add('t', entries(45));

    counter.reset();
    const page = await set.range('t', { direction: 'asc', offset: 12, limit: 5 });
    expect(page.map((item) => item.member)).toEqual(['m012', 'm013', 'm014', 'm015', 'm016']);
    expect(counter.snapshot().byOperation.list.calls).toBe(2);

    counter.reset();
    await set.range('t', { direction: 'desc', limit: 3 });
    expect(counter.snapshot().byOperation.list.calls).toBe(1);
  });

  it('range: asks for no more keys than it returns', async () => {
    const calls: (number | undefined)[] = [];
    const transport: Transport = {
      ...kv.transport,
      list: (table, options = {}) => {
        calls.push(options.limit);
        return kv.transport.list(table, options);
      },
    };
    const { set } = createSet(transport);
    await set.add('t', entries(5));

    await set.range('t', { direction: 'asc', offset: 1, limit: 2 });
    expect(calls).toEqual([3]);
  });

  it('count: counts across pages', async () => {
    const counter = new OperationCounter();
    const transport = observeTransport(withListPageSize(kv.transport, 10), counter.listener);
    const { set } = createSet(transport);
    await set.add('t', entries(25));

    counter.reset();
    expect(await set.count('t')).toBe(25);
    expect(counter.snapshot().byOperation.list.calls).toBe(3);
    expect(await set.count('empty')).toBe(0);
  });

  it('add: writes every key in one putMany', async () => {
    const counter = new OperationCounter();
    const { set } = createSet(observeTransport(kv.transport, counter.listener));

    await set.add('t', entries(30));
    const counts = counter.snapshot();
    expect(counts.calls).toBe(1);
    expect(counts.byOperation.putMany).toEqual({ calls: 1, keys: 60, maxKeys: 60 });
  });

  it('add: makes no call for no members', async () => {
    const counter = new OperationCounter();
    const { set } = createSet(observeTransport(kv.transport, counter.listener));

    await set.add('t', []);
    await set.remove('t', []);
    expect(counter.snapshot().calls).toBe(0);
  });

  it('add: loses nothing under concurrent writers', async () => {
    const { set, keys } = createSet();
    const other = new SortedSet({
      transport: kv.transport,
      keys,
      table: kv.table,
      index: 'messages',
    });
    const first = entries(20);
    const second = entries(20, (index) => index + 0.5).map((item) => ({
      ...item,
      member: `n${item.member}`,
    }));

    await Promise.all([set.add('t', first), other.add('t', second)]);
    expect(await set.count('t')).toBe(40);
    expect(new Set(await members(set, 't', 'asc')).size).toBe(40);
  });

  it('remove: deletes both keys in one deleteMany', async () => {
    const counter = new OperationCounter();
    const { set } = createSet(observeTransport(kv.transport, counter.listener));
    const added = entries(4);
    await set.add('t', added);

    counter.reset();
    await set.remove('t', [added[1] as SortedSetEntry, added[2] as SortedSetEntry]);
    expect(counter.snapshot().byOperation.deleteMany).toEqual({ calls: 1, keys: 4, maxKeys: 4 });
    expect(await members(set, 't', 'asc')).toEqual(['m000', 'm003']);
    expect(await members(set, 't', 'desc')).toEqual(['m003', 'm000']);
  });

  it('range: round-trips ids with separators and escapes', async () => {
    const { set } = createSet();
    const ids = ['a:b', '50%', 'x%3Ay', '/lead', 'q?x#y', 'ünï €', '..', '', 'a\u001fb'];
    for (const owner of ids) {
      await set.add(
        owner,
        ids.map((member, index) => ({ member, score: 1, tiebreak: index })),
      );
    }

    for (const owner of ids) {
      expect(await members(set, owner, 'asc')).toEqual(ids);
      expect(await set.count(owner)).toBe(ids.length);
    }
  });

  it('removeOwner: removes only that owner', async () => {
    const { set, keys } = createSet();
    for (const owner of ['a', 'a:b', 'ab', 'x:y', 'x%3Ay']) await set.add(owner, entries(3));

    await set.removeOwner('a');
    await set.removeOwner('x:y');
    expect(await set.count('a')).toBe(0);
    expect(await set.count('x:y')).toBe(0);
    expect(await set.count('a:b')).toBe(3);
    expect(await set.count('ab')).toBe(3);
    expect(await set.count('x%3Ay')).toBe(3);
    const left = await collectAllKeys(kv.transport, kv.table, keys.prefix(kv.table));
    expect(left).toHaveLength(3 * 3 * 2);
  });

  it('removeOwner: deletes across list pages', async () => {
    const { set, keys } = createSet(withListPageSize(kv.transport, 7));
    await set.add('t', entries(20));

    const removed = await set.removeOwner('t');

    expect(await collectAllKeys(kv.transport, kv.table, keys.prefix(kv.table))).toEqual([]);
    expect(removed.sort()).toEqual(
      entries(20)
        .map((entry) => entry.member)
        .sort(),
    );
  });

  it('removeOwner: returns members named by one direction only', async () => {
    const { set } = createSet();
    const [whole, halfWritten] = [
      { member: 'a:b', score: 1, tiebreak: 1 },
      { member: 'c', score: 2, tiebreak: 2 },
    ];
    await set.add('t', [whole]);
    const [, descendingKey] = set.entryKeys('t', [halfWritten]);
    await kv.transport.put(kv.table, descendingKey!, '');

    expect((await set.removeOwner('t')).sort()).toEqual(['a:b', 'c']);
  });

  it('add: rejects metadata over 1024 bytes before writing', async () => {
    const { set, keys } = createSet();
    const metadata = { text: 'x'.repeat(1100) };

    const error = await captureRejection(
      set.add('t', [...entries(2), { member: 'big', score: 1, tiebreak: 9, metadata }]),
    );
    expect(error.code).toBe('METADATA_TOO_LARGE');
    expect(error.limit).toBe(1024);
    expect(await collectAllKeys(kv.transport, kv.table, keys.prefix(kv.table))).toEqual([]);
  });

  it('add: names the id that makes a key too long', async () => {
    const { set, keys } = createSet();
    const long = '€'.repeat(170);

    const ownerError = await captureRejection(set.add(long, entries(1)));
    expect(ownerError.code).toBe('KEY_TOO_LARGE');
    expect(ownerError.field).toBe('threadId');
    const memberError = await captureRejection(
      set.add('t', [{ member: long, score: 0, tiebreak: 0 }]),
    );
    expect(memberError.field).toBe('messageId');
    expect(await collectAllKeys(kv.transport, kv.table, keys.prefix(kv.table))).toEqual([]);
  });

  it('range, count, removeOwner: name an owner too long for any key', async () => {
    const { set } = createSet();
    const counter = new OperationCounter();
    const observed = new SortedSet({
      transport: observeTransport(kv.transport, counter.listener),
      keys: new KeySchema(randomPrefix()),
      table: kv.table,
      index: 'messages',
      ownerField: 'threadId',
    });
    const long = 'x'.repeat(500);

    for (const call of [
      () => observed.range(long, { direction: 'asc' }),
      () => observed.range(long, { direction: 'desc' }),
      () => observed.count(long),
      () => observed.removeOwner(long),
    ]) {
      const error = await captureRejection(call());
      expect(error.code).toBe('KEY_TOO_LARGE');
      expect(error.field).toBe('threadId');
    }
    expect(counter.snapshot().events).toEqual([]);
    expect(await members(set, 'x'.repeat(400), 'asc')).toEqual([]);
  });

  it('add: rejects a score that is not finite', async () => {
    const { set } = createSet();
    const error = await captureRejection(set.add('t', [{ member: 'm', score: NaN, tiebreak: 0 }]));
    expect(error.code).toBe('INVALID_ARGUMENT');
  });

  it('range: rejects a negative offset', async () => {
    const { set } = createSet();
    const error = await captureRejection(set.range('t', { direction: 'asc', offset: -1 }));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('offset');
  });
});

function compareText(first: string, second: string): number {
  if (first === second) return 0;
  return first < second ? -1 : 1;
}
