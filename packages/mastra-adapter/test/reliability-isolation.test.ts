import { randomPrefix } from '@cfkv/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, ids, makeMessage, makeThread } from './contract/store-fixture.js';
import { BACKENDS, type Backend } from './reliability/reliability-fixture.js';

/** Key prefixes that differ only in separators and escapes, so a weak escape would mix them. */
function neighbourPrefixes(): string[] {
  const base = randomPrefix('iso');
  return [base, `${base}:`, `${base}%3A`, `${base}mastra_threads:`, `${base}/x`];
}

for (const [name, startBackend] of BACKENDS) {
  describe(`${name}: isolation`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await startBackend();
    });
    afterAll(async () => {
      await backend.dispose();
    });

    it('keyPrefix: stores in the same namespaces never see each other', async () => {
      const prefixes = neighbourPrefixes();
      const stores = prefixes.map((keyPrefix) => backend.openStore({ keyPrefix }).stores.memory);
      for (const [index, memory] of stores.entries()) {
        await memory.saveThread({
          thread: makeThread('t1', 'r1', at(index), { title: `s${index}` }),
        });
        await memory.saveMessages({ messages: [makeMessage(`m-of-${index}`, 't1', at(index))] });
      }

      for (const [index, memory] of stores.entries()) {
        expect((await memory.getThreadById({ threadId: 't1' }))?.title).toBe(`s${index}`);
        const listed = await memory.listMessages({ threadId: 't1' });
        expect(ids(listed.messages)).toEqual([`m-of-${index}`]);
        const threads = await memory.listThreads({ filter: { resourceId: 'r1' } });
        expect(threads.total).toBe(1);
        const everyThread = await memory.listThreads({});
        expect(ids(everyThread.threads)).toEqual(['t1']);
      }
    });

    it('dangerouslyClearAll: clears only its own keyPrefix', async () => {
      const prefixes = neighbourPrefixes();
      const stores = prefixes.map((keyPrefix) => backend.openStore({ keyPrefix }));
      for (const store of stores) {
        await store.stores.memory.saveThread({ thread: makeThread('t1', 'r1', at(0)) });
        await store.stores.memory.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });
      }
      const before = await Promise.all(prefixes.map((keyPrefix) => backend.rawKeys(keyPrefix)));

      await stores[0]!.dangerouslyClearAll();

      expect(await backend.rawKeys(prefixes[0]!)).toEqual([]);
      for (const [index, keyPrefix] of prefixes.entries()) {
        if (index === 0) continue;
        expect(await backend.rawKeys(keyPrefix)).toEqual(before[index]);
        const memory = stores[index]!.stores.memory;
        expect(ids((await memory.listMessages({ threadId: 't1' })).messages)).toEqual(['m1']);
      }
    });

    it('keyPrefix: an empty prefix and a prefix store in one namespace stay apart', async () => {
      const unprefixed = backend.openStore({ keyPrefix: '' });
      const prefixed = backend.openStore({ keyPrefix: randomPrefix('iso') });
      const threadId = randomPrefix('t');
      await unprefixed.stores.memory.saveThread({ thread: makeThread(threadId, 'r1', at(0)) });

      expect(await prefixed.stores.memory.getThreadById({ threadId })).toBeNull();
      await prefixed.dangerouslyClearAll();
      expect((await unprefixed.stores.memory.getThreadById({ threadId }))?.id).toBe(threadId);
      await unprefixed.stores.memory.deleteThread({ threadId });
    });

    it("listMessages: a resourceId filter never returns another resource's messages", async () => {
      const memory = backend.openStore().stores.memory;
      await memory.saveThread({ thread: makeThread('t1', 'r1', at(0)) });
      await memory.saveMessages({
        messages: [
          makeMessage('a1', 't1', at(1), { resourceId: 'r1' }),
          makeMessage('b1', 't1', at(2), { resourceId: 'r2' }),
          makeMessage('a2', 't1', at(3), { resourceId: 'r1' }),
          makeMessage('c1', 't1', at(4), { resourceId: 'r1:x' }),
        ],
      });
      // b1 moves to r1 and a2 moves to r2: the filter must follow the records.
      await memory.saveMessages({
        messages: [
          makeMessage('b1', 't1', at(2), { resourceId: 'r1' }),
          makeMessage('a2', 't1', at(3), { resourceId: 'r2' }),
        ],
      });

      const first = await memory.listMessages({ threadId: 't1', resourceId: 'r1' });
      const second = await memory.listMessages({ threadId: 't1', resourceId: 'r2', perPage: 1 });
      const included = await memory.listMessages({
        threadId: 't1',
        resourceId: 'r2',
        include: [{ id: 'a2', withPreviousMessages: 3, withNextMessages: 3 }],
      });

      expect(ids(first.messages)).toEqual(['a1', 'b1']);
      expect(first.total).toBe(2);
      expect(ids(second.messages)).toEqual(['a2']);
      expect(second).toMatchObject({ total: 1, hasMore: false });
      expect(included.messages.every((message) => message.resourceId === 'r2')).toBe(true);
    });
  });
}
