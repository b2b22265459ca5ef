import type { Transport } from '@cfkv/core';
import { randomPrefix } from '@cfkv/testing';
import type { StorageThreadType } from '@mastra/core/memory';
import { TABLE_MESSAGES, TABLE_THREADS } from '@mastra/core/storage';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloudflareStore } from '../src/index.js';
import { at, ids, makeMessage, makeThread } from './contract/store-fixture.js';
import { withMethod } from './reliability/transport-wrappers.js';
import { BACKENDS, type Backend } from './reliability/reliability-fixture.js';

const WRITERS = 10;
const MESSAGES_PER_WRITER = 50;
const MESSAGES_PER_CALL = 5;
const LONG_TEST = { timeout: 120_000 };
/** Later than the in-flight grace of index entries, so left-over entries are repaired. */
const PAST_IN_FLIGHT_GRACE_MS = 11 * 60_000;

type Memory = ReturnType<Backend['openStore']>['stores']['memory'];

/** Title and metadata changes another writer makes while a message save is stamping the thread. */
const RENAMES: [string, (memory: Memory) => Promise<StorageThreadType>][] = [
  [
    'updateThread',
    (memory) => memory.updateThread({ id: 't1', title: 'renamed', metadata: { n: 2 } }),
  ],
  [
    'saveThread',
    async (memory) => {
      const thread = await memory.getThreadById({ threadId: 't1' });
      const next = { ...thread!, title: 'renamed', metadata: { n: 2 }, updatedAt: new Date() };
      return memory.saveThread({ thread: next });
    },
  ],
];

/**
 * Wraps a transport so that its first `method` call on `table` waits for `release`: `reached`
 * resolves once that call has started, such as a writer about to write a thread it has read.
 */
function holdFirstCall(
  transport: Transport,
  method: 'getMany' | 'putMany' | 'deleteMany',
  table: string,
) {
  let release!: () => void;
  let reach!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const reached = new Promise<void>((resolve) => (reach = resolve));
  let hasPaused = false;
  const wrapped = async (calledTable: string, argument: never) => {
    if (calledTable === table && !hasPaused) {
      hasPaused = true;
      reach();
      await released;
    }
    return (transport[method] as (table: string, argument: never) => Promise<unknown>)(
      calledTable,
      argument,
    );
  };
  return { transport: withMethod(transport, method, wrapped as never), reached, release };
}

