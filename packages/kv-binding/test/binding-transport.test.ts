import { isCfkvError, type KVNamespaceLike } from '@cfkv/core';
import { createMiniflareKv, randomPrefix, type MiniflareKv } from '@cfkv/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BindingTransport, DEFAULT_MAX_CONCURRENCY } from '../src/index.js';

const TABLE = 'threads';

describe('binding: construction', () => {
  let kv: MiniflareKv;
  beforeAll(async () => {
    kv = await createMiniflareKv([TABLE]);
  });
  afterAll(() => kv.dispose());

  it('constructor: rejects a binding that is not a KV namespace', () => {
    const namespaces = { [TABLE]: kv.namespaces[TABLE], messages: { get() {} } };

    const error = catchError(
      () =>
        new BindingTransport({
          namespaces: namespaces as unknown as Record<string, KVNamespaceLike>,
        }),
    );

    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(error).toMatchObject({ field: 'namespaces.messages' });
    expect((error as Error).message).toContain('put, list, delete');
  });

  it('constructor: rejects namespaces that is not an object', () => {
    const namespaces = undefined as unknown as Record<string, KVNamespaceLike>;

    const error = catchError(() => new BindingTransport({ namespaces }));

    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(error).toMatchObject({ field: 'namespaces' });
  });

  it('constructor: rejects maxConcurrency below 1', () => {
    const error = catchError(
      () => new BindingTransport({ namespaces: kv.namespaces, maxConcurrency: 0 }),
    );

    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(error).toMatchObject({ field: 'maxConcurrency', actual: 0 });
  });

  it('get: names the table and the bindings when a table has no namespace', async () => {
    const transport = new BindingTransport({ namespaces: kv.namespaces });

    const error = await transport.get('messages', 'key').catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'MISSING_BINDING')).toBe(true);
    expect(error).toMatchObject({ table: 'messages' });
    expect((error as Error).message).toContain('messages');
    expect((error as Error).message).toContain(TABLE);
  });

  it('putMany: rejects an unbound table named constructor', async () => {
    const transport = new BindingTransport({ namespaces: kv.namespaces });

    const error = await transport
      .putMany('constructor', [{ key: 'k', value: 'v' }])
      .catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'MISSING_BINDING')).toBe(true);
    expect(error).toMatchObject({ table: 'constructor' });
  });
});

