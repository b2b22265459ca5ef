import { isCfkvError } from '@cfkv/core';
import {
  createMiniflareKv,
  FaultTransport,
  listAllPages,
  listedNames,
  randomPrefix,
  type MiniflareKv,
} from '@cfkv/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BindingTransport } from '../src/index.js';

const TABLE = 'faults';

describe('binding through faults: fault transport', () => {
  let kv: MiniflareKv;
  let binding: BindingTransport;
  beforeAll(async () => {
    kv = await createMiniflareKv([TABLE]);
    binding = new BindingTransport({ namespaces: kv.namespaces });
  });
  afterAll(() => kv.dispose());

  it('list: forced page size splits a listing into many pages', async () => {
    const transport = new FaultTransport(binding, { listPageSize: 3 });
    const prefix = randomPrefix();
    const keys = Array.from({ length: 10 }, (_, index) => `${prefix}${index}`);
    await transport.putMany(
      TABLE,
      keys.map((key) => ({ key, value: 'v' })),
    );

    const pages = await listAllPages(transport, TABLE, { prefix });

    expect(pages.map((page) => page.keys.length)).toEqual([3, 3, 3, 1]);
    expect(listedNames(pages)).toEqual(keys);
    expect(transport.counters.byOperation.list).toBe(4);
  });

  it('get: serves the previous value for the first stale reads', async () => {
    const transport = new FaultTransport(binding, { staleReads: 2 });
    const key = `${randomPrefix()}k`;
    await transport.put(TABLE, key, 'old');
    await transport.get(TABLE, key);
    await transport.get(TABLE, key);

    await transport.put(TABLE, key, 'new');

    expect(await transport.get(TABLE, key)).toBe('old');
    expect(await transport.getMany(TABLE, [key])).toEqual(['old']);
    expect(await transport.get(TABLE, key)).toBe('new');
    expect(transport.counters.staleReadsServed).toBe(4);
  });

  it('getWithMetadata: still serves a deleted key while reads are stale', async () => {
    const transport = new FaultTransport(binding, { staleReads: 1 });
    const key = `${randomPrefix()}k`;
    await binding.put(TABLE, key, 'value', { metadata: { version: 1 } });

    await transport.delete(TABLE, key);

    expect(await transport.getWithMetadata(TABLE, key)).toEqual({
      value: 'value',
      metadata: { version: 1 },
    });
    expect(await transport.getWithMetadata(TABLE, key)).toEqual({ value: null, metadata: null });
  });

  it('list: stale pages show deleted keys and hide new ones', async () => {
    const transport = new FaultTransport(binding, { staleReads: 1, listPageSize: 3 });
    const prefix = randomPrefix();
    const keys = Array.from({ length: 9 }, (_, index) => `${prefix}${index}`);
    await binding.putMany(
      TABLE,
      keys.map((key) => ({ key, value: 'v' })),
    );

    await transport.delete(TABLE, `${prefix}4`);
    await transport.put(TABLE, `${prefix}4a`, 'v');

    expect(listedNames(await listAllPages(transport, TABLE, { prefix }))).toEqual(keys);
    const fresh = keys
      .filter((key) => key !== `${prefix}4`)
      .concat(`${prefix}4a`)
      .sort();
    expect(listedNames(await listAllPages(transport, TABLE, { prefix }))).toEqual(fresh);
  });

  it('put: a second write to one key within a second is RATE_LIMITED', async () => {
    let now = 1_000_000;
    const transport = new FaultTransport(binding, {
      rateLimitRepeatWrites: true,
      now: () => now,
    });
    const key = `${randomPrefix()}k`;
    await transport.put(TABLE, key, 'first');

    now += 999;
    const error = await transport.put(TABLE, key, 'second').catch((caught: unknown) => caught);
    now += 1;
    await transport.put(TABLE, key, 'third');

    expect(isCfkvError(error, 'RATE_LIMITED')).toBe(true);
    expect(error).toMatchObject({ table: TABLE, key, status: 429 });
    expect(await transport.get(TABLE, key)).toBe('third');
    expect(transport.counters.rateLimited).toBe(1);
  });

  it('putMany: a key repeated in one call is RATE_LIMITED before writing', async () => {
    const transport = new FaultTransport(binding, { rateLimitRepeatWrites: true });
    const prefix = randomPrefix();

    const error = await transport
      .putMany(TABLE, [
        { key: `${prefix}a`, value: '1' },
        { key: `${prefix}a`, value: '2' },
      ])
      .catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'RATE_LIMITED')).toBe(true);
    expect(await binding.get(TABLE, `${prefix}a`)).toBeNull();
  });

  it('getMany: rejects keys past the bulk-get cap', async () => {
    const transport = new FaultTransport(binding, { bulkGetCap: 100 });
    const prefix = randomPrefix();
    const keys = Array.from({ length: 101 }, (_, index) => `${prefix}${index}`);

    const error = await transport.getMany(TABLE, keys).catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'BATCH_TOO_LARGE')).toBe(true);
    expect(error).toMatchObject({ limit: 100, actual: 101 });
    expect(await transport.getMany(TABLE, keys.slice(0, 100))).toHaveLength(100);
  });

  it('failOn: throws the returned error on the chosen call only', async () => {
    const injected = new Error('injected 500');
    const transport = new FaultTransport(binding, {
      failOn: (call) =>
        call.operation === 'put' && call.operationCallNumber === 2 ? injected : undefined,
    });
    const prefix = randomPrefix();

    await transport.put(TABLE, `${prefix}1`, 'v');
    const error = await transport.put(TABLE, `${prefix}2`, 'v').catch((caught: unknown) => caught);
    await transport.put(TABLE, `${prefix}3`, 'v');

    expect(error).toBe(injected);
    expect(listedNames(await listAllPages(binding, TABLE, { prefix }))).toEqual([
      `${prefix}1`,
      `${prefix}3`,
    ]);
    expect(transport.counters.injectedErrors).toBe(1);
  });

  it('operationBudget: throws past the budget until resetBudget', async () => {
    const transport = new FaultTransport(binding, { operationBudget: 2 });
    const key = `${randomPrefix()}k`;
    await transport.get(TABLE, key);
    await transport.get(TABLE, key);

    const error = await transport.get(TABLE, key).catch((caught: unknown) => caught);
    transport.resetBudget();

    expect(isCfkvError(error, 'TRANSPORT_FAILED')).toBe(true);
    expect(error).toMatchObject({ field: 'operationBudget', limit: 2, actual: 3 });
    await expect(transport.get(TABLE, key)).resolves.toBeNull();
    expect(transport.counters.byOperation.get).toBe(4);
  });
});
