import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KeySchema,
  MAX_VALUE_BYTES,
  OperationCounter,
  batchInsert,
  collectAllKeys,
  insert,
  isChunkKey,
  load,
  observeTransport,
  recordKey,
  type RecordTable,
  type TableContext,
} from '../src/index.js';
import { captureError, captureRejection } from './support/capture-error.js';
import {
  randomPrefix,
  startMiniflareTransport,
  type MiniflareTransport,
} from './support/miniflare-transport.js';

interface Thread {
  id: string;
  title: string;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

const THREADS: RecordTable = {
  name: 'threads',
  schema: { id: 'text', title: 'text', metadata: 'jsonb', createdAt: 'timestamp' },
  primaryKey: ['id'],
};

const RUNS: RecordTable = {
  name: 'runs',
  schema: { workflowName: 'text', runId: 'text', snapshot: 'jsonb' },
  primaryKey: ['workflowName', 'runId'],
  keyPart: 'run',
};

function makeThread(id: string, title = `title of ${id}`): Thread {
  return { id, title, metadata: { tags: ['a', 'b'] }, createdAt: new Date(Date.UTC(2026, 0, 2)) };
}

describe('miniflare: table records', () => {
  let kv: MiniflareTransport;
  beforeAll(async () => {
    kv = await startMiniflareTransport();
  });
  afterAll(() => kv.dispose());

  function freshContext(): TableContext {
    return { transport: kv.transport, keys: new KeySchema(randomPrefix()) };
  }

  async function storedKeys(context: TableContext, table: RecordTable): Promise<string[]> {
    const listed = await collectAllKeys(kv.transport, kv.table, context.keys.prefix(table.name));
    return listed.map((key) => key.name);
  }

  it('recordKey: keyPart, then primary key values', () => {
    const keys = new KeySchema('app:');

    const key = recordKey(keys, RUNS, { runId: 'r:1', workflowName: 'wf' });

    expect(key).toBe('app%3Aruns:run:wf:r%3A1');
  });

  it("recordKey: defaults keyPart to 'record'", () => {
    expect(recordKey(new KeySchema(''), THREADS, { id: 7 })).toBe('threads:record:7');
  });

  it('recordKey: rejects a missing key value', () => {
    const error = captureError(() => recordKey(new KeySchema(''), RUNS, { workflowName: 'wf' }));

    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error).toMatchObject({ table: 'runs', field: 'runId' });
    expect(error.message).toContain('got undefined');
  });

  it('recordKey: rejects an empty primaryKey', () => {
    const table: RecordTable = { ...THREADS, primaryKey: [] };

    const error = captureError(() => recordKey(new KeySchema(''), table, { id: 'x' }));

    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('primaryKey');
  });

  it('insert: round-trips through load', async () => {
    const context = freshContext();
    const thread = makeThread('t:1/%');

    await insert(context, THREADS, thread);
    const loaded = await load<Thread>(context, THREADS, { id: 't:1/%' });

    expect(loaded).toEqual(thread);
    expect(loaded?.createdAt).toBeInstanceOf(Date);
  });

  it('insert: replaces the same primary key', async () => {
    const context = freshContext();

    await insert(context, THREADS, makeThread('t1', 'first'));
    await insert(context, THREADS, makeThread('t1', 'second'));

    expect((await load<Thread>(context, THREADS, { id: 't1' }))?.title).toBe('second');
    expect(await storedKeys(context, THREADS)).toHaveLength(1);
  });

  it('insert: uses every primary key column', async () => {
    const context = freshContext();

    await insert(context, RUNS, { workflowName: 'wf', runId: 'r1', snapshot: { step: 1 } });
    await insert(context, RUNS, { workflowName: 'wf2', runId: 'r1', snapshot: { step: 2 } });

    const loaded = await load(context, RUNS, { workflowName: 'wf2', runId: 'r1' });
    expect(loaded).toEqual({ workflowName: 'wf2', runId: 'r1', snapshot: { step: 2 } });
  });

  it('insert: chunks a record over chunkBytes', async () => {
    const context = freshContext();
    const thread = makeThread('big', 'x€'.repeat(200));

    await insert(context, THREADS, thread, { chunkBytes: 64 });

    const names = await storedKeys(context, THREADS);
    expect(names.filter(isChunkKey).length).toBeGreaterThan(1);
    expect(await load<Thread>(context, THREADS, { id: 'big' })).toEqual(thread);
  });

  it('insert: rejects an unencodable record', async () => {
    const context = freshContext();
    const thread = { ...makeThread('t1'), createdAt: new Date(Number.NaN) };

    const error = await captureRejection(insert(context, THREADS, thread));

    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('createdAt');
    expect(await storedKeys(context, THREADS)).toEqual([]);
  });

  it('load: null for a missing record', async () => {
    expect(await load(freshContext(), THREADS, { id: 'missing' })).toBeNull();
  });

  it('batchInsert: one putMany for all records', async () => {
    const context = freshContext();
    const counter = new OperationCounter();
    const observed = { ...context, transport: observeTransport(kv.transport, counter.listener) };
    const threads = ['t1', 't2', 't3'].map((id) => makeThread(id));

    await batchInsert(observed, THREADS, threads);

    const calls = counter.snapshot().byOperation;
    expect(calls.putMany.calls).toBe(1);
    expect(counter.snapshot().calls).toBe(1);
    for (const thread of threads) {
      expect(await load(context, THREADS, { id: thread.id })).toEqual(thread);
    }
  });

  it('batchInsert: later duplicate wins', async () => {
    const context = freshContext();

    await batchInsert(context, THREADS, [makeThread('t1', 'first'), makeThread('t1', 'second')]);

    expect((await load<Thread>(context, THREADS, { id: 't1' }))?.title).toBe('second');
  });

  it('batchInsert: missing key writes nothing', async () => {
    const context = freshContext();
    const records = [makeThread('t1'), { title: 'no id' }];

    const error = await captureRejection(batchInsert(context, THREADS, records));

    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('id');
    expect(await storedKeys(context, THREADS)).toEqual([]);
  });

  it('batchInsert: oversized record writes nothing', async () => {
    const context = freshContext();
    const records = [makeThread('t1'), makeThread('t2', 'x'.repeat(MAX_VALUE_BYTES))];

    const error = await captureRejection(batchInsert(context, THREADS, records));

    expect(error.code).toBe('VALUE_TOO_LARGE');
    expect(error.key).toBe(recordKey(context.keys, THREADS, { id: 't2' }));
    expect(await storedKeys(context, THREADS)).toEqual([]);
  });

  it('batchInsert: no records, no call', async () => {
    const counter = new OperationCounter();
    const context = freshContext();
    const observed = { ...context, transport: observeTransport(kv.transport, counter.listener) };

    await batchInsert(observed, THREADS, []);

    expect(counter.snapshot().calls).toBe(0);
  });
});
