import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KeySchema,
  OperationCounter,
  SortedSet,
  observeTransport,
  readWindow,
  type SortedSetEntry,
  type Transport,
} from '../src/index.js';
import {
  randomPrefix,
  startMiniflareTransport,
  type MiniflareTransport,
} from './support/miniflare-transport.js';

const BASE_MS = Date.UTC(2026, 0, 1);

describe('miniflare: sorted set window', () => {
  let kv: MiniflareTransport;
  beforeAll(async () => {
    kv = await startMiniflareTransport();
  });
  afterAll(() => kv.dispose());

  function createSet(transport: Transport = kv.transport): SortedSet {
    return new SortedSet({
      transport,
      keys: new KeySchema(randomPrefix()),
      table: kv.table,
      index: 'messages',
      ownerField: 'threadId',
      memberField: 'messageId',
    });
  }

  /** Entries with the given scores, in ascending order, tiebreak = position. */
  function entriesAt(scores: readonly number[]): SortedSetEntry[] {
    return [...scores]
      .sort((left, right) => left - right)
      .map((score, index) => ({
        member: `m${String(index).padStart(5, '0')}`,
        score,
        tiebreak: index,
        metadata: { isKept: index % 3 !== 0 },
      }));
  }

  function expectedWindow(
    sorted: readonly SortedSetEntry[],
    position: number,
    below: number,
    above: number,
    accept: (entry: SortedSetEntry) => boolean = () => true,
  ) {
    const lower = sorted.slice(0, position).filter(accept);
    const higher = sorted.slice(position + 1).filter(accept);
    return {
      below: lower.slice(Math.max(0, lower.length - below)).map((entry) => entry.member),
      above: higher.slice(0, above).map((entry) => entry.member),
    };
  }

  async function windowOf(
    set: SortedSet,
    center: SortedSetEntry,
    below: number,
    above: number,
    accept?: (entry: SortedSetEntry) => boolean,
  ) {
    const window = await readWindow(set, 't', center, { below, above, accept });
    return {
      found: window.found,
      below: window.below.map((entry) => entry.member),
      above: window.above.map((entry) => entry.member),
    };
  }

  describe('a set of 2,500 entries with bursts, gaps and equal scores', () => {
    let set: SortedSet;
    let sorted: SortedSetEntry[];
    const counter = new OperationCounter();

    beforeAll(async () => {
      const scores: number[] = [];
      // One entry a second, a burst of 1,200 within two seconds, an hour's gap, and 300 equal scores.
      for (let n = 0; n < 700; n++) scores.push(BASE_MS + n * 1000);
      for (let n = 0; n < 1200; n++) scores.push(BASE_MS + 800_000 + Math.floor(n / 600) * 1000);
      for (let n = 0; n < 300; n++) scores.push(BASE_MS + 4_600_000 + n * 7919);
      for (let n = 0; n < 300; n++) scores.push(BASE_MS + 9_000_000);
      sorted = entriesAt(scores);
      set = createSet(observeTransport(kv.transport, counter.listener));
      await set.add('t', sorted);
    }, 120_000);

    it('readWindow: matches a slice of the sorted entries at every kind of position', async () => {
      const isKept = (entry: SortedSetEntry) =>
        (entry.metadata as { isKept: boolean } | undefined)?.isKept === true;
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: sorted.length - 1 }),
          fc.integer({ min: 0, max: 40 }),
          fc.integer({ min: 0, max: 40 }),
          fc.boolean(),
          async (position, below, above, filtered) => {
            const accept = filtered ? isKept : undefined;
            const actual = await windowOf(set, sorted[position]!, below, above, accept);
            expect(actual).toEqual({
              found: true,
              ...expectedWindow(sorted, position, below, above, accept),
            });
          },
        ),
        { numRuns: 60 },
      );
    }, 120_000);

    it('readWindow: the ends of the set give shorter sides', async () => {
      expect(await windowOf(set, sorted[0]!, 5, 2)).toEqual({
        found: true,
        below: [],
        above: ['m00001', 'm00002'],
      });
      const last = sorted.length - 1;
      expect(await windowOf(set, sorted[last]!, 2, 5)).toEqual({
        found: true,
        below: [sorted[last - 2]!.member, sorted[last - 1]!.member],
        above: [],
      });
    });

    it('readWindow: a center deep in the set costs a few list calls', async () => {
      const costs: number[] = [];
      for (const position of [350, 1000, 1500, 2000, 2300]) {
        counter.reset();
        const actual = await windowOf(set, sorted[position]!, 5, 5);
        expect(actual).toEqual({ found: true, ...expectedWindow(sorted, position, 5, 5) });
        costs.push(counter.snapshot().byOperation.list.calls);
      }
      for (const calls of costs) expect(calls).toBeLessThanOrEqual(8);
    });

    it('readWindow: a center that is not in the set is not found', async () => {
      const absent = { ...sorted[1500]!, tiebreak: 99_999 };
      expect(await windowOf(set, absent, 5, 5)).toEqual({ found: false, below: [], above: [] });
      expect(await windowOf(set, absent, 0, 0)).toEqual({ found: false, below: [], above: [] });
    });
  });

  it('readWindow: centers next to every bucket edge read on into the next bucket', async () => {
    const counter = new OperationCounter();
    const set = createSet(observeTransport(kv.transport, counter.listener));
    const sorted = entriesAt(Array.from({ length: 1400 }, (_, n) => BASE_MS + n * 1000));
    await set.add('t', sorted);

    let maxCalls = 0;
    for (let position = 100; position < 300; position++) {
      counter.reset();
      expect(await windowOf(set, sorted[position]!, 5, 5)).toEqual({
        found: true,
        ...expectedWindow(sorted, position, 5, 5),
      });
      maxCalls = Math.max(maxCalls, counter.snapshot().byOperation.list.calls);
    }
    expect(maxCalls).toBeLessThanOrEqual(5);
  }, 120_000);

  it('readWindow: centers at the bottom cost few lists', async () => {
    const counter = new OperationCounter();
    const set = createSet(observeTransport(kv.transport, counter.listener));
    const sorted = entriesAt(Array.from({ length: 2_000 }, (_, n) => BASE_MS + n * 1000));
    await set.add('t', sorted);

    for (const position of [0, 1, 4, 5, 6, 30]) {
      counter.reset();
      expect(await windowOf(set, sorted[position]!, 5, 5)).toEqual({
        found: true,
        ...expectedWindow(sorted, position, 5, 5),
      });
      expect(counter.snapshot().byOperation.list.calls).toBeLessThanOrEqual(5);
    }
  }, 120_000);

  it('readWindow: a set of 50 entries costs one list call', async () => {
    const counter = new OperationCounter();
    const set = createSet(observeTransport(kv.transport, counter.listener));
    const sorted = entriesAt(Array.from({ length: 50 }, (_, n) => BASE_MS + n * 60_000));
    await set.add('t', sorted);

    counter.reset();
    const actual = await windowOf(set, sorted[20]!, 3, 3);
    expect(actual).toEqual({ found: true, ...expectedWindow(sorted, 20, 3, 3) });
    expect(counter.snapshot().byOperation.list.calls).toBe(1);
  });

  it('readWindow: negative and fractional scores keep their order', async () => {
    const set = createSet();
    const scores = Array.from({ length: 1300 }, (_, n) => (n - 650) * 0.37);
    const sorted = entriesAt(scores);
    await set.add('t', sorted);

    for (const position of [0, 10, 649, 650, 651, 1299]) {
      expect(await windowOf(set, sorted[position]!, 4, 4)).toEqual({
        found: true,
        ...expectedWindow(sorted, position, 4, 4),
      });
    }
  }, 60_000);
});
