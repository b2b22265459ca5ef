import { CfkvError } from '@cfkv/core';
import { randomPrefix } from '@cfkv/testing';
import { MastraError } from '@mastra/core/error';
import type { MastraDBMessage } from '@mastra/core/memory';
import { TABLE_MESSAGES, TABLE_THREADS } from '@mastra/core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareStore } from '../src/index.js';
import { at, ids, makeMessage, makeThread } from './contract/store-fixture.js';
import {
  readWriteWriteDelete,
  signal,
  withCallHooks,
  type CallHook,
} from './reliability/call-order.js';
import { BACKENDS, type Backend } from './reliability/reliability-fixture.js';
import { withMethod } from './reliability/transport-wrappers.js';

type Memory = ReturnType<Backend['openStore']>['stores']['memory'];

const EDITED = {
  format: 2,
  parts: [{ type: 'text', text: 'edited' }],
} as MastraDBMessage['content'];

/** Changes of message m1 whose order entries move: the first writer's call in each race. */
const MOVES: [string, (memory: Memory) => Promise<unknown>][] = [
  ['a move to t2', (memory) => memory.updateMessages({ messages: [{ id: 'm1', threadId: 't2' }] })],
  [
    'a new createdAt',
    (memory) => memory.updateMessages({ messages: [{ id: 'm1', createdAt: at(50) }] }),
  ],
];

/** Writes of m1 that keep its order entries, which land after the move and win. */
const KEEPS: [string, (memory: Memory) => Promise<unknown>][] = [
  [
    'a content edit',
    (memory) => memory.updateMessages({ messages: [{ id: 'm1', content: EDITED }] }),
  ],
  ['a re-save', (memory) => memory.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] })],
];

