import { CfkvError, KeySchema } from '@cfkv/core';
import { FaultTransport, randomPrefix } from '@cfkv/testing';
import { MastraError } from '@mastra/core/error';
import { TABLE_MESSAGES } from '@mastra/core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareStore } from '../src/index.js';
import { MessageOrder } from '../src/domains/memory/message-order.js';
import {
  messageKey,
  readMessages,
  type StoredMessage,
} from '../src/domains/memory/message-records.js';
import { reserveTiebreaks } from '../src/domains/memory/order-tiebreak.js';
import type { StoreContext } from '../src/store-context.js';
import { at, ids, makeMessage, makeThread } from './contract/store-fixture.js';
import { BACKENDS, type Backend } from './reliability/reliability-fixture.js';

const LONG_TEST = { timeout: 120_000 };

/** Key names that broke KV stores, and every control character: each must work as an id. */
const SPECIAL_IDS = [
  '/lead',
  'sp ace',
  'a/b',
  '50%',
  'q?x#y',
  'dots...',
  '^caret',
  'a\u001fb',
  'ünï',
  'a+b',
  '.',
  '..',
  ...Array.from({ length: 32 }, (_, code) => `c${String.fromCharCode(code)}c`),
  'c\u007fc',
];

for (const [name, startBackend] of BACKENDS) {
  describe(`${name}: regression cases`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await startBackend();
    });
    afterAll(async () => {
      await backend.dispose();
    });

    /** Builds the store's own context and message order over the backend, for raw writes. */
    function storeParts(keyPrefix: string) {
      const context: StoreContext = {
        transport: backend.transport,
        keys: new KeySchema(keyPrefix),
        threadTouchIntervalMs: 1_000,
        warn: () => undefined,
      };
      return { context, order: new MessageOrder(context) };
    }

    function storedMessage(id: string, threadId: string, createdAt: Date): StoredMessage {
      return {
        id,
        threadId,
        resourceId: 'resource-1',
        role: 'user',
        type: 'text',
        content: { format: 2, parts: [{ type: 'text', text: `text of ${id}` }] },
        createdAt,
        orderTiebreak: reserveTiebreaks(1),
        writeStamp: reserveTiebreaks(1),
      };
    }

    it(
      'saveThread and saveMessages: special characters and control characters work as ids',
      LONG_TEST,
      async () => {
        const keyPrefix = randomPrefix('rel');
        const memory = backend.openStore({ keyPrefix }).stores.memory;

        for (const [index, id] of SPECIAL_IDS.entries()) {
          const threadId = `t${id}`;
          await memory.saveThread({ thread: makeThread(threadId, `r${id}`, at(index)) });
          await memory.saveMessages({ messages: [makeMessage(`m${id}`, threadId, at(index))] });

          const label = JSON.stringify(id);
          expect((await memory.getThreadById({ threadId }))?.resourceId, label).toBe(`r${id}`);
          const listed = await memory.listMessages({ threadId });
          expect(ids(listed.messages), label).toEqual([`m${id}`]);
          const threads = await memory.listThreads({ filter: { resourceId: `r${id}` } });
          expect(ids(threads.threads), label).toEqual([threadId]);
          await memory.deleteThread({ threadId });
          expect(await memory.getThreadById({ threadId }), label).toBeNull();
        }
        const keys = await backend.rawKeys(keyPrefix);
        expect(keys.filter((key) => key.includes('mastra_messages'))).toEqual([]);
      },
    );

    it('listMessages: skips an order entry whose record was never written', async () => {
      const keyPrefix = randomPrefix('rel');
      const memory = backend.openStore({ keyPrefix }).stores.memory;
      await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      await memory.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });
      // A save that failed part way: the order entry of m2 landed, its record did not.
      const { order } = storeParts(keyPrefix);
      const ghost = storedMessage('m2', 't1', at(2));
      await backend.transport.putMany(TABLE_MESSAGES, order.toKvEntries([ghost]));

      const listed = await memory.listMessages({ threadId: 't1', includeTotal: false });
      const newest = await memory.listMessages({
        threadId: 't1',
        perPage: 1,
        orderBy: { field: 'createdAt', direction: 'DESC' },
        includeTotal: false,
      });

      expect(ids(listed.messages)).toEqual(['m1']);
      expect(ids(newest.messages)).toEqual([]);
      expect((await memory.listMessagesById({ messageIds: ['m2'] })).messages).toEqual([]);
    });

    it('saveMessages: a retry repairs a write whose record or order entry is missing', async () => {
      const keyPrefix = randomPrefix('rel');
      const memory = backend.openStore({ keyPrefix }).stores.memory;
      await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      const { context, order } = storeParts(keyPrefix);
      const entryOnly = storedMessage('m-entry-only', 't1', at(1));
      await backend.transport.putMany(TABLE_MESSAGES, order.toKvEntries([entryOnly]));
      await memory.saveMessages({ messages: [makeMessage('m-record-only', 't1', at(2))] });
      const [recordOnly] = await readMessages(context, ['m-record-only']);
      await backend.transport.deleteMany(TABLE_MESSAGES, order.entryKeys([recordOnly!]));
      expect((await memory.listMessages({ threadId: 't1', includeTotal: false })).messages).toEqual(
        [],
      );

      await memory.saveMessages({
        messages: [
          makeMessage('m-entry-only', 't1', at(1)),
          makeMessage('m-record-only', 't1', at(2)),
        ],
      });

      const listed = await memory.listMessages({ threadId: 't1' });
      expect(ids(listed.messages)).toEqual(['m-entry-only', 'm-record-only']);
      expect(listed.total).toBe(2);
      const keys = await backend.rawKeys(keyPrefix);
      expect(keys.filter((key) => key.includes(':thread-order:'))).toHaveLength(4);
      expect(keys).toContain(`${TABLE_MESSAGES} ${messageKey(context, 'm-entry-only')}`);
    });

    it(
      'saveMessages: concurrent moves of one message leave it in exactly one thread',
      LONG_TEST,
      async () => {
        const keyPrefix = randomPrefix('rel');
        const setup = backend.openStore({ keyPrefix }).stores.memory;
        const threadIds = ['t0', 't1', 't2', 't3', 't4'];
        for (const threadId of threadIds) {
          await setup.saveThread({ thread: makeThread(threadId, 'resource-1', at(0)) });
        }
        await setup.saveMessages({ messages: [makeMessage('m1', 't0', at(1))] });

        await Promise.all(
          threadIds.slice(1).map((threadId, index) =>
            backend.openStore({ keyPrefix }).stores.memory.saveMessages({
              messages: [makeMessage('m1', threadId, at(10 + index))],
            }),
          ),
        );

        const [record] = (await setup.listMessagesById({ messageIds: ['m1'] })).messages;
        for (const threadId of threadIds) {
          const listed = await setup.listMessages({ threadId, includeTotal: false });
          const expected = threadId === record?.threadId ? ['m1'] : [];
          expect(ids(listed.messages), threadId).toEqual(expected);
        }
      },
    );

    it('saveMessages: callers retrying after 429 on first writes keep the count exact', async () => {
      const keyPrefix = randomPrefix('rel');
      await backend
        .openStore({ keyPrefix })
        .stores.memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      const written = new Set<string>();
      // The first write of each record key is rejected with 429, as KV rejects a write to a key
      // that another writer wrote less than a second ago. A rejected call writes nothing, so the
      // retry's new order entries are keys nobody wrote and are not rate-limited.
      const faults = new FaultTransport(backend.transport, {
        failOn: (call) => {
          if (call.operation !== 'put' && call.operation !== 'putMany') return undefined;
          const records = call.keys.filter((key) => key.includes(':record:'));
          const fresh = records.filter((key) => !written.has(key));
          for (const key of records) written.add(key);
          return fresh.length > 0
            ? new CfkvError('RATE_LIMITED', 'KV answered 429.', { status: 429 })
            : undefined;
        },
      });
      const memory = new CloudflareStore({ transport: faults, keyPrefix }).stores.memory;
      let failures = 0;

      await Promise.all(
        Array.from({ length: 10 }, async (_, index) => {
          const messages = [makeMessage(`m${index}`, 't1', at(1 + index))];
          for (let attempt = 0; ; attempt++) {
            try {
              await memory.saveMessages({ messages });
              return;
            } catch (error) {
              failures++;
              if (attempt >= 3) throw error;
            }
          }
        }),
      );

      expect(failures).toBeGreaterThanOrEqual(10);
      const listed = await memory.listMessages({ threadId: 't1', perPage: false });
      expect(listed.total).toBe(10);
      expect(ids(listed.messages)).toEqual(Array.from({ length: 10 }, (_, index) => `m${index}`));
    });

    it('listMessages, listMessagesById and include: dates come back as Dates', async () => {
      const memory = backend.openStore().stores.memory;
      const createdAt = new Date('2024-03-10T01:59:59.999+05:00');
      const nested = new Date('2024-01-02T03:04:05.006Z');
      await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      const message = makeMessage('m1', 't1', createdAt, {
        content: { format: 2, parts: [], metadata: { seenAt: nested } },
      });
      await memory.saveMessages({ messages: [message, makeMessage('m2', 't1', at(1))] });

      const listed = (await memory.listMessages({ threadId: 't1' })).messages;
      const byId = (await memory.listMessagesById({ messageIds: ['m1'] })).messages;
      const included = (
        await memory.listMessages({
          threadId: 't1',
          perPage: 0,
          include: [{ id: 'm1', threadId: 't1', withNextMessages: 1 }],
        })
      ).messages;

      for (const found of [listed, byId, included]) {
        const read = found.find((item) => item.id === 'm1');
        expect(read?.createdAt).toBeInstanceOf(Date);
        expect(read?.createdAt.getTime()).toBe(createdAt.getTime());
        expect(read?.content.metadata?.seenAt).toBe(nested.toISOString());
      }
    });

    it('listMessages: a malformed message record is an error naming its key', async () => {
      const keyPrefix = randomPrefix('rel');
      const memory = backend.openStore({ keyPrefix }).stores.memory;
      await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      await memory.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });
      const { context } = storeParts(keyPrefix);
      const key = messageKey(context, 'm1');
      await backend.transport.put(TABLE_MESSAGES, key, '{not json');

      const error = await memory
        .listMessages({ threadId: 't1' })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(MastraError);
      expect((error as MastraError).details).toMatchObject({ code: 'CORRUPT_RECORD', key });
      expect((error as MastraError).category).toBe('SYSTEM');
    });
  });
}
