import { createMiniflareKv, randomPrefix, type MiniflareKv } from '@cfkv/testing';
import { InMemoryStore, type MemoryStorage } from '@mastra/core/storage';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloudflareStore, STORE_TABLES } from '../src/index.js';
import { createRandom, randomOperation, type Operation } from './differential/random-operations.js';
import { expectedDescending, runOperation } from './differential/run-operation.js';

const SEEDS = [1, 2, 3, 4, 5, 6];
const OPERATIONS_PER_SEED = 150;

describe('binding: memory matches InMemoryStore', () => {
  let kv: MiniflareKv;
  beforeAll(async () => {
    kv = await createMiniflareKv(STORE_TABLES);
  });
  afterAll(async () => {
    await kv.dispose();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function openPair(): Promise<{ oracle: MemoryStorage; subject: MemoryStorage }> {
    const oracle = (await new InMemoryStore().getStore('memory'))!;
    const store = new CloudflareStore({
      bindings: kv.namespaces,
      keyPrefix: randomPrefix('diff'),
      threadTouchIntervalMs: 0,
    });
    return { oracle, subject: store.stores.memory };
  }

  async function compare(
    pair: { oracle: MemoryStorage; subject: MemoryStorage },
    operation: Operation,
    step: string,
  ) {
    const descending =
      (operation.kind === 'listMessages' && !operation.input.include?.length) ||
      operation.kind === 'listThreads'
        ? operation.input.orderBy?.direction === 'DESC'
        : false;
    const expected = descending
      ? await expectedDescending(pair.oracle, operation as never)
      : await runOperation(pair.oracle, operation);
    const actual = await runOperation(pair.subject, operation);
    expect(actual, `${step}: ${JSON.stringify(operation)}`).toEqual(expected);
  }

  for (const seed of SEEDS) {
    it(`random sequence: seed ${seed} gives equal results`, async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      let now = Date.UTC(2026, 0, 1);
      const random = createRandom(seed);
      const pair = await openPair();

      for (let step = 0; step < OPERATIONS_PER_SEED; step += 1) {
        now += 1 + random.integer(3);
        vi.setSystemTime(now);
        await compare(pair, randomOperation(random), `seed ${seed} step ${step}`);
      }
    }, 120_000);
  }

  it('fixed scenario: include windows and moves agree', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 0, 1));
    const pair = await openPair();
    const base = Date.UTC(2025, 0, 1);
    const message = (id: string, threadId: string, offset: number) => ({
      id,
      threadId,
      resourceId: 'r',
      role: 'user' as const,
      type: 'text',
      createdAt: new Date(base + offset),
      content: { format: 2 as const, parts: [{ type: 'text' as const, text: id }] },
    });
    const operations: Operation[] = [
      {
        kind: 'saveThread',
        thread: { id: 'a', resourceId: 'r', createdAt: new Date(base), updatedAt: new Date(base) },
      },
      {
        kind: 'saveThread',
        thread: { id: 'b', resourceId: 'r', createdAt: new Date(base), updatedAt: new Date(base) },
      },
      {
        kind: 'saveMessages',
        messages: ['1', '2', '3', '4', '5', '6'].map((id, index) =>
          message(id, 'a', index * 10),
        ) as never,
      },
      { kind: 'saveMessages', messages: [message('x', 'b', 25), message('y', 'b', 25)] as never },
      {
        kind: 'listMessages',
        input: {
          threadId: 'b',
          include: [{ id: '4', withPreviousMessages: 2, withNextMessages: 5 }],
        },
      },
      { kind: 'updateMessages', messages: [{ id: '3', threadId: 'b' }] },
      { kind: 'listMessages', input: { threadId: 'a', perPage: 2, page: 1 } },
      { kind: 'listMessages', input: { threadId: ['a', 'b'], perPage: false } },
      {
        kind: 'listThreads',
        input: { filter: { resourceId: 'r' }, orderBy: { field: 'updatedAt', direction: 'ASC' } },
      },
      { kind: 'deleteThread', threadId: 'a' },
      { kind: 'listMessagesById', ids: ['1', '3', 'x'] },
    ];

    for (const [step, operation] of operations.entries()) {
      vi.setSystemTime(Date.UTC(2026, 0, 1) + step * 10);
      await compare(pair, operation, `step ${step}`);
    }
  });
});
