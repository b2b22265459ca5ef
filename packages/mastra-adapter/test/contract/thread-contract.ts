import { describe, expect, it } from 'vitest';
import { at, ids, makeMessage, makeThread, memoryOf, type CreateStore } from './store-fixture.js';
import { useStoreFixture } from './use-fixture.js';

export function describeThreadContract(name: string, createStore: CreateStore): void {
  describe(`${name}: memory threads`, () => {
    const fixture = useStoreFixture(createStore);

    it('saveThread: round-trips through getThreadById', async () => {
      const memory = memoryOf(fixture().store);
      await memory.saveThread({
        thread: makeThread('t1', 'r1', at(0), { title: 'hello', metadata: { a: 1 } }),
      });

      const thread = await memory.getThreadById({ threadId: 't1' });
      expect(thread?.title).toBe('hello');
      expect(thread?.resourceId).toBe('r1');
      expect(thread?.metadata).toEqual({ a: 1 });
      expect(thread?.createdAt).toBeInstanceOf(Date);
      expect(thread?.createdAt.getTime()).toBe(at(0).getTime());
    });

    it('getThreadById: returns null for a missing thread or another resource', async () => {
      const memory = memoryOf(fixture().store);
      await memory.saveThread({ thread: makeThread('t1', 'r1', at(0)) });

      expect(await memory.getThreadById({ threadId: 'missing' })).toBeNull();
      expect(await memory.getThreadById({ threadId: 't1', resourceId: 'r2' })).toBeNull();
      expect(await memory.getThreadById({ threadId: 't1', resourceId: 'r1' })).not.toBeNull();
    });

    it('saveThread: dates come back as Dates from every read path', async () => {
      const memory = memoryOf(fixture().store);
      const createdAt = new Date('2024-03-10T01:59:59.999+05:00');
      const nested = new Date('2024-01-02T03:04:05.006Z');
      const thread = makeThread('t1', 'r1', createdAt, { metadata: { seenAt: nested } });

      const saved = await memory.saveThread({ thread });
      const read = await memory.getThreadById({ threadId: 't1' });
      const listed = await memory.listThreads({ filter: { resourceId: 'r1' } });

      for (const result of [saved, read, listed.threads[0]]) {
        expect(result?.createdAt).toBeInstanceOf(Date);
        expect(result?.createdAt.getTime()).toBe(createdAt.getTime());
        expect(result?.updatedAt).toBeInstanceOf(Date);
        expect(result?.metadata?.seenAt).toBe(nested.toISOString());
      }
    });

    it('saveThread: upserts by id and moves to a new resource', async () => {
      const memory = memoryOf(fixture().store);
      await memory.saveThread({ thread: makeThread('t1', 'r1', at(0)) });
      await memory.saveThread({ thread: makeThread('t1', 'r2', at(0), { title: 'moved' }) });

      const first = await memory.listThreads({ filter: { resourceId: 'r1' } });
      const second = await memory.listThreads({ filter: { resourceId: 'r2' } });
      expect(first.threads).toEqual([]);
      expect(first.total).toBe(0);
      expect(ids(second.threads)).toEqual(['t1']);
      expect(second.threads[0]?.title).toBe('moved');
    });

    it('updateThread: sets title, merges metadata and moves updatedAt', async () => {
      const memory = memoryOf(fixture().store);
      await memory.saveThread({ thread: makeThread('t1', 'r1', at(0), { metadata: { a: 1 } }) });

      const updated = await memory.updateThread({ id: 't1', title: 'new', metadata: { b: 2 } });
      expect(updated.title).toBe('new');
      expect(updated.metadata).toEqual({ a: 1, b: 2 });
      expect(updated.updatedAt.getTime()).toBeGreaterThan(at(0).getTime());

      const partial = await memory.updateThread({ id: 't1', metadata: { c: 3 } });
      expect(partial.title).toBe('new');
      const read = await memory.getThreadById({ threadId: 't1' });
      expect(read?.metadata).toEqual({ a: 1, b: 2, c: 3 });
    });

    it('updateThread: rejects a missing thread as a user error', async () => {
      const memory = memoryOf(fixture().store);

      await expect(memory.updateThread({ id: 'missing', title: 'x' })).rejects.toMatchObject({
        id: 'CLOUDFLARE_KV_UPDATE_THREAD_FAILED',
        category: 'USER',
      });
    });

    it('listThreads: pages by resource with totals and edges', async () => {
      const memory = memoryOf(fixture().store);
      for (let index = 0; index < 5; index += 1) {
        await memory.saveThread({ thread: makeThread(`t${index}`, 'r1', at(index)) });
      }
      await memory.saveThread({ thread: makeThread('other', 'r2', at(0)) });
      const list = (page: number, perPage: number | false) =>
        memory.listThreads({
          filter: { resourceId: 'r1' },
          page,
          perPage,
          orderBy: { field: 'createdAt', direction: 'ASC' },
        });

      const first = await list(0, 2);
      expect(ids(first.threads)).toEqual(['t0', 't1']);
      expect(first.total).toBe(5);
      expect(first.hasMore).toBe(true);
      const last = await list(2, 2);
      expect(ids(last.threads)).toEqual(['t4']);
      expect(last.hasMore).toBe(false);
      const past = await list(5, 2);
      expect(past.threads).toEqual([]);
      expect(past.total).toBe(5);
      expect(past.hasMore).toBe(false);
      const all = await list(0, false);
      expect(ids(all.threads)).toEqual(['t0', 't1', 't2', 't3', 't4']);
      expect(all.perPage).toBe(false);
      expect(all.hasMore).toBe(false);

      const empty = await memory.listThreads({ filter: { resourceId: 'nobody' } });
      expect(empty.threads).toEqual([]);
      expect(empty.total).toBe(0);
      expect(empty.hasMore).toBe(false);
    });

    it('listThreads: orders by createdAt and updatedAt both ways', async () => {
      const memory = memoryOf(fixture().store);
      await memory.saveThread({ thread: makeThread('a', 'r1', at(0), { updatedAt: at(30) }) });
      await memory.saveThread({ thread: makeThread('b', 'r1', at(10), { updatedAt: at(20) }) });
      await memory.saveThread({ thread: makeThread('c', 'r1', at(20), { updatedAt: at(10) }) });
      const order = async (field: 'createdAt' | 'updatedAt', direction: 'ASC' | 'DESC') =>
        ids(
          (
            await memory.listThreads({
              filter: { resourceId: 'r1' },
              orderBy: { field, direction },
            })
          ).threads,
        );

      expect(await order('createdAt', 'ASC')).toEqual(['a', 'b', 'c']);
      expect(await order('createdAt', 'DESC')).toEqual(['c', 'b', 'a']);
      expect(await order('updatedAt', 'ASC')).toEqual(['c', 'b', 'a']);
      expect(await order('updatedAt', 'DESC')).toEqual(['a', 'b', 'c']);
    });

    it('listThreads: saving a message moves its thread to the newest updatedAt', async () => {
      const memory = memoryOf(fixture().store);
      await memory.saveThread({ thread: makeThread('a', 'r1', at(0)) });
      await memory.saveThread({ thread: makeThread('b', 'r1', at(10)) });

      await memory.saveMessages({ messages: [makeMessage('m1', 'a', at(20))] });
      const listed = await memory.listThreads({
        filter: { resourceId: 'r1' },
        orderBy: { field: 'updatedAt', direction: 'DESC' },
      });

      expect(ids(listed.threads)).toEqual(['a', 'b']);
      expect(listed.total).toBe(2);
      const thread = await memory.getThreadById({ threadId: 'a' });
      expect(thread!.updatedAt.getTime()).toBeGreaterThan(at(10).getTime());
    });

    it('listThreads: filters by metadata and lists every resource', async () => {
      const memory = memoryOf(fixture().store);
      await memory.saveThread({ thread: makeThread('a', 'r1', at(0), { metadata: { tag: 'x' } }) });
      await memory.saveThread({ thread: makeThread('b', 'r1', at(1), { metadata: { tag: 'y' } }) });
      await memory.saveThread({ thread: makeThread('c', 'r2', at(2), { metadata: { tag: 'x' } }) });

      const tagged = await memory.listThreads({
        filter: { resourceId: 'r1', metadata: { tag: 'x' } },
      });
      expect(ids(tagged.threads)).toEqual(['a']);
      expect(tagged.total).toBe(1);
      const everywhere = await memory.listThreads({
        filter: { metadata: { tag: 'x' } },
        orderBy: { field: 'createdAt', direction: 'ASC' },
      });
      expect(ids(everywhere.threads)).toEqual(['a', 'c']);
      const all = await memory.listThreads({ orderBy: { field: 'createdAt', direction: 'DESC' } });
      expect(ids(all.threads)).toEqual(['c', 'b', 'a']);
    });

    it('deleteThread: keeps a thread whose id extends the deleted one', async () => {
      const memory = memoryOf(fixture().store);
      await memory.saveThread({ thread: makeThread('a', 'r1', at(0)) });
      await memory.saveThread({ thread: makeThread('a:b', 'r1', at(1)) });
      await memory.saveMessages({
        messages: [makeMessage('m-a', 'a', at(2)), makeMessage('m-ab', 'a:b', at(3))],
      });

      await memory.deleteThread({ threadId: 'a' });

      const remaining = await memory.listMessages({ threadId: 'a:b' });
      expect(ids(remaining.messages)).toEqual(['m-ab']);
      expect(await memory.getThreadById({ threadId: 'a:b' })).not.toBeNull();
      expect(await memory.getThreadById({ threadId: 'a' })).toBeNull();
    });

    it('saveThread: keeps x:y and x%3Ay apart', async () => {
      const memory = memoryOf(fixture().store);
      await memory.saveThread({ thread: makeThread('x:y', 'r1', at(0), { title: 'colon' }) });
      await memory.saveThread({ thread: makeThread('x%3Ay', 'r1', at(1), { title: 'percent' }) });

      expect((await memory.getThreadById({ threadId: 'x:y' }))?.title).toBe('colon');
      expect((await memory.getThreadById({ threadId: 'x%3Ay' }))?.title).toBe('percent');
      const listed = await memory.listThreads({ filter: { resourceId: 'r1' } });
      expect(listed.total).toBe(2);
    });

    it('deleteThread: resolves for a missing thread and deletes nothing', async () => {
      const memory = memoryOf(fixture().store);
      await memory.saveThread({ thread: makeThread('t1', 'r1', at(0)) });
      const before = await fixture().rawKeys();

      await expect(memory.deleteThread({ threadId: 'missing' })).resolves.toBeUndefined();

      expect((await fixture().rawKeys()).sort()).toEqual(before.sort());
    });
  });
}
