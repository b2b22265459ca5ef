import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OperationCounter,
  collectAllKeys,
  listAllKeys,
  observeTransport,
  type ListOptions,
  type ListPage,
  type Transport,
} from '../src/index.js';
import { captureRejection } from './support/capture-error.js';
import {
  randomPrefix,
  startMiniflareTransport,
  type MiniflareTransport,
} from './support/miniflare-transport.js';

describe('miniflare: listAllKeys', () => {
  let kv: MiniflareTransport;
  beforeAll(async () => {
    kv = await startMiniflareTransport();
  });
  afterAll(() => kv.dispose());

  async function writeKeys(prefix: string, count: number): Promise<string[]> {
    const names = Array.from({ length: count }, (_unused, index) => `${prefix}${index + 100}`);
    await kv.transport.putMany(
      kv.table,
      names.map((name) => ({ key: name, value: 'x' })),
    );
    return names;
  }

  it('listAllKeys: follows cursors to the last key', async () => {
    const prefix = `${randomPrefix()}:`;
    const names = await writeKeys(prefix, 25);
    const counter = new OperationCounter();
    const transport = observeTransport(kv.transport, counter.listener);

    const listed = await collectAllKeys(transport, kv.table, prefix, { pageLimit: 10 });
    expect(listed.map((key) => key.name)).toEqual(names);
    expect(counter.snapshot().byOperation.list.calls).toBe(3);
  });

  it('listAllKeys: lists only its own prefix', async () => {
    const prefix = `${randomPrefix()}:`;
    const names = await writeKeys(`${prefix}a:`, 3);
    await writeKeys(`${prefix}ab:`, 3);

    const listed = await collectAllKeys(kv.transport, kv.table, `${prefix}a:`);
    expect(listed.map((key) => key.name)).toEqual(names);
  });

  it('listAllKeys: returns list metadata', async () => {
    const prefix = `${randomPrefix()}:`;
    await kv.transport.put(kv.table, `${prefix}k`, 'v', { metadata: { n: 1 } });

    const listed = await collectAllKeys(kv.transport, kv.table, prefix);
    expect(listed).toEqual([{ name: `${prefix}k`, metadata: { n: 1 } }]);
  });

  it('listAllKeys: fetches no page the caller does not read', async () => {
    const prefix = `${randomPrefix()}:`;
    await writeKeys(prefix, 25);
    const counter = new OperationCounter();
    const transport = observeTransport(kv.transport, counter.listener);

    for await (const key of listAllKeys(transport, kv.table, prefix, { pageLimit: 10 })) {
      if (key.name.endsWith('109')) break;
    }
    expect(counter.snapshot().byOperation.list.calls).toBe(1);
  });

  it('listAllKeys: yields nothing for an empty prefix range', async () => {
    expect(await collectAllKeys(kv.transport, kv.table, `${randomPrefix()}:`)).toEqual([]);
  });
});

/** Replays scripted pages and records every call; it tests the loop, not KV. */
function scriptedTransport(pages: ListPage[]): { transport: Transport; calls: ListOptions[] } {
  const calls: ListOptions[] = [];
  const unused = (): never => {
    throw new Error('not scripted');
  };
  const transport: Transport = {
    name: 'scripted',
    get: unused,
    getMany: unused,
    getWithMetadata: unused,
    put: unused,
    putMany: unused,
    delete: unused,
    deleteMany: unused,
    async list(_table, options = {}) {
      calls.push(options);
      const page = pages[Math.min(calls.length - 1, pages.length - 1)];
      if (page === undefined) throw new Error('no page scripted');
      return page;
    },
  };
  return { transport, calls };
}

describe('scripted: listAllKeys', () => {
  it('listAllKeys: reads past an empty page that is not complete', async () => {
    const { transport, calls } = scriptedTransport([
      { keys: [{ name: 'p:a' }], cursor: 'c1', complete: false },
      { keys: [], cursor: 'c2', complete: false },
      { keys: [{ name: 'p:b' }], cursor: '', complete: true },
    ]);

    const listed = await collectAllKeys(transport, 'T', 'p:');
    expect(listed.map((key) => key.name)).toEqual(['p:a', 'p:b']);
    expect(calls).toHaveLength(3);
    expect(calls.map((call) => call.prefix)).toEqual(['p:', 'p:', 'p:']);
    expect(calls.map((call) => call.cursor)).toEqual([undefined, 'c1', 'c2']);
  });

  it('listAllKeys: ends a repeating cursor with LIST_DID_NOT_END', async () => {
    const { transport, calls } = scriptedTransport([
      { keys: [{ name: 'p:a' }], cursor: 'c1', complete: false },
    ]);

    const error = await captureRejection(collectAllKeys(transport, 'T', 'p:'));
    expect(error.code).toBe('LIST_DID_NOT_END');
    expect(error.table).toBe('T');
    expect(calls).toHaveLength(2);
  });

  it('listAllKeys: ends a cursor cycle with LIST_DID_NOT_END', async () => {
    const { transport, calls } = scriptedTransport([
      { keys: [], cursor: 'c1', complete: false },
      { keys: [], cursor: 'c2', complete: false },
      { keys: [], cursor: 'c1', complete: false },
    ]);

    expect((await captureRejection(collectAllKeys(transport, 'T', 'p:'))).code).toBe(
      'LIST_DID_NOT_END',
    );
    expect(calls).toHaveLength(3);
  });

  it('listAllKeys: rejects an incomplete page without a cursor', async () => {
    const { transport } = scriptedTransport([{ keys: [], complete: false }]);

    expect((await captureRejection(collectAllKeys(transport, 'T', 'p:'))).code).toBe(
      'LIST_DID_NOT_END',
    );
  });

  it('listAllKeys: stops after maxPages calls', async () => {
    let page = 0;
    const { transport, calls } = scriptedTransport([]);
    transport.list = async (_table, options = {}) => {
      calls.push(options);
      page += 1;
      return { keys: [], cursor: `c${page}`, complete: false };
    };

    const error = await captureRejection(collectAllKeys(transport, 'T', 'p:', { maxPages: 7 }));
    expect(error.code).toBe('LIST_DID_NOT_END');
    expect(calls).toHaveLength(7);
  });

  it('listAllKeys: rejects a page limit out of range', async () => {
    const { transport, calls } = scriptedTransport([{ keys: [], complete: true }]);

    for (const pageLimit of [0, 1001, 2.5]) {
      const error = await captureRejection(collectAllKeys(transport, 'T', 'p:', { pageLimit }));
      expect(error.code).toBe('INVALID_ARGUMENT');
    }
    expect(calls).toHaveLength(0);
  });
});
