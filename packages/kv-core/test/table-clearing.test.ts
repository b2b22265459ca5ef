import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KeySchema,
  OperationCounter,
  batchInsert,
  chunk,
  clearTable,
  collectAllKeys,
  deleteAllKeys,
  dropTable,
  insert,
  isChunkKey,
  load,
  mapWithConcurrency,
  observeTransport,
  type RecordTable,
  type TableContext,
} from '../src/index.js';
import { captureRejection } from './support/capture-error.js';
import {
  randomPrefix,
  startMiniflareTransport,
  withListPageSize,
  type MiniflareTransport,
} from './support/miniflare-transport.js';

/**
 * Creates a table with a random name. All tables share one Miniflare namespace here, so a table
 * of its own lets a test use key prefixes such as '' and 'a' without a random part.
 */
function freshTable(): RecordTable {
  return {
    name: `t${crypto.randomUUID().replaceAll('-', '')}`,
    schema: { id: 'text', body: 'text' },
    primaryKey: ['id'],
  };
}

function records(count: number, body = 'x'): { id: string; body: string }[] {
  return Array.from({ length: count }, (_unused, index) => ({ id: `r${index}`, body }));
}

describe('miniflare: clearTable', () => {
  let kv: MiniflareTransport;
  beforeAll(async () => {
    kv = await startMiniflareTransport();
  });
  afterAll(() => kv.dispose());

  function contextFor(keyPrefix: string): TableContext {
    return { transport: kv.transport, keys: new KeySchema(keyPrefix) };
  }

  async function keysOf(context: TableContext, table: RecordTable): Promise<string[]> {
    const listed = await collectAllKeys(kv.transport, kv.table, context.keys.prefix(table.name));
    return listed.map((key) => key.name);
  }

  it("clearTable: prefix 'a' keeps 'ab'", async () => {
    const table = freshTable();
    const [short, long] = [contextFor('a'), contextFor('ab')];
    await batchInsert(short, table, records(3));
    await batchInsert(long, table, records(3));
    const longKeys = await keysOf(long, table);

    const deletedCount = await clearTable(short, table.name);

    expect(deletedCount).toBe(3);
    expect(await keysOf(short, table)).toEqual([]);
    expect(await keysOf(long, table)).toEqual(longKeys);
    expect(await load(long, table, { id: 'r0' })).toEqual({ id: 'r0', body: 'x' });
  });

  it("clearTable: prefix 'ab' keeps 'a'", async () => {
    const table = freshTable();
    const [short, long] = [contextFor('a'), contextFor('ab')];
    await batchInsert(short, table, records(3));
    await batchInsert(long, table, records(3));
    const shortKeys = await keysOf(short, table);

    await clearTable(long, table.name);

    expect(await keysOf(long, table)).toEqual([]);
    expect(await keysOf(short, table)).toEqual(shortKeys);
  });

  it('clearTable: empty prefix keeps other prefixes', async () => {
    const table = freshTable();
    const [unprefixed, prefixed] = [contextFor(''), contextFor('a')];
    await batchInsert(unprefixed, table, records(2));
    await batchInsert(prefixed, table, records(2));

    await clearTable(unprefixed, table.name);

    expect(await keysOf(unprefixed, table)).toEqual([]);
    expect(await keysOf(prefixed, table)).toHaveLength(2);
  });

  it('clearTable: keeps other tables', async () => {
    const [cleared, kept] = [freshTable(), freshTable()];
    const context = contextFor('a');
    await batchInsert(context, cleared, records(2));
    await batchInsert(context, kept, records(2));

    await clearTable(context, cleared.name);

    expect(await keysOf(context, cleared)).toEqual([]);
    expect(await keysOf(context, kept)).toHaveLength(2);
  });

  // The test transport writes and deletes the 1005 keys one call at a time, so this test is slow.
  it('clearTable: more keys than one page', async () => {
    const table = freshTable();
    const context = contextFor('a');
    const writes = chunk(records(1005), 50);
    await mapWithConcurrency(writes, 8, (batch) => batchInsert(context, table, batch));
    const counter = new OperationCounter();
    const observed = { ...context, transport: observeTransport(kv.transport, counter.listener) };

    const deletedCount = await clearTable(observed, table.name);

    expect(deletedCount).toBe(1005);
    expect(counter.snapshot().byOperation.list.calls).toBe(2);
    expect(counter.snapshot().byOperation.deleteMany.calls).toBe(1);
    expect(await keysOf(context, table)).toEqual([]);
  }, 120_000);

  it('clearTable: follows cursors over small pages', async () => {
    const table = freshTable();
    const context = contextFor('a');
    await batchInsert(context, table, records(25));
    const smallPages = { ...context, transport: withListPageSize(kv.transport, 7) };

    expect(await clearTable(smallPages, table.name)).toBe(25);

    expect(await keysOf(context, table)).toEqual([]);
  });

  it('clearTable: removes chunk keys', async () => {
    const table = freshTable();
    const context = contextFor('a');
    await insert(context, table, { id: 'big', body: 'y'.repeat(500) }, { chunkBytes: 100 });
    const before = await keysOf(context, table);
    expect(before.filter(isChunkKey).length).toBeGreaterThanOrEqual(5);

    const deletedCount = await clearTable(context, table.name);

    expect(deletedCount).toBe(before.length);
    expect(await keysOf(context, table)).toEqual([]);
  });

  it('clearTable: empty table deletes nothing', async () => {
    const counter = new OperationCounter();
    const context = contextFor('a');
    const observed = { ...context, transport: observeTransport(kv.transport, counter.listener) };

    expect(await clearTable(observed, freshTable().name)).toBe(0);

    expect(counter.snapshot().byOperation.deleteMany.calls).toBe(0);
  });

  it('dropTable: clears prefix, table stays usable', async () => {
    const table = freshTable();
    const [dropped, other] = [contextFor('a'), contextFor('ab')];
    await batchInsert(dropped, table, records(4));
    await batchInsert(other, table, records(1));

    expect(await dropTable(dropped, table.name)).toBe(4);
    await insert(dropped, table, { id: 'again', body: 'z' });

    expect(await keysOf(dropped, table)).toHaveLength(1);
    expect(await keysOf(other, table)).toHaveLength(1);
  });
});