for (const [name, startBackend] of BACKENDS) {
  describe(`${name}: memory write races`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await startBackend();
    });
    afterAll(async () => {
      await backend.dispose();
    });

    function openHooked(keyPrefix: string, hooks: readonly CallHook[]): Memory {
      const transport = withCallHooks(backend.transport, hooks);
      return new CloudflareStore({ transport, keyPrefix }).stores.memory;
    }

    for (const [moveName, move] of MOVES) {
      for (const [keepName, keep] of KEEPS) {
        it(`${keepName} landing after ${moveName} stays listed`, async () => {
          const keyPrefix = randomPrefix('race');
          const setup = backend.openStore({ keyPrefix }).stores.memory;
          await setup.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
          await setup.saveThread({ thread: makeThread('t2', 'resource-1', at(0)) });
          await setup.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });
          const order = readWriteWriteDelete(TABLE_MESSAGES, 'getMany', 'putMany');

          await Promise.all([
            move(openHooked(keyPrefix, order.first)),
            keep(openHooked(keyPrefix, order.second)),
          ]);

          const reader = backend.openStore({ keyPrefix }).stores.memory;
          const [stored] = (await reader.listMessagesById({ messageIds: ['m1'] })).messages;
          expect(stored?.threadId).toBe('t1');
          const listed = await reader.listMessages({ threadId: 't1', perPage: false });
          expect(ids(listed.messages)).toEqual(['m1']);
          expect(listed.total).toBe(1);
          const moved = await reader.listMessages({ threadId: 't2', perPage: false });
          expect(ids(moved.messages)).toEqual([]);
        });
      }
    }

    it('a move whose re-read fails says its old entries were deleted', async () => {
      const keyPrefix = randomPrefix('race');
      const setup = backend.openStore({ keyPrefix }).stores.memory;
      await setup.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      await setup.saveThread({ thread: makeThread('t2', 'resource-1', at(0)) });
      await setup.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });
      // The move's first bulk get reads the message; the second is the read after the delete.
      let reads = 0;
      const failing = withMethod(backend.transport, 'getMany', async (table, keys) => {
        if (table === TABLE_MESSAGES && ++reads === 2) {
          throw new CfkvError('TRANSPORT_FAILED', 'injected failure of the read');
        }
        return backend.transport.getMany(table, keys);
      });
      const mover = new CloudflareStore({ transport: failing, keyPrefix }).stores.memory;

      const error = await mover
        .updateMessages({ messages: [{ id: 'm1', threadId: 't2' }] })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(MastraError);
      expect((error as MastraError).message).toContain('old order entries were deleted');
      expect((error as MastraError).message).toContain('injected failure of the read. Messages');
      const moved = await setup.listMessages({ threadId: 't2' });
      expect(ids(moved.messages)).toEqual(['m1']);
    });

    it('a reader deleting an entry made true again keeps the message listed', async () => {
      const keyPrefix = randomPrefix('race');
      const setup = backend.openStore({ keyPrefix }).stores.memory;
      await setup.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      await setup.saveThread({ thread: makeThread('t2', 'resource-1', at(0)) });
      await setup.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });
      // A move to t2 writes, a reader of t1 finds t1's entry superseded, the move finishes, a
      // second move brings m1 back to the same entry in t1, and then the reader's delete lands.
      const moverWrote = signal();
      const moverMayDelete = signal();
      const readerReached = signal();
      const readerMayDelete = signal();
      const mover = openHooked(keyPrefix, [
        { method: 'putMany', table: TABLE_MESSAGES, after: moverWrote.open },
        { method: 'deleteMany', table: TABLE_MESSAGES, before: moverMayDelete.wait },
      ]);
      const reader = openHooked(keyPrefix, [
        {
          method: 'deleteMany',
          table: TABLE_MESSAGES,
          before: async () => {
            readerReached.open();
            await readerMayDelete.wait();
          },
        },
      ]);

      const moving = mover.updateMessages({ messages: [{ id: 'm1', threadId: 't2' }] });
      await moverWrote.wait();
      const reading = reader.listMessages({ threadId: 't1' });
      await readerReached.wait();
      moverMayDelete.open();
      await moving;
      await setup.updateMessages({ messages: [{ id: 'm1', threadId: 't1' }] });
      readerMayDelete.open();
      await reading;

      const after = await backend.openStore({ keyPrefix }).stores.memory.listMessages({
        threadId: 't1',
      });
      expect(ids(after.messages)).toEqual(['m1']);
      expect(after.total).toBe(1);
    });

    for (const field of ['createdAt', 'updatedAt'] as const) {
      it(`${field} moved back: a listing mid-write keeps the thread`, async () => {
        const keyPrefix = randomPrefix('race');
        const setup = backend.openStore({ keyPrefix }).stores.memory;
        const thread = makeThread('t1', 'resource-1', at(5_000));
        await setup.saveThread({ thread });
        // Over bindings a putMany is concurrent puts, so the new index entries can land before the
        // record. The listing runs in between and reads the old record.
        const indexWritten = signal();
        const listed = signal();
        const splitting = withMethod(backend.transport, 'putMany', async (table, entries) => {
          const isRecord = (entry: { key: string }) => entry.key.endsWith(':record:t1');
          if (table !== TABLE_THREADS || !entries.some(isRecord)) {
            return backend.transport.putMany(table, entries);
          }
          await backend.transport.putMany(
            table,
            entries.filter((entry) => !isRecord(entry)),
          );
          indexWritten.open();
          await listed.wait();
          await backend.transport.putMany(table, entries.filter(isRecord));
        });
        const mover = new CloudflareStore({ transport: splitting, keyPrefix }).stores.memory;
        const byField = { field, direction: 'ASC' } as const;

        const moving = mover.saveThread({ thread: { ...thread, [field]: at(1_000) } });
        await indexWritten.wait();
        await backend
          .openStore({ keyPrefix })
          .stores.memory.listThreads({ filter: { resourceId: 'resource-1' }, orderBy: byField });
        listed.open();
        await moving;

        const reader = backend.openStore({ keyPrefix }).stores.memory;
        const after = await reader.listThreads({
          filter: { resourceId: 'resource-1' },
          orderBy: byField,
        });
        expect(ids(after.threads)).toEqual(['t1']);
        expect(after.total).toBe(1);
        expect(after.threads[0]?.[field]).toEqual(at(1_000));
      });
    }

    it('a rename landing after a move to another resource stays listed', async () => {
      const keyPrefix = randomPrefix('race');
      const setup = backend.openStore({ keyPrefix }).stores.memory;
      const thread = makeThread('t1', 'resource-1', at(0));
      await setup.saveThread({ thread });
      const order = readWriteWriteDelete(TABLE_THREADS, 'getMany', 'putMany');

      await Promise.all([
        openHooked(keyPrefix, order.first).saveThread({
          thread: { ...thread, resourceId: 'resource-2' },
        }),
        openHooked(keyPrefix, order.second).updateThread({
          id: 't1',
          title: 'renamed',
          metadata: {},
        }),
      ]);

      const reader = backend.openStore({ keyPrefix }).stores.memory;
      const stored = await reader.getThreadById({ threadId: 't1' });
      expect(stored?.resourceId).toBe('resource-1');
      expect(stored?.title).toBe('renamed');
      for (const field of ['createdAt', 'updatedAt'] as const) {
        const listed = await reader.listThreads({
          filter: { resourceId: 'resource-1' },
          orderBy: { field, direction: 'DESC' },
        });
        expect(ids(listed.threads), field).toEqual(['t1']);
        expect(listed.total, field).toBe(1);
      }
    });
  });
}
