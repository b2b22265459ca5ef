import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OperationCounter,
  chunkKeyPrefix,
  collectAllKeys,
  deleteLargeValue,
  getLargeValue,
  isChunkKey,
  observeTransport,
  putLargeValue,
  utf8ByteLength,
  type Transport,
} from '../src/index.js';
import { captureRejection } from './support/capture-error.js';
import {
  randomPrefix,
  startMiniflareTransport,
  type MiniflareTransport,
} from './support/miniflare-transport.js';

/** Text mixing 1-, 2-, 3- and 4-byte UTF-8 characters, so chunk borders fall inside them. */
const MIXED_TEXT = 'a€ü\u{1F600}b'.repeat(40);

describe('miniflare: chunked value', () => {
  let kv: MiniflareTransport;
  beforeAll(async () => {
    kv = await startMiniflareTransport();
  });
  afterAll(() => kv.dispose());

  function freshKey(): string {
    return `${randomPrefix()}:wf:run`;
  }

  async function chunkNames(key: string): Promise<string[]> {
    return (await collectAllKeys(kv.transport, kv.table, chunkKeyPrefix(key))).map(
      (listed) => listed.name,
    );
  }

  it('putLargeValue: stores a small value as is', async () => {
    const key = freshKey();
    await putLargeValue(kv.transport, kv.table, key, '{"a":1}', { chunkBytes: 16 });

    expect(await kv.transport.get(kv.table, key)).toBe('{"a":1}');
    expect(await getLargeValue(kv.transport, kv.table, key)).toBe('{"a":1}');
    expect(await chunkNames(key)).toEqual([]);
  });

  it('getLargeValue: joins chunks into the whole value', async () => {
    const key = freshKey();
    await putLargeValue(kv.transport, kv.table, key, MIXED_TEXT, { chunkBytes: 16 });

    expect(await getLargeValue(kv.transport, kv.table, key)).toBe(MIXED_TEXT);
    const names = await chunkNames(key);
    expect(names.length).toBeGreaterThanOrEqual(Math.ceil(utf8ByteLength(MIXED_TEXT) / 16));
    expect(names.every(isChunkKey)).toBe(true);
    for (const name of names) {
      const chunk = (await kv.transport.get(kv.table, name)) as string;
      expect(utf8ByteLength(chunk)).toBeLessThanOrEqual(16);
      expect(chunk).not.toContain('\uFFFD');
    }
  });

  it('putLargeValue: writes chunks before the manifest', async () => {
    const counter = new OperationCounter();
    const transport = observeTransport(kv.transport, counter.listener);

    await putLargeValue(transport, kv.table, freshKey(), MIXED_TEXT, { chunkBytes: 64 });
    const writes = counter
      .snapshot()
      .events.filter((event) => event.operation.startsWith('put'))
      .map((event) => event.operation);
    expect(writes).toEqual(['putMany', 'put']);
  });

  it('putLargeValue: keeps the old value when the manifest write fails', async () => {
    const key = freshKey();
    await putLargeValue(kv.transport, kv.table, key, MIXED_TEXT, { chunkBytes: 32 });
    const failing: Transport = {
      ...kv.transport,
      put: async () => {
        throw new Error('injected put failure');
      },
    };

    await expect(
      putLargeValue(failing, kv.table, key, MIXED_TEXT.toUpperCase(), { chunkBytes: 32 }),
    ).rejects.toThrow('injected put failure');
    expect(await getLargeValue(kv.transport, kv.table, key)).toBe(MIXED_TEXT);
  });

  it('putLargeValue: deletes the chunks of the value it replaces', async () => {
    const key = freshKey();
    await putLargeValue(kv.transport, kv.table, key, MIXED_TEXT, { chunkBytes: 32 });
    const firstChunks = await chunkNames(key);

    await putLargeValue(kv.transport, kv.table, key, `${MIXED_TEXT}!`, { chunkBytes: 32 });
    const secondChunks = await chunkNames(key);
    expect(secondChunks.filter((name) => firstChunks.includes(name))).toEqual([]);
    expect(await getLargeValue(kv.transport, kv.table, key)).toBe(`${MIXED_TEXT}!`);

    await putLargeValue(kv.transport, kv.table, key, 'small', { chunkBytes: 32 });
    expect(await chunkNames(key)).toEqual([]);
    expect(await getLargeValue(kv.transport, kv.table, key)).toBe('small');
  });

  it('getLargeValue: rereads the manifest when a rewrite removes its chunks', async () => {
    const key = freshKey();
    await putLargeValue(kv.transport, kv.table, key, MIXED_TEXT, { chunkBytes: 32 });
    let rewritten = false;
    const racing: Transport = {
      ...kv.transport,
      async getMany(table, keys) {
        if (!rewritten) {
          rewritten = true;
          await putLargeValue(kv.transport, table, key, 'replaced'.repeat(10), { chunkBytes: 32 });
        }
        return kv.transport.getMany(table, keys);
      },
    };

    expect(await getLargeValue(racing, kv.table, key)).toBe('replaced'.repeat(10));
  });

  it('getLargeValue: returns null when a delete removes the chunks', async () => {
    const key = freshKey();
    await putLargeValue(kv.transport, kv.table, key, MIXED_TEXT, { chunkBytes: 32 });
    const racing: Transport = {
      ...kv.transport,
      async getMany(table, keys) {
        await deleteLargeValue(kv.transport, table, key);
        return kv.transport.getMany(table, keys);
      },
    };

    expect(await getLargeValue(racing, kv.table, key)).toBeNull();
  });

  it('getLargeValue: rejects a manifest whose chunks are gone', async () => {
    const key = freshKey();
    await putLargeValue(kv.transport, kv.table, key, MIXED_TEXT, { chunkBytes: 32 });
    await kv.transport.deleteMany(kv.table, (await chunkNames(key)).slice(0, 1));

    const error = await captureRejection(getLargeValue(kv.transport, kv.table, key));
    expect(error.code).toBe('CORRUPT_RECORD');
    expect(error.key).toBe(key);
  });

  it('getLargeValue: rejects a malformed manifest', async () => {
    const key = freshKey();
    await putLargeValue(kv.transport, kv.table, key, MIXED_TEXT, { chunkBytes: 32 });
    const manifest = (await kv.transport.get(kv.table, key)) as string;
    await kv.transport.put(kv.table, key, manifest.slice(0, -3));

    const error = await captureRejection(getLargeValue(kv.transport, kv.table, key));
    expect(error.code).toBe('CORRUPT_RECORD');
    expect(error.table).toBe(kv.table);
  });

  it('getLargeValue: returns null for a missing key', async () => {
    expect(await getLargeValue(kv.transport, kv.table, freshKey())).toBeNull();
  });

  it('putLargeValue: stores a value that looks like a manifest', async () => {
    const key = freshKey();
    const value = 'cfkv-chunked-value:1\n{"writeId":"00","chunkCount":0,"chunkBytes":8,"length":0}';
    await putLargeValue(kv.transport, kv.table, key, value, { chunkBytes: 1024 });

    expect(await getLargeValue(kv.transport, kv.table, key)).toBe(value);
  });

  it('putLargeValue: puts metadata on the main key', async () => {
    const key = freshKey();
    await putLargeValue(kv.transport, kv.table, key, MIXED_TEXT, {
      chunkBytes: 32,
      metadata: { status: 'running' },
    });

    const stored = await kv.transport.getWithMetadata(kv.table, key);
    expect(stored.metadata).toEqual({ status: 'running' });
  });

  it('deleteLargeValue: leaves no key behind', async () => {
    const key = freshKey();
    const sibling = `${key}x`;
    await putLargeValue(kv.transport, kv.table, key, MIXED_TEXT, { chunkBytes: 32 });
    await putLargeValue(kv.transport, kv.table, sibling, MIXED_TEXT, { chunkBytes: 32 });

    await deleteLargeValue(kv.transport, kv.table, key);
    expect(await kv.transport.get(kv.table, key)).toBeNull();
    expect(await chunkNames(key)).toEqual([]);
    expect(await getLargeValue(kv.transport, kv.table, sibling)).toBe(MIXED_TEXT);
  });

  it('putLargeValue: rejects a chunk size out of range before writing', async () => {
    const key = freshKey();
    for (const chunkBytes of [3, 26 * 1024 * 1024, 10.5]) {
      const error = await captureRejection(
        putLargeValue(kv.transport, kv.table, key, MIXED_TEXT, { chunkBytes }),
      );
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.field).toBe('chunkBytes');
    }
    expect(await kv.transport.get(kv.table, key)).toBeNull();
  });

  it('putLargeValue: rejects a TTL under 60 seconds before writing', async () => {
    const key = freshKey();
    const error = await captureRejection(
      putLargeValue(kv.transport, kv.table, key, MIXED_TEXT, { chunkBytes: 32, expirationTtl: 59 }),
    );

    expect(error.code).toBe('EXPIRATION_TOO_SHORT');
    expect(await chunkNames(key)).toEqual([]);
  });

  it('putLargeValue: stores a value over the 25 MiB limit', async () => {
    const key = freshKey();
    const value = 'x'.repeat(26 * 1024 * 1024);

    await putLargeValue(kv.transport, kv.table, key, value);
    expect(await getLargeValue(kv.transport, kv.table, key)).toBe(value);
    expect(await chunkNames(key)).toHaveLength(2);
    await deleteLargeValue(kv.transport, kv.table, key);
  });
});
