import { describe, expect, it } from 'vitest';
import {
  at,
  ids,
  makeMessage,
  makeThread,
  memoryOf,
  openStore,
  type CreateStore,
} from './store-fixture.js';
import { useStoreFixture } from './use-fixture.js';

export function describeMessageContract(name: string, createStore: CreateStore): void {
  describe(`${name}: memory messages`, () => {
    const fixture = useStoreFixture(createStore);

    async function seedThread(threadId: string, count: number) {
      const memory = memoryOf(fixture().store);
      await memory.saveThread({ thread: makeThread(threadId, 'resource-1', at(0)) });
      const messages = Array.from({ length: count }, (_, index) =>
        makeMessage(`m${index + 1}`, threadId, at((index + 1) * 1000)),
      );
      await memory.saveMessages({ messages });
      return memory;
    }

    it('listMessages: returns one thread in createdAt order', async () => {
      const memory = await seedThread('t1', 3);

      const result = await memory.listMessages({ threadId: 't1' });
      expect(ids(result.messages)).toEqual(['m1', 'm2', 'm3']);
      expect(result.total).toBe(3);
      expect(result.hasMore).toBe(false);
      expect(result.messages[0]?.createdAt).toBeInstanceOf(Date);
      expect(result.messages[0]?.threadId).toBe('t1');
      expect(result.messages[0]?.content).toEqual({
        format: 2,
        parts: [{ type: 'text', text: 'text of m1' }],
      });
    });

    it('listMessages: a null include means no include', async () => {
      const memory = await seedThread('t1', 2);

      const result = await memory.listMessages({ threadId: 't1', include: null as never });
      expect(ids(result.messages)).toEqual(['m1', 'm2']);
    });

    it('listMessages: keeps input order for equal createdAt', async () => {
      const memory = memoryOf(fixture().store);
      const createdAt = at(5);
      await memory.saveMessages({
        messages: ['z', 'a', 'm'].map((id) => makeMessage(id, 't1', createdAt)),
      });

      const ascending = await memory.listMessages({ threadId: 't1' });
      const descending = await memory.listMessages({
        threadId: 't1',
        orderBy: { field: 'createdAt', direction: 'DESC' },
      });
      expect(ids(ascending.messages)).toEqual(['z', 'a', 'm']);
      expect(ids(descending.messages)).toEqual(['m', 'a', 'z']);
    });

    it('listMessages: keeps input order for equal createdAt under random delays', async () => {
      for (let round = 0; round < 20; round += 1) {
        const { store } = openStore(fixture(), { faults: { failOn: () => undefined } });
        const delayed = withRandomDelays(store);
        const threadId = `t${round}`;
        await delayed.saveMessages({
          messages: ['z', 'a', 'm'].map((id) => makeMessage(`${id}${round}`, threadId, at(5))),
        });

        const result = await memoryOf(fixture().store).listMessages({ threadId });
        expect(ids(result.messages)).toEqual([`z${round}`, `a${round}`, `m${round}`]);
      }
    });

    it('listMessages: equal createdAt across batches lists the earlier batch first', async () => {
      const memory = memoryOf(fixture().store);
      await memory.saveMessages({ messages: [makeMessage('b1', 't1', at(5))] });
      await memory.saveMessages({ messages: [makeMessage('a2', 't1', at(5))] });
      await memory.saveMessages({ messages: [makeMessage('b1', 't1', at(5))] });

      const result = await memory.listMessages({ threadId: 't1' });
      expect(ids(result.messages)).toEqual(['b1', 'a2']);
    });

    it('listMessages: total and hasMore describe the whole thread', async () => {
      const memory = await seedThread('t1', 5);

      const first = await memory.listMessages({ threadId: 't1', perPage: 3, page: 0 });
      expect(ids(first.messages)).toEqual(['m1', 'm2', 'm3']);
      expect(first.total).toBe(5);
      expect(first.hasMore).toBe(true);
      const second = await memory.listMessages({ threadId: 't1', perPage: 3, page: 1 });
      expect(ids(second.messages)).toEqual(['m4', 'm5']);
      expect(second.hasMore).toBe(false);
      const included = await memory.listMessages({
        threadId: 't1',
        perPage: 3,
        page: 0,
        include: [{ id: 'm5', withPreviousMessages: 1 }],
      });
      expect(ids(included.messages)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
      expect(included.hasMore).toBe(false);
    });

    it('listMessages: total is exact with list pages of 2 keys', async () => {
      await seedThread('t1', 5);
      const { store } = openStore(fixture(), { faults: { listPageSize: 2 } });

      const result = await memoryOf(store).listMessages({ threadId: 't1', perPage: 3 });
      expect(result.total).toBe(5);
      expect(result.hasMore).toBe(true);
      const all = await memoryOf(store).listMessages({ threadId: 't1', perPage: false });
      expect(ids(all.messages)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    });

    it('listMessages: the last N are the newest', async () => {
      const memory = await seedThread('t1', 7);

      const result = await memory.listMessages({
        threadId: 't1',
        perPage: 3,
        page: 0,
        orderBy: { field: 'createdAt', direction: 'DESC' },
      });
      expect(ids(result.messages)).toEqual(['m7', 'm6', 'm5']);
    });

    it('listMessages: pagination edges', async () => {
      const memory = await seedThread('t1', 5);

      const empty = await memory.listMessages({ threadId: 'nothing-here' });
      expect(empty.messages).toEqual([]);
      expect(empty.total).toBe(0);
      expect(empty.hasMore).toBe(false);
      const last = await memory.listMessages({ threadId: 't1', perPage: 2, page: 2 });
      expect(ids(last.messages)).toEqual(['m5']);
      expect(last.hasMore).toBe(false);
      const past = await memory.listMessages({ threadId: 't1', perPage: 2, page: 9 });
      expect(past.messages).toEqual([]);
      expect(past.total).toBe(5);
      expect(past.hasMore).toBe(false);
      const all = await memory.listMessages({ threadId: 't1', perPage: false, page: 0 });
      expect(all.messages).toHaveLength(5);
      expect(all.perPage).toBe(false);
      const allWithoutTotal = await memory.listMessages({
        threadId: 't1',
        perPage: false,
        includeTotal: false,
      });
      expect(ids(allWithoutTotal.messages)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
      expect(allWithoutTotal.hasMore).toBe(false);
      // With perPage false, Mastra ignores the page and lists from the start.
      const allFromPage2 = await memory.listMessages({ threadId: 't1', perPage: false, page: 2 });
      expect(allFromPage2.messages).toHaveLength(5);
      const none = await memory.listMessages({ threadId: 't1', perPage: 0 });
      expect(none.messages).toEqual([]);
      expect(none.hasMore).toBe(false);
    });

    it('listMessages: includeTotal false reads only the page', async () => {
      await seedThread('t1', 120);
      const { store, faults } = openStore(fixture(), { faults: { listPageSize: 2 } });

      const result = await memoryOf(store).listMessages({
        threadId: 't1',
        perPage: 3,
        includeTotal: false,
        orderBy: { field: 'createdAt', direction: 'DESC' },
      });
      expect(ids(result.messages)).toEqual(['m120', 'm119', 'm118']);
      expect(result.hasMore).toBe(true);
      expect(faults.counters.byOperation.list).toBeLessThan(60);
    });

    it('listMessages: filters by date range with exclusive bounds', async () => {
      const memory = await seedThread('t1', 5);
      const list = (dateRange: object) =>
        memory.listMessages({ threadId: 't1', filter: { dateRange } }).then((r) => ids(r.messages));

      expect(await list({ start: at(2000), end: at(4000) })).toEqual(['m2', 'm3', 'm4']);
      expect(
        await list({ start: at(2000), end: at(4000), startExclusive: true, endExclusive: true }),
      ).toEqual(['m3']);
      expect(await list({ start: at(4500) })).toEqual(['m5']);
      expect(await list({ end: at(1000) })).toEqual(['m1']);
    });

    it('listMessages: includes a window around a message of another thread', async () => {
      const memory = await seedThread('t1', 7);
      await memory.saveMessages({ messages: [makeMessage('other', 't2', at(500))] });

      const result = await memory.listMessages({
        threadId: 't2',
        include: [{ id: 'm4', withPreviousMessages: 2, withNextMessages: 1 }],
      });
      expect(ids(result.messages)).toEqual(['other', 'm2', 'm3', 'm4', 'm5']);
      expect(result.total).toBe(1);
    });

    it('listMessages: an include deep in a long thread costs a few list calls', async () => {
      await seedThread('t1', 1_100);
      const { store, faults } = openStore(fixture());

      const result = await memoryOf(store).listMessages({
        threadId: 't1',
        perPage: 0,
        includeTotal: false,
        include: [{ id: 'm60', withPreviousMessages: 5, withNextMessages: 5 }],
      });
      expect(ids(result.messages)).toEqual(
        Array.from({ length: 11 }, (_, index) => `m${55 + index}`),
      );
      expect(faults.counters.byOperation.list).toBeLessThanOrEqual(4);
    }, 60_000);

    it('listMessages: lists several threads merged in order', async () => {
      const memory = memoryOf(fixture().store);
      await memory.saveMessages({
        messages: [
          makeMessage('a1', 'ta', at(1)),
          makeMessage('b1', 'tb', at(2)),
          makeMessage('a2', 'ta', at(3)),
          makeMessage('c1', 'tc', at(0)),
        ],
      });

      const result = await memory.listMessages({ threadId: ['ta', 'tb'], perPage: 2 });
      expect(ids(result.messages)).toEqual(['a1', 'b1']);
      expect(result.total).toBe(3);
      expect(result.hasMore).toBe(true);
    });

    it('listMessages: filters by resourceId', async () => {
      const memory = memoryOf(fixture().store);
      await memory.saveMessages({
        messages: [
          makeMessage('m1', 't1', at(1), { resourceId: 'r1' }),
          makeMessage('m2', 't1', at(2), { resourceId: 'r2' }),
        ],
      });

      const result = await memory.listMessages({ threadId: 't1', resourceId: 'r2' });
      expect(ids(result.messages)).toEqual(['m2']);
      expect(result.total).toBe(1);
    });

    it('listMessagesById: returns existing messages only', async () => {
      const memory = await seedThread('t1', 3);

      const result = await memory.listMessagesById({ messageIds: ['m3', 'missing', 'm1'] });
      expect(ids(result.messages).sort()).toEqual(['m1', 'm3']);
      expect(result.messages[0]?.createdAt).toBeInstanceOf(Date);
    });

    it('saveMessages: upserts by id without duplicating', async () => {
      const memory = await seedThread('t1', 2);

      await memory.saveMessages({
        messages: [makeMessage('m1', 't1', at(1000), { role: 'assistant' })],
      });
      const result = await memory.listMessages({ threadId: 't1' });
      expect(ids(result.messages)).toEqual(['m1', 'm2']);
      expect(result.messages[0]?.role).toBe('assistant');
    });

    it('saveMessages: a message id that is a key word does not collide', async () => {
      const memory = memoryOf(fixture().store);
      await memory.saveMessages({
        messages: [
          makeMessage('messages', 't', at(1)),
          makeMessage('record', 't', at(2)),
          makeMessage('thread-order', 't', at(3)),
          makeMessage('m1', 't', at(4)),
        ],
      });

      const result = await memory.listMessages({ threadId: 't' });
      expect(ids(result.messages)).toEqual(['messages', 'record', 'thread-order', 'm1']);
    });

    it('updateMessages: merges content and moves between threads', async () => {
      const memory = await seedThread('t1', 3);
      await memory.saveThread({ thread: makeThread('t2', 'resource-1', at(0)) });

      const updated = await memory.updateMessages({
        messages: [
          { id: 'm2', threadId: 't2', content: { metadata: { flag: true } } as never },
          { id: 'missing', role: 'assistant' },
        ],
      });
      expect(ids(updated)).toEqual(['m2']);
      const first = await memory.listMessages({ threadId: 't1' });
      const second = await memory.listMessages({ threadId: 't2' });
      expect(ids(first.messages)).toEqual(['m1', 'm3']);
      expect(ids(second.messages)).toEqual(['m2']);
      expect(second.messages[0]?.content).toMatchObject({
        format: 2,
        metadata: { flag: true },
      });
    });

    it('deleteMessages: removes messages and their order entries', async () => {
      const memory = await seedThread('t1', 3);

      await memory.deleteMessages(['m2', 'missing']);
      const result = await memory.listMessages({ threadId: 't1' });
      expect(ids(result.messages)).toEqual(['m1', 'm3']);
      expect(result.total).toBe(2);
      const byId = await memory.listMessagesById({ messageIds: ['m2'] });
      expect(byId.messages).toEqual([]);
    });
  });
}

/** Wraps a store's transport calls in random event-loop turns, so writes finish out of order. */
function withRandomDelays(store: ReturnType<typeof openStore>['store']) {
  const memory = memoryOf(store);
  const transport = store.transport as unknown as Record<string, unknown>;
  for (const method of ['put', 'putMany', 'delete', 'deleteMany']) {
    const original = transport[method] as (...args: unknown[]) => Promise<unknown>;
    transport[method] = async (...args: unknown[]) => {
      const turns = Math.floor(Math.random() * 5);
      for (let turn = 0; turn < turns; turn += 1) await new Promise(setImmediate);
      return original.apply(store.transport, args);
    };
  }
  return memory;
}