describe('miniflare: deleteAllKeys', () => {
  let kv: MiniflareTransport;
  beforeAll(async () => {
    kv = await startMiniflareTransport();
  });
  afterAll(() => kv.dispose());

  async function writeKeys(prefix: string, count: number): Promise<void> {
    const names = Array.from({ length: count }, (_unused, index) => `${prefix}${index}`);
    await kv.transport.putMany(
      kv.table,
      names.map((name) => ({ key: name, value: '' })),
    );
  }

  it('deleteAllKeys: splits deletes by keysPerDelete', async () => {
    const prefix = `${randomPrefix()}:`;
    await writeKeys(prefix, 25);
    const counter = new OperationCounter();
    const transport = observeTransport(kv.transport, counter.listener);

    const deletedCount = await deleteAllKeys(transport, kv.table, prefix, { keysPerDelete: 10 });

    expect(deletedCount).toBe(25);
    const deletes = counter.snapshot().events.filter((event) => event.operation === 'deleteMany');
    expect(deletes.map((event) => event.keyCount)).toEqual([10, 10, 5]);
    expect(await collectAllKeys(kv.transport, kv.table, prefix)).toEqual([]);
  });

  it('deleteAllKeys: deletes between list pages', async () => {
    const prefix = `${randomPrefix()}:`;
    await writeKeys(prefix, 6);
    const counter = new OperationCounter();
    const transport = observeTransport(kv.transport, counter.listener);

    const deletedCount = await deleteAllKeys(transport, kv.table, prefix, {
      pageLimit: 2,
      keysPerDelete: 2,
    });

    expect(deletedCount).toBe(6);
    const operations = counter.snapshot().events.map((event) => event.operation);
    expect(operations.slice(0, 4)).toEqual(['list', 'deleteMany', 'list', 'deleteMany']);
    expect(await collectAllKeys(kv.transport, kv.table, prefix)).toEqual([]);
  });

  it('deleteAllKeys: rejects keysPerDelete over 10,000', async () => {
    const error = await captureRejection(
      deleteAllKeys(kv.transport, kv.table, 'p:', { keysPerDelete: 10_001 }),
    );

    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error).toMatchObject({ field: 'keysPerDelete', limit: 10_000, actual: 10_001 });
  });
});
