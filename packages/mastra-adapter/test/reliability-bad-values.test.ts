import { randomPrefix } from '@cfkv/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, ids, makeMessage, makeThread } from './contract/store-fixture.js';
import { expectRejectedWithoutWrites } from './reliability/bad-input-expect.js';
import { startBindingBackend, type Backend } from './reliability/reliability-fixture.js';

/** One byte past KV's 25 MiB value limit. */
const OVER_VALUE_LIMIT = 25 * 1024 * 1024 + 1;

describe('binding: bad values and paging', () => {
  let backend: Backend;
  let keyPrefix: string;
  let memory: ReturnType<Backend['openStore']>['stores']['memory'];
  beforeAll(async () => {
    backend = await startBindingBackend();
  });
  afterAll(async () => {
    await backend.dispose();
  });
  /** Opens a fresh store with thread t1 of resource r1 and its messages m0..m4. */
  async function storeWithMessages() {
    keyPrefix = randomPrefix('rel');
    memory = backend.openStore({ keyPrefix }).stores.memory;
    await memory.saveThread({ thread: makeThread('t1', 'r1', at(0)) });
    await memory.saveMessages({
      messages: [0, 1, 2, 3, 4].map((n) => makeMessage(`m${n}`, 't1', at(n + 1))),
    });
    return memory;
  }
  const rejects = (
    call: () => Promise<unknown>,
    expected: Parameters<typeof expectRejectedWithoutWrites>[3],
  ) => expectRejectedWithoutWrites(backend, keyPrefix, call, expected);

  it('saveThread: rejects metadata with a cycle, naming the field', async () => {
    await storeWithMessages();
    const metadata: Record<string, unknown> = { name: 'loop' };
    metadata.self = metadata;
    const error = await rejects(
      () => memory.saveThread({ thread: makeThread('t2', 'r1', at(0), { metadata }) }),
      {
        code: 'INVALID_ARGUMENT',
        field: 'metadata',
      },
    );
    expect(error.details?.key).toMatch(/mastra_threads:record:t2$/);
  });

  it('saveThread: rejects metadata holding a BigInt, naming the field', async () => {
    await storeWithMessages();
    const metadata = { count: 10n };
    await rejects(
      () => memory.saveThread({ thread: makeThread('t2', 'r1', at(0), { metadata }) }),
      {
        code: 'INVALID_ARGUMENT',
        field: 'metadata',
      },
    );
  });

  it('updateThread: rejects metadata with a cycle and keeps the thread', async () => {
    await storeWithMessages();
    const metadata: Record<string, unknown> = {};
    metadata.self = metadata;
    await rejects(() => memory.updateThread({ id: 't1', title: 'new', metadata }), {
      code: 'INVALID_ARGUMENT',
      field: 'metadata',
    });
    expect((await memory.getThreadById({ threadId: 't1' }))?.title).toBe('title t1');
  });

  it('saveMessages: rejects content with a BigInt and writes no message of the batch', async () => {
    await storeWithMessages();
    const bad = makeMessage('m9', 't1', at(9), {
      content: { format: 2, parts: [], n: 1n } as never,
    });
    await rejects(() => memory.saveMessages({ messages: [makeMessage('m8', 't1', at(8)), bad] }), {
      code: 'INVALID_ARGUMENT',
      field: 'content',
    });
  });

  it('listMessages: a page past the end without total counts exactly', async () => {
    await storeWithMessages();

    const pastEnd = await memory.listMessages({
      threadId: 't1',
      includeTotal: false,
      perPage: 2,
      page: 10,
    });

    expect(pastEnd.messages).toEqual([]);
    expect(pastEnd.total).toBe(5);
    expect(pastEnd.hasMore).toBe(false);
  });

  it('saveThread: rejects an invalid createdAt, calling it an invalid Date', async () => {
    await storeWithMessages();
    const error = await rejects(
      () => memory.saveThread({ thread: makeThread('t2', 'r1', new Date('not a date')) }),
      { code: 'INVALID_ARGUMENT', field: 'createdAt' },
    );
    expect(error.message).toMatch(/got an invalid Date/);
  });

  it('getThreadById: names a function id by its kind, never its source', async () => {
    await storeWithMessages();
    const secret = 'function-source-secret-81f3';
    const threadId = new Function(`return '${secret}';`) as unknown as string;

    const error = await rejects(() => memory.getThreadById({ threadId }), {
      code: 'INVALID_ARGUMENT',
      field: 'threadId',
    });

    expect(error.message).toMatch(/got a function/);
    expect(error.message).not.toContain(secret);
  });

  it('saveMessages: rejects an invalid createdAt', async () => {
    await storeWithMessages();
    await rejects(
      () => memory.saveMessages({ messages: [makeMessage('m9', 't1', new Date(Number.NaN))] }),
      { code: 'INVALID_ARGUMENT', field: 'createdAt' },
    );
  });

  it('saveThread: metadata over 25 MiB is rejected before any write', async () => {
    await storeWithMessages();
    const metadata = { blob: 'x'.repeat(OVER_VALUE_LIMIT) };
    await rejects(
      () => memory.saveThread({ thread: makeThread('t2', 'r1', at(0), { metadata }) }),
      {
        code: 'VALUE_TOO_LARGE',
      },
    );
  });

  it('saveMessages: content over 25 MiB is rejected before any write, batch included', async () => {
    await storeWithMessages();
    const huge = makeMessage('m9', 't1', at(9), {
      content: { format: 2, parts: [{ type: 'text', text: 'x'.repeat(OVER_VALUE_LIMIT) }] },
    });
    await rejects(() => memory.saveMessages({ messages: [makeMessage('m8', 't1', at(8)), huge] }), {
      code: 'VALUE_TOO_LARGE',
    });
  });

  it('saveMessages: saves messages of a missing thread', async () => {
    await storeWithMessages();

    await memory.saveMessages({ messages: [makeMessage('orphan', 'no-such-thread', at(1))] });

    expect(await memory.getThreadById({ threadId: 'no-such-thread' })).toBeNull();
    const listed = await memory.listMessages({ threadId: 'no-such-thread' });
    expect(ids(listed.messages)).toEqual(['orphan']);
  });

  it("listMessages: perPage 0 returns no messages and total 0, as Mastra's in-memory store", async () => {
    await storeWithMessages();
    const listed = await memory.listMessages({ threadId: 't1', perPage: 0 });
    expect(listed).toEqual({ messages: [], total: 0, page: 0, perPage: 0, hasMore: false });
  });

  it('listMessages: rejects a negative perPage as bad input', async () => {
    await storeWithMessages();
    await rejects(() => memory.listMessages({ threadId: 't1', perPage: -1 }), {
      code: 'INVALID_ARGUMENT',
      field: 'perPage',
    });
  });

  it('listMessages: a huge perPage returns every message', async () => {
    await storeWithMessages();
    const listed = await memory.listMessages({ threadId: 't1', perPage: 1_000_000_000 });
    expect(ids(listed.messages)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(listed).toMatchObject({ total: 5, hasMore: false });
  });

  it('listMessages: a page past the end is empty with the true total', async () => {
    await storeWithMessages();
    const listed = await memory.listMessages({ threadId: 't1', perPage: 2, page: 7 });
    expect(listed).toMatchObject({ messages: [], total: 5, page: 7, hasMore: false });
  });

  it('listMessages: rejects a negative page', async () => {
    await storeWithMessages();
    await rejects(() => memory.listMessages({ threadId: 't1', page: -1 }), {
      code: 'INVALID_ARGUMENT',
      field: 'page',
    });
  });

  it('listThreads: rejects a negative perPage as bad input', async () => {
    await storeWithMessages();
    await rejects(() => memory.listThreads({ filter: { resourceId: 'r1' }, perPage: -5 }), {
      code: 'INVALID_ARGUMENT',
      field: 'perPage',
    });
  });

  it('listThreads: a page past the end is empty with the true total', async () => {
    await storeWithMessages();
    const listed = await memory.listThreads({ filter: { resourceId: 'r1' }, perPage: 10, page: 3 });
    expect(listed).toMatchObject({ threads: [], total: 1, hasMore: false });
  });

  it('updateThread: rejects a thread that does not exist and writes nothing', async () => {
    await storeWithMessages();
    await rejects(() => memory.updateThread({ id: 'missing', title: 'x', metadata: {} }), {
      code: 'INVALID_ARGUMENT',
      field: 'id',
    });
  });
});