describe('binding: failures', () => {
  let kv: MiniflareKv;
  beforeAll(async () => {
    kv = await createMiniflareKv([TABLE]);
  });
  afterAll(() => kv.dispose());

  it('get: wraps a binding error in TRANSPORT_FAILED with the cause', async () => {
    const stopped = await createMiniflareKv([TABLE]);
    const transport = new BindingTransport({ namespaces: stopped.namespaces });
    await stopped.dispose();

    const error = await transport.get(TABLE, 'key').catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'TRANSPORT_FAILED')).toBe(true);
    expect(error).toMatchObject({ table: TABLE, key: 'key', operation: 'get' });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('put: a 429 from the binding is RATE_LIMITED', async () => {
    const key = `${randomPrefix()}hot`;
    const namespace = failingPuts(
      kv.namespaces[TABLE] as KVNamespaceLike,
      key,
      'KV PUT failed: 429 Too Many Requests',
    );
    const transport = new BindingTransport({ namespaces: { [TABLE]: namespace } });

    const error = await transport.put(TABLE, key, 'v').catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'RATE_LIMITED')).toBe(true);
    expect(await transport.get(TABLE, key)).toBeNull();
  });

  it('put: other binding failures stay TRANSPORT_FAILED', async () => {
    const key = `${randomPrefix()}broken`;
    const namespace = failingPuts(kv.namespaces[TABLE] as KVNamespaceLike, key);
    const transport = new BindingTransport({ namespaces: { [TABLE]: namespace } });

    const error = await transport.put(TABLE, key, 'v').catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'TRANSPORT_FAILED')).toBe(true);
  });

  it('putMany: reports written and unwritten keys when one put fails', async () => {
    const prefix = randomPrefix();
    const failingKey = `${prefix}b`;
    const namespace = failingPuts(kv.namespaces[TABLE] as KVNamespaceLike, failingKey);
    const transport = new BindingTransport({
      namespaces: { [TABLE]: namespace },
      maxConcurrency: 1,
    });
    const keys = [`${prefix}a`, failingKey, `${prefix}c`];

    const error = await transport
      .putMany(
        TABLE,
        keys.map((key) => ({ key, value: 'v' })),
      )
      .catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'PARTIAL_WRITE')).toBe(true);
    expect(error).toMatchObject({
      writtenKeys: [`${prefix}a`],
      unwrittenKeys: [failingKey, `${prefix}c`],
    });
    expect(isCfkvError((error as Error).cause, 'TRANSPORT_FAILED')).toBe(true);
    expect(await transport.get(TABLE, `${prefix}c`)).toBeNull();
  });

  it('putMany: keeps at most maxConcurrency puts in flight', async () => {
    const prefix = randomPrefix();
    const tracked = trackConcurrency(kv.namespaces[TABLE] as KVNamespaceLike);
    const transport = new BindingTransport({
      namespaces: { [TABLE]: tracked.namespace },
      maxConcurrency: 3,
    });
    const entries = Array.from({ length: 20 }, (_, index) => ({
      key: `${prefix}${index}`,
      value: 'v',
    }));

    await transport.putMany(TABLE, entries);

    expect(tracked.maxInFlight()).toBe(3);
    expect(tracked.calls()).toBe(20);
  });

  it('putMany: uses the default concurrency of 6', async () => {
    const prefix = randomPrefix();
    const tracked = trackConcurrency(kv.namespaces[TABLE] as KVNamespaceLike);
    const transport = new BindingTransport({ namespaces: { [TABLE]: tracked.namespace } });
    const entries = Array.from({ length: 20 }, (_, index) => ({
      key: `${prefix}${index}`,
      value: 'v',
    }));

    await transport.putMany(TABLE, entries);

    expect(tracked.maxInFlight()).toBe(DEFAULT_MAX_CONCURRENCY);
  });

  it('putMany: writes a repeated key once, with its last value', async () => {
    const prefix = randomPrefix();
    const tracked = trackConcurrency(kv.namespaces[TABLE] as KVNamespaceLike);
    const transport = new BindingTransport({ namespaces: { [TABLE]: tracked.namespace } });

    await transport.putMany(TABLE, [
      { key: `${prefix}k`, value: 'first' },
      { key: `${prefix}k`, value: 'last' },
    ]);

    expect(tracked.calls()).toBe(1);
    expect(await transport.get(TABLE, `${prefix}k`)).toBe('last');
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to throw.');
}

/** Wraps a real namespace so that putting `failingKey` throws as a failed binding call would. */
function failingPuts(
  namespace: KVNamespaceLike,
  failingKey: string,
  message = 'KV PUT failed: 500 Internal Server Error',
): KVNamespaceLike {
  return {
    get: namespace.get.bind(namespace),
    getWithMetadata: namespace.getWithMetadata.bind(namespace),
    list: namespace.list.bind(namespace),
    delete: namespace.delete.bind(namespace),
    put: async (key, value, options) => {
      if (key === failingKey) throw new Error(message);
      return namespace.put(key, value, options);
    },
  } as KVNamespaceLike;
}

/** Wraps a real namespace and records how many puts run at the same time. */
function trackConcurrency(namespace: KVNamespaceLike) {
  let inFlight = 0;
  let maxInFlight = 0;
  let calls = 0;
  const tracked = {
    get: namespace.get.bind(namespace),
    getWithMetadata: namespace.getWithMetadata.bind(namespace),
    list: namespace.list.bind(namespace),
    delete: namespace.delete.bind(namespace),
    put: async (key: string, value: string, options?: object) => {
      calls++;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await namespace.put(key, value, options);
      } finally {
        inFlight--;
      }
    },
  } as KVNamespaceLike;
  return { namespace: tracked, maxInFlight: () => maxInFlight, calls: () => calls };
}