for (const [name, startBackend] of BACKENDS) {
  describe(`${name}: concurrency`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await startBackend();
    });
    afterAll(async () => {
      await backend.dispose();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    /** Saves thread t1 with one message and returns the key of its updatedAt stamp. */
    async function saveStampedThread(keyPrefix: string) {
      const memory = backend.openStore({ keyPrefix }).stores.memory;
      await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      await memory.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });
      const [stampKey] = (await backend.rawKeys(keyPrefix))
        .filter((key) => key.endsWith(':stamp:t1'))
        .map((key) => key.slice(TABLE_THREADS.length + 1));
      return { memory, stampKey: stampKey! };
    }

    /** Lists the threads of resource-1 by updatedAt, as a reader some minutes from now would. */
    async function listLater(keyPrefix: string) {
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + PAST_IN_FLIGHT_GRACE_MS });
      const memory = backend.openStore({ keyPrefix }).stores.memory;
      const byUpdatedAt = { field: 'updatedAt', direction: 'DESC' } as const;
      await memory.listThreads({ filter: { resourceId: 'resource-1' }, orderBy: byUpdatedAt });
      const listed = await memory.listThreads({
        filter: { resourceId: 'resource-1' },
        orderBy: byUpdatedAt,
      });
      vi.useRealTimers();
      return listed;
    }

    it(
      'saveMessages: 10 writers of 50 messages each lose and duplicate nothing',
      LONG_TEST,
      async () => {
        const keyPrefix = randomPrefix('rel');
        const setup = backend.openStore({ keyPrefix }).stores.memory;
        await setup.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
        // Writer w saves the messages whose createdAt is w, w + 10, w + 20, ...: writers interleave.
        const expected = Array.from({ length: WRITERS * MESSAGES_PER_WRITER }, (_, n) => `m-${n}`);

        await Promise.all(
          Array.from({ length: WRITERS }, async (_, writer) => {
            const memory = backend.openStore({ keyPrefix }).stores.memory;
            for (let call = 0; call < MESSAGES_PER_WRITER / MESSAGES_PER_CALL; call++) {
              const messages = Array.from({ length: MESSAGES_PER_CALL }, (_, index) => {
                const n = (call * MESSAGES_PER_CALL + index) * WRITERS + writer;
                return makeMessage(`m-${n}`, 't1', at(1_000 + n));
              });
              await memory.saveMessages({ messages });
            }
          }),
        );

        const listed = await setup.listMessages({ threadId: 't1', perPage: false });
        expect(listed.total).toBe(expected.length);
        expect(ids(listed.messages)).toEqual(expected);
        const keys = await backend.rawKeys(keyPrefix);
        expect(keys.filter((key) => key.includes(':record:m-'))).toHaveLength(expected.length);
        expect(keys.filter((key) => key.includes(':thread-order:'))).toHaveLength(
          2 * expected.length,
        );
      },
    );

    it(
      'saveMessages: concurrent saves list the thread once and leave one updatedAt entry',
      LONG_TEST,
      async () => {
        const keyPrefix = randomPrefix('rel');
        const setup = backend.openStore({ keyPrefix }).stores.memory;
        await setup.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });

        await Promise.all(
          Array.from({ length: WRITERS }, (_, writer) =>
            backend.openStore({ keyPrefix }).stores.memory.saveMessages({
              messages: [makeMessage(`m-${writer}`, 't1', at(writer))],
            }),
          ),
        );

        const threads = await setup.listThreads({
          filter: { resourceId: 'resource-1' },
          orderBy: { field: 'updatedAt', direction: 'DESC' },
        });
        expect(ids(threads.threads)).toEqual(['t1']);
        expect(threads.total).toBe(1);
        // A stamp whose record an older stamp overwrote stays until it is past the grace.
        const later = await listLater(keyPrefix);
        expect(ids(later.threads)).toEqual(['t1']);
        expect(later.threads[0]?.updatedAt).toEqual(
          (await setup.getThreadById({ threadId: 't1' }))?.updatedAt,
        );
        const keys = await backend.rawKeys(keyPrefix);
        expect(keys.filter((key) => key.includes(':threads-by-updated:'))).toHaveLength(2);
      },
    );

    it('listThreads: an older stamp landing last is listed again once past the grace', async () => {
      const keyPrefix = randomPrefix('rel');
      const { memory, stampKey } = await saveStampedThread(keyPrefix);
      const olderStamp = at(60_000);

      await backend.transport.put(TABLE_THREADS, stampKey, String(olderStamp.getTime()));

      const byUpdatedAt = { field: 'updatedAt', direction: 'DESC' } as const;
      const now = await memory.listThreads({
        filter: { resourceId: 'resource-1' },
        orderBy: byUpdatedAt,
      });
      expect(ids(now.threads)).toEqual([]);
      expect(now.total).toBe(1);
      const later = await listLater(keyPrefix);
      expect(ids(later.threads)).toEqual(['t1']);
      expect(later.threads[0]?.updatedAt).toEqual(olderStamp);
      const keys = await backend.rawKeys(keyPrefix);
      expect(keys.filter((key) => key.includes(':threads-by-updated:'))).toHaveLength(2);
    });

    for (const [change, rename] of RENAMES) {
      it(`saveMessages: stamp keeps title from ${change}`, async () => {
        const keyPrefix = randomPrefix('rel');
        const other = backend.openStore({ keyPrefix }).stores.memory;
        await other.saveThread({
          thread: makeThread('t1', 'resource-1', at(0), { title: 'first', metadata: { n: 1 } }),
        });
        const paused = holdFirstCall(backend.transport, 'putMany', TABLE_THREADS);
        const stamping = new CloudflareStore({ transport: paused.transport, keyPrefix }).stores
          .memory;

        const saving = stamping.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });
        await paused.reached;
        const renamed = await rename(other);
        paused.release();
        await saving;

        const fresh = backend.openStore({ keyPrefix }).stores.memory;
        const thread = await fresh.getThreadById({ threadId: 't1' });
        expect(thread).toMatchObject({ title: 'renamed', metadata: { n: 2 } });
        expect(thread!.updatedAt.getTime()).toBeGreaterThanOrEqual(renamed.updatedAt.getTime());
        const listed = await listLater(keyPrefix);
        expect(listed.threads).toMatchObject([{ id: 't1', title: 'renamed' }]);
        expect(listed.threads[0]?.updatedAt).toEqual(thread?.updatedAt);
      });
    }

    for (const pausedCall of ['deleteMany', 'getMany'] as const) {
      it(`deleteThread: a message saved at its ${pausedCall} goes or stays whole`, async () => {
        const keyPrefix = randomPrefix('rel');
        const other = backend.openStore({ keyPrefix }).stores.memory;
        await other.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
        await other.saveMessages({ messages: [makeMessage('old', 't1', at(1))] });
        const paused = holdFirstCall(backend.transport, pausedCall, TABLE_MESSAGES);
        const deleting = new CloudflareStore({ transport: paused.transport, keyPrefix }).stores
          .memory;

        const deleted = deleting.deleteThread({ threadId: 't1' });
        await paused.reached;
        await other.saveMessages({ messages: [makeMessage('new', 't1', at(2))] });
        paused.release();
        await deleted;

        const fresh = backend.openStore({ keyPrefix }).stores.memory;
        const byId = await fresh.listMessagesById({ messageIds: ['old', 'new'] });
        const listed = await fresh.listMessages({ threadId: 't1' });
        expect(ids(byId.messages)).not.toContain('old');
        expect(ids(listed.messages)).toEqual(ids(byId.messages));
        const keys = await backend.rawKeys(keyPrefix);
        const messageKeys = keys.filter((key) => key.startsWith(TABLE_MESSAGES));
        expect(messageKeys).toHaveLength(3 * byId.messages.length);
      });
    }

    it('deleteThread: a message moved away meanwhile stays', async () => {
      const keyPrefix = randomPrefix('rel');
      const other = backend.openStore({ keyPrefix }).stores.memory;
      for (const threadId of ['t1', 't2']) {
        await other.saveThread({ thread: makeThread(threadId, 'resource-1', at(0)) });
      }
      await other.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });
      const paused = holdFirstCall(backend.transport, 'deleteMany', TABLE_MESSAGES);
      const deleting = new CloudflareStore({ transport: paused.transport, keyPrefix }).stores
        .memory;

      const deleted = deleting.deleteThread({ threadId: 't1' });
      await paused.reached;
      await other.updateMessages({ messages: [{ id: 'm1', threadId: 't2' }] });
      paused.release();
      await deleted;

      const fresh = backend.openStore({ keyPrefix }).stores.memory;
      const listed = await fresh.listMessages({ threadId: 't2' });
      expect(ids(listed.messages)).toEqual(['m1']);
      expect(listed.total).toBe(1);
    });

    it('listThreads: a stamp racing a move lists the thread under its new resource', async () => {
      const keyPrefix = randomPrefix('rel');
      const other = backend.openStore({ keyPrefix }).stores.memory;
      const thread = makeThread('t1', 'resource-1', at(0));
      await other.saveThread({ thread });
      const paused = holdFirstCall(backend.transport, 'putMany', TABLE_THREADS);
      const stamping = new CloudflareStore({ transport: paused.transport, keyPrefix }).stores
        .memory;

      const saving = stamping.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });
      await paused.reached;
      await other.saveThread({ thread: { ...thread, resourceId: 'resource-2' } });
      paused.release();
      await saving;

      const byUpdatedAt = { field: 'updatedAt', direction: 'DESC' } as const;
      const fresh = backend.openStore({ keyPrefix }).stores.memory;
      const filter = { resourceId: 'resource-2' };
      await fresh.listThreads({ filter, orderBy: byUpdatedAt });
      const listed = await fresh.listThreads({ filter, orderBy: byUpdatedAt });
      expect(ids(listed.threads)).toEqual(['t1']);
      expect(listed.total).toBe(1);
      const read = await fresh.getThreadById({ threadId: 't1' });
      expect(listed.threads[0]?.updatedAt).toEqual(read?.updatedAt);
    });

    it('updateThread: a thread another store deleted comes back whole', async () => {
      const keyPrefix = randomPrefix('rel');
      const saving = backend.openStore({ keyPrefix }).stores.memory;
      await saving.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      await backend.openStore({ keyPrefix }).stores.memory.deleteThread({ threadId: 't1' });

      await saving.updateThread({ id: 't1', title: 'after the delete', metadata: {} });

      const fresh = backend.openStore({ keyPrefix }).stores.memory;
      for (const field of ['createdAt', 'updatedAt'] as const) {
        const listed = await fresh.listThreads({
          filter: { resourceId: 'resource-1' },
          orderBy: { field, direction: 'DESC' },
        });
        expect(ids(listed.threads)).toEqual(['t1']);
        expect(listed.total).toBe(1);
      }
    });

    it('saveThread: a new thread ignores a stamp left by a deleted one', async () => {
      const keyPrefix = randomPrefix('rel');
      const { memory, stampKey } = await saveStampedThread(keyPrefix);
      const leftStamp = await backend.transport.get(TABLE_THREADS, stampKey);
      await memory.deleteThread({ threadId: 't1' });
      await backend.transport.put(TABLE_THREADS, stampKey, leftStamp!);

      const again = makeThread('t1', 'resource-1', at(10), { updatedAt: at(10) });
      const fresh = backend.openStore({ keyPrefix }).stores.memory;
      await fresh.saveThread({ thread: again });

      expect((await fresh.getThreadById({ threadId: 't1' }))?.updatedAt).toEqual(at(10));
      const listed = await fresh.listThreads({
        filter: { resourceId: 'resource-1' },
        orderBy: { field: 'updatedAt', direction: 'DESC' },
      });
      expect(ids(listed.threads)).toEqual(['t1']);
      expect(listed.threads[0]?.updatedAt).toEqual(at(10));
    });

    it('deleteThread: the deleting store sees a re-created thread', async () => {
      const keyPrefix = randomPrefix('rel');
      const deleting = backend.openStore({ keyPrefix }).stores.memory;
      await deleting.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      await deleting.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });
      await deleting.deleteThread({ threadId: 't1' });

      const other = backend.openStore({ keyPrefix }).stores.memory;
      await other.saveThread({
        thread: makeThread('t1', 'resource-1', at(5), { title: 'from another store' }),
      });
      await other.saveMessages({ messages: [makeMessage('m1', 't1', at(6))] });

      const thread = await deleting.getThreadById({ threadId: 't1' });
      expect(thread?.title).toBe('from another store');
      const threads = await deleting.listThreads({ filter: { resourceId: 'resource-1' } });
      expect(ids(threads.threads)).toEqual(['t1']);
      const messages = await deleting.listMessages({ threadId: 't1' });
      expect(ids(messages.messages)).toEqual(['m1']);
      expect(messages.messages[0]?.createdAt).toEqual(at(6));
    });

    it(
      'saveThread: 100 threads created concurrently for one resource are all listed once',
      LONG_TEST,
      async () => {
        const keyPrefix = randomPrefix('rel');
        const threadIds = Array.from({ length: 100 }, (_, n) => `t-${String(n).padStart(3, '0')}`);

        await Promise.all(
          Array.from({ length: WRITERS }, async (_, writer) => {
            const memory = backend.openStore({ keyPrefix }).stores.memory;
            for (let n = writer; n < threadIds.length; n += WRITERS) {
              await memory.saveThread({ thread: makeThread(threadIds[n]!, 'resource-1', at(n)) });
            }
          }),
        );

        const memory = backend.openStore({ keyPrefix }).stores.memory;
        const listed = await memory.listThreads({
          filter: { resourceId: 'resource-1' },
          perPage: false,
          orderBy: { field: 'createdAt', direction: 'ASC' },
        });
        expect(listed.total).toBe(threadIds.length);
        expect(ids(listed.threads)).toEqual(threadIds);
        const keys = await backend.rawKeys(keyPrefix);
        expect(keys.filter((key) => key.includes(':threads-by-created:'))).toHaveLength(200);
        expect(keys.filter((key) => key.includes(':threads-by-updated:'))).toHaveLength(200);
      },
    );

    it(
      'updateThread: concurrent updates leave one whole record of the last write',
      LONG_TEST,
      async () => {
        const keyPrefix = randomPrefix('rel');
        const setup = backend.openStore({ keyPrefix }).stores.memory;
        await setup.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });

        const results = await Promise.all(
          Array.from({ length: WRITERS }, (_, writer) =>
            backend.openStore({ keyPrefix }).stores.memory.updateThread({
              id: 't1',
              title: `title of writer ${writer}`,
              metadata: { writer, payload: `payload-${writer}`.repeat(50) },
            }),
          ),
        );

        const thread = await setup.getThreadById({ threadId: 't1' });
        const writer = thread?.metadata?.writer as number;
        expect(results.map((result) => result.title)).toContain(thread?.title);
        expect(thread?.title).toBe(`title of writer ${writer}`);
        expect(thread?.metadata?.payload).toBe(`payload-${writer}`.repeat(50));
        expect(thread?.resourceId).toBe('resource-1');
        const listed = await setup.listThreads({
          filter: { resourceId: 'resource-1' },
          orderBy: { field: 'updatedAt', direction: 'DESC' },
        });
        expect(ids(listed.threads)).toEqual(['t1']);
        expect(listed.total).toBe(1);
      },
    );

    it(
      'saveMessages: concurrent re-saves of one message list it once with total 1',
      LONG_TEST,
      async () => {
        const keyPrefix = randomPrefix('rel');
        const setup = backend.openStore({ keyPrefix }).stores.memory;
        await setup.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
        await setup.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });

        await Promise.all(
          Array.from({ length: WRITERS }, (_, writer) =>
            backend.openStore({ keyPrefix }).stores.memory.saveMessages({
              messages: [makeMessage('m1', 't1', at(100 + writer))],
            }),
          ),
        );

        const listed = await setup.listMessages({ threadId: 't1' });
        expect(ids(listed.messages)).toEqual(['m1']);
        expect(listed.total).toBe(1);
        // An entry newer than the record may belong to a save in flight; only a reader past the
        // grace may delete it. Which save's record lands last varies from run to run.
        vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + PAST_IN_FLIGHT_GRACE_MS });
        const later = await backend.openStore({ keyPrefix }).stores.memory.listMessages({
          threadId: 't1',
        });
        vi.useRealTimers();
        expect(ids(later.messages)).toEqual(['m1']);
        expect(later.total).toBe(1);
        const keys = await backend.rawKeys(keyPrefix);
        expect(keys.filter((key) => key.includes(':thread-order:'))).toHaveLength(2);
      },
    );

    it('saveMessages: re-saving a message updates it in place and keeps its order', async () => {
      const keyPrefix = randomPrefix('rel');
      const memory = backend.openStore({ keyPrefix }).stores.memory;
      await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      await memory.saveMessages({
        messages: ['a', 'b', 'c'].map((id) => makeMessage(id, 't1', at(5))),
      });

      const edited = makeMessage('a', 't1', at(5), {
        content: { format: 2, parts: [{ type: 'text', text: 'edited' }] },
      });
      await memory.saveMessages({ messages: [edited] });

      const listed = await memory.listMessages({ threadId: 't1' });
      expect(ids(listed.messages)).toEqual(['a', 'b', 'c']);
      expect(listed.messages[0]?.content.parts).toEqual([{ type: 'text', text: 'edited' }]);
      const keys = await backend.rawKeys(keyPrefix);
      expect(keys.filter((key) => key.includes(':thread-order:'))).toHaveLength(6);
    });

    it('saveMessages: re-saving with a new createdAt moves the message, no stale entry', async () => {
      const keyPrefix = randomPrefix('rel');
      const memory = backend.openStore({ keyPrefix }).stores.memory;
      await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      await memory.saveMessages({
        messages: [1, 2, 3].map((n) => makeMessage(`m${n}`, 't1', at(n))),
      });

      await memory.saveMessages({ messages: [makeMessage('m1', 't1', at(10))] });

      const listed = await memory.listMessages({ threadId: 't1' });
      expect(ids(listed.messages)).toEqual(['m2', 'm3', 'm1']);
      expect(listed.total).toBe(3);
      const keys = await backend.rawKeys(keyPrefix);
      expect(keys.filter((key) => key.includes(':thread-order:'))).toHaveLength(6);
    });

    it('saveMessages: re-saving into another thread moves the message, no stale entry', async () => {
      const keyPrefix = randomPrefix('rel');
      const memory = backend.openStore({ keyPrefix }).stores.memory;
      for (const id of ['t1', 't2']) {
        await memory.saveThread({ thread: makeThread(id, 'resource-1', at(0)) });
      }
      await memory.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });

      await memory.saveMessages({ messages: [makeMessage('m1', 't2', at(2))] });

      const first = await memory.listMessages({ threadId: 't1' });
      const second = await memory.listMessages({ threadId: 't2' });
      expect(first).toMatchObject({ messages: [], total: 0 });
      expect(ids(second.messages)).toEqual(['m1']);
      const keys = await backend.rawKeys(keyPrefix);
      expect(keys.filter((key) => key.includes(':thread-order:t1:'))).toEqual([]);
      expect(keys.filter((key) => key.includes(':thread-order:t2:'))).toHaveLength(2);
    });
  });
}
