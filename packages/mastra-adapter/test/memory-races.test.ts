import { randomPrefix } from '@cfkv/testing';
import type { MastraDBMessage } from '@mastra/core/memory';
import { TABLE_MESSAGES, TABLE_THREADS } from '@mastra/core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareStore } from '../src/index.js';
import { at, ids, makeMessage, makeThread } from './contract/store-fixture.js';
import { readWriteWriteDelete, withCallHooks, type CallHook } from './reliability/call-order.js';
import { BACKENDS, type Backend } from './reliability/reliability-fixture.js';

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
