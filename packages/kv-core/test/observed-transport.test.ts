import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_BULK_GET_KEYS,
  OperationCounter,
  getManyInBatches,
  observeTransport,
  type TransportEvent,
} from '../src/index.js';
import {
  randomPrefix,
  startMiniflareTransport,
  type MiniflareTransport,
} from './support/miniflare-transport.js';

describe('miniflare: observed transport', () => {
  let kv: MiniflareTransport;
  beforeAll(async () => {
    kv = await startMiniflareTransport();
  });
  afterAll(() => kv.dispose());

  it('observeTransport: reports every operation with its key count', async () => {
    const events: TransportEvent[] = [];
    const transport = observeTransport(kv.transport, (event) => events.push(event));
    const prefix = `${randomPrefix()}:`;

    await transport.put(kv.table, `${prefix}a`, '1');
    await transport.putMany(kv.table, [
      { key: `${prefix}b`, value: '2' },
      { key: `${prefix}c`, value: '3' },
    ]);
    expect(await transport.get(kv.table, `${prefix}a`)).toBe('1');
    expect(await transport.getMany(kv.table, [`${prefix}b`, `${prefix}c`, `${prefix}x`])).toEqual([
      '2',
      '3',
      null,
    ]);
    expect((await transport.getWithMetadata(kv.table, `${prefix}a`)).value).toBe('1');
    expect((await transport.list(kv.table, { prefix })).keys).toHaveLength(3);
    await transport.delete(kv.table, `${prefix}a`);
    await transport.deleteMany(kv.table, [`${prefix}b`, `${prefix}c`]);

    expect(events).toEqual([
      { operation: 'put', table: kv.table, keyCount: 1 },
      { operation: 'putMany', table: kv.table, keyCount: 2 },
      { operation: 'get', table: kv.table, keyCount: 1 },
      { operation: 'getMany', table: kv.table, keyCount: 3 },
      { operation: 'getWithMetadata', table: kv.table, keyCount: 1 },
      { operation: 'list', table: kv.table, keyCount: 0 },
      { operation: 'delete', table: kv.table, keyCount: 1 },
      { operation: 'deleteMany', table: kv.table, keyCount: 2 },
    ]);
    expect((await kv.transport.list(kv.table, { prefix })).keys).toEqual([]);
  });

  it('observeTransport: keeps the transport name', () => {
    expect(observeTransport(kv.transport, () => undefined).name).toBe(kv.transport.name);
  });

  it('observeTransport: fails the call when the listener throws', async () => {
    const key = `${randomPrefix()}:k`;
    const transport = observeTransport(kv.transport, () => {
      throw new Error('budget spent');
    });

    await expect(transport.put(kv.table, key, 'v')).rejects.toThrow('budget spent');
    expect(await kv.transport.get(kv.table, key)).toBeNull();
  });

  it('OperationCounter: totals calls and keys', async () => {
    const counter = new OperationCounter();
    const transport = observeTransport(kv.transport, counter.listener);
    const prefix = `${randomPrefix()}:`;
    const keys = Array.from({ length: 250 }, (_unused, index) => `${prefix}${index}`);

    await transport.putMany(
      kv.table,
      keys.map((key) => ({ key, value: key })),
    );
    const values = await getManyInBatches(transport, kv.table, keys);
    expect(values).toEqual(keys);

    const counts = counter.snapshot();
    expect(counts.calls).toBe(4);
    expect(counts.keys).toBe(500);
    expect(counts.byOperation.getMany).toEqual({ calls: 3, keys: 250, maxKeys: MAX_BULK_GET_KEYS });
    expect(counts.byOperation.putMany).toEqual({ calls: 1, keys: 250, maxKeys: 250 });
    expect(counts.byOperation.list).toEqual({ calls: 0, keys: 0, maxKeys: 0 });
    expect(counts.byTable[kv.table]?.calls).toBe(4);
  });

  it('OperationCounter: starts over after reset', async () => {
    const counter = new OperationCounter();
    const transport = observeTransport(kv.transport, counter.listener);

    await transport.get(kv.table, `${randomPrefix()}:k`);
    counter.reset();
    expect(counter.snapshot().calls).toBe(0);
    expect(counter.snapshot().events).toEqual([]);
  });
});
