import { CfkvError, KeySchema, observeTransport, OperationCounter } from '@cfkv/core';
import { MastraError } from '@mastra/core/error';
import { TABLE_THREADS, TABLE_WORKFLOW_SNAPSHOT } from '@mastra/core/storage';
import { describe, expect, it } from 'vitest';
import { CloudflareStore } from '../../src/index.js';
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

const TEST_TOKEN = 'secret-test-token-5f1c';

export function describeRobustnessContract(name: string, createStore: CreateStore): void {
  describe(`${name}: memory robustness`, () => {
    const fixture = useStoreFixture(createStore);

    async function seed(store: CloudflareStore) {
      const memory = memoryOf(store);
      for (let index = 0; index < 5; index += 1) {
        await memory.saveThread({ thread: makeThread(`thread-${index}`, 'R', at(index)) });
      }
      await memory.saveThread({ thread: makeThread('T', 'R', at(10)) });
      await memory.saveMessages({
        messages: Array.from({ length: 5 }, (_, index) =>
          makeMessage(`T-message-${index}`, 'T', at(100 + index), { resourceId: 'R' }),
        ),
      });
      return memory;
    }

    it('listThreads: follows list cursors to the end', async () => {
      const { store } = openStore(fixture(), { faults: { listPageSize: 2 } });
      const memory = await seed(store);

      const result = await memory.listThreads({ filter: { resourceId: 'R' }, perPage: false });
      expect(result.threads).toHaveLength(6);
      expect(result.total).toBe(6);
    });

    it('deleteThread: leaves no key of the thread behind', async () => {
      const { store } = openStore(fixture(), { faults: { listPageSize: 2 } });
      const memory = await seed(store);
      await memory.saveMessages({ messages: [makeMessage('kept', 'thread-1', at(5))] });

      await memory.deleteThread({ threadId: 'T' });

      const keys = await fixture().rawKeys();
      expect(keys.filter((key) => key.includes(':T:') || key.endsWith(':T'))).toEqual([]);
      expect(keys.filter((key) => key.includes('T-message'))).toEqual([]);
      const byId = await memory.listMessagesById({
        messageIds: Array.from({ length: 5 }, (_, index) => `T-message-${index}`),
      });
      expect(byId.messages).toEqual([]);
      const other = await memory.listMessages({ threadId: 'thread-1' });
      expect(ids(other.messages)).toEqual(['kept']);
      expect(await memory.getThreadById({ threadId: 'thread-1' })).not.toBeNull();
    });

    it('dangerouslyClearAll: removes every key of its prefix only', async () => {
      const { store } = openStore(fixture(), { faults: { listPageSize: 2 } });
      await seed(store);
      const other = openStore(fixture(), { keyPrefix: `${store.keyPrefix}other` }).store;
      await memoryOf(other).saveThread({ thread: makeThread('T', 'R', at(0)) });

      await store.dangerouslyClearAll();

      const keys = await fixture().rawKeys();
      expect(keys.length).toBeGreaterThan(0);
      expect(await memoryOf(other).getThreadById({ threadId: 'T' })).not.toBeNull();
      await other.dangerouslyClearAll();
      expect(await fixture().rawKeys()).toEqual([]);
    });

    it('saveThread: a 500-character id works or fails before any write', async () => {
      const memory = memoryOf(fixture().store);
      for (const threadId of ['t'.repeat(500), '€'.repeat(170)]) {
        const before = await fixture().rawKeys();
        const saved = memory
          .saveThread({ thread: makeThread(threadId, 'R', at(0)) })
          .then(() => 'saved' as const)
          .catch((error: unknown) => error);
        const outcome = await saved;
        if (outcome === 'saved') {
          expect((await memory.getThreadById({ threadId }))?.id).toBe(threadId);
          continue;
        }
        expect(outcome).toBeInstanceOf(MastraError);
        expect((outcome as MastraError).category).toBe('USER');
        expect((outcome as MastraError).message).toContain('threadId');
        expect((outcome as MastraError).message).toContain('512');
        expect((await fixture().rawKeys()).sort()).toEqual(before.sort());
      }
    });

    it('saveMessages: a too-long thread id fails before any write', async () => {
      const memory = memoryOf(fixture().store);

      const saving = memory.saveMessages({
        messages: [makeMessage('m1', '€'.repeat(170), at(0))],
      });

      await expect(saving).rejects.toMatchObject({ category: 'USER' });
      expect(await fixture().rawKeys()).toEqual([]);
    });

    it('saveMessages: two stores writing at once lose nothing', async () => {
      const first = memoryOf(openStore(fixture()).store);
      const second = memoryOf(openStore(fixture()).store);
      const batch = (label: string) =>
        Array.from({ length: 20 }, (_, index) => makeMessage(`${label}${index}`, 't1', at(index)));

      await Promise.all([
        first.saveMessages({ messages: batch('a') }),
        second.saveMessages({ messages: batch('b') }),
      ]);
      await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          (index % 2 === 0 ? first : second).saveMessages({
            messages: [makeMessage(`single${index}`, 't1', at(50))],
          }),
        ),
      );

      const result = await first.listMessages({ threadId: 't1', perPage: false });
      expect(result.messages).toHaveLength(50);
      expect(new Set(ids(result.messages)).size).toBe(50);
    });

    it('listMessages: rejects empty thread ids before any KV call', async () => {
      const counter = new OperationCounter();
      const store = new CloudflareStore({
        transport: observeTransport(fixture().transport, counter.listener),
        keyPrefix: fixture().store.keyPrefix,
      });
      const memory = memoryOf(store);

      for (const threadId of ['', '  ', [], ['t1', '']]) {
        const listing = memory.listMessages({ threadId: threadId as string });
        await expect(listing).rejects.toBeInstanceOf(MastraError);
        await expect(listing).rejects.toMatchObject({ category: 'USER' });
        await expect(listing).rejects.toThrow(/threadId/);
      }
      expect(counter.snapshot().calls).toBe(0);
    });

    it('getThreadById: a failed read is an error, not null', async () => {
      const failures = [
        new CfkvError('TRANSPORT_FAILED', 'KV answered 500.', { status: 500 }),
        new CfkvError('AUTHENTICATION_FAILED', 'KV answered 401.', { status: 401 }),
      ];
      for (const failure of failures) {
        const { store } = openStore(fixture(), { faults: { failOn: () => failure } });
        const memory = memoryOf(store);
        const workflows = store.stores.workflows;

        for (const attempt of [
          memory.getThreadById({ threadId: 't1' }),
          memory.listMessages({ threadId: 't1' }),
          workflows.loadWorkflowSnapshot({ workflowName: 'wf', runId: 'r' }),
        ]) {
          const error = await attempt.then(() => undefined).catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(MastraError);
          expect((error as MastraError).id).toMatch(/^CLOUDFLARE_KV_.*_FAILED$/);
          expect((error as MastraError).category).toBe('SYSTEM');
          expect(JSON.stringify(error)).not.toContain(TEST_TOKEN);
        }
      }
      expect(await memoryOf(fixture().store).getThreadById({ threadId: 't1' })).toBeNull();
    });

    it('saveMessages: failed writes leave no order entry without its message', async () => {
      const rateLimited = new CfkvError('RATE_LIMITED', 'KV answered 429.', { status: 429 });
      const { store } = openStore(fixture(), {
        faults: {
          failOn: (call) =>
            call.operation === 'put' || call.operation === 'putMany' ? rateLimited : undefined,
        },
      });

      const saving = memoryOf(store).saveMessages({ messages: [makeMessage('m1', 't1', at(0))] });

      await expect(saving).rejects.toMatchObject({
        id: 'CLOUDFLARE_KV_SAVE_MESSAGES_FAILED',
        details: { code: 'RATE_LIMITED' },
      });
      expect(await fixture().rawKeys()).toEqual([]);
      const listed = await memoryOf(fixture().store).listMessages({ threadId: 't1' });
      expect(listed.messages).toEqual([]);
    });

    it('loadWorkflowSnapshot: a malformed snapshot names its key', async () => {
      const { store, transport } = fixture();
      const key = new KeySchema(store.keyPrefix).key(TABLE_WORKFLOW_SNAPSHOT, ['run', 'wf', 'r']);
      await transport.put(TABLE_WORKFLOW_SNAPSHOT, key, 'not json');

      const loading = store.stores.workflows.loadWorkflowSnapshot({
        workflowName: 'wf',
        runId: 'r',
      });

      await expect(loading).rejects.toMatchObject({
        id: 'CLOUDFLARE_KV_LOAD_WORKFLOW_SNAPSHOT_FAILED',
        category: 'SYSTEM',
        details: { code: 'CORRUPT_RECORD', key },
      });
    });

    it('getThreadById: a malformed record names its key', async () => {
      const { store, transport } = fixture();
      const key = new KeySchema(store.keyPrefix).key(TABLE_THREADS, ['record', 't1']);
      await transport.put(TABLE_THREADS, key, '{not json');

      const reading = memoryOf(store).getThreadById({ threadId: 't1' });

      await expect(reading).rejects.toMatchObject({
        id: 'CLOUDFLARE_KV_GET_THREAD_BY_ID_FAILED',
        details: { code: 'CORRUPT_RECORD', key },
      });
    });
  });
}
