import { isCfkvError, MAX_BULK_WRITE_PAIRS } from '@cfkv/core';
import { randomPrefix, SPECIAL_KEY_NAMES } from '@cfkv/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestTransport } from '../src/index.js';
import { countRequests, startLocalRest, type LocalRest } from './support/local-rest.js';

const TABLE = 'bulk';
const ENTRY_COUNT = 10_500;
const LARGE_TEST_TIMEOUT_MS = 300_000;

describe('rest: bulk requests', () => {
  let local: LocalRest;
  let transport: RestTransport;
  beforeAll(async () => {
    local = await startLocalRest();
    // A bulk write of 10,000 keys into Miniflare takes many seconds on a busy machine.
    transport = local.createTransport({ timeoutMs: 240_000, deadlineMs: 240_000, maxRetries: 0 });
    await transport.init([TABLE]);
  });
  afterAll(() => local.close());

  it(
    'putMany: splits 10,500 entries into 2 bulk writes and deleteMany into 2 deletes',
    { timeout: LARGE_TEST_TIMEOUT_MS },
    async () => {
      const prefix = randomPrefix();
      const keys = Array.from({ length: ENTRY_COUNT }, (_, index) => `${prefix}${index}`);
      const before = local.requests.length;

      await transport.putMany(
        TABLE,
        keys.map((key) => ({ key, value: `v${key}` })),
      );

      expect(countRequests(local.requests.slice(before), 'PUT', '/bulk')).toBe(2);
      const sample = [
        keys[0],
        keys[MAX_BULK_WRITE_PAIRS - 1],
        keys[MAX_BULK_WRITE_PAIRS],
        keys.at(-1),
      ];
      expect(await transport.getMany(TABLE, sample as string[])).toEqual(
        sample.map((key) => `v${key}`),
      );

      const beforeDelete = local.requests.length;
      await transport.deleteMany(TABLE, keys);

      expect(countRequests(local.requests.slice(beforeDelete), 'POST', '/bulk/delete')).toBe(2);
      expect(await transport.list(TABLE, { prefix })).toEqual({ keys: [], complete: true });
    },
  );

  it('putMany: a repeated key keeps its last value', async () => {
    const key = `${randomPrefix()}repeated`;

    await transport.putMany(TABLE, [
      { key, value: 'first' },
      { key, value: 'last' },
    ]);

    expect(await transport.get(TABLE, key)).toBe('last');
  });

  it('getMany: a repeated key is read once and aligned twice', async () => {
    const key = `${randomPrefix()}k`;
    await transport.put(TABLE, key, 'v');

    expect(await transport.getMany(TABLE, [key, `${key}-missing`, key])).toEqual(['v', null, 'v']);
  });

  it('list: a limit under 10 still returns a valid page', async () => {
    const prefix = randomPrefix();
    await transport.putMany(
      TABLE,
      ['a', 'b', 'c'].map((name) => ({ key: `${prefix}${name}`, value: 'v' })),
    );

    const page = await transport.list(TABLE, { prefix, limit: 2 });

    expect(page.keys.map((key) => key.name)).toEqual([`${prefix}a`, `${prefix}b`, `${prefix}c`]);
    expect(page.complete).toBe(true);
  });

  it('list: rejects a limit over 1000 before any request', async () => {
    const before = local.requests.length;

    const error = await transport.list(TABLE, { limit: 1001 }).catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(local.requests.length).toBe(before);
  });
});

describe('rest: key encoding', () => {
  let local: LocalRest;
  let transport: RestTransport;
  beforeAll(async () => {
    local = await startLocalRest();
    transport = local.createTransport();
    await transport.init([TABLE]);
  });
  afterAll(() => local.close());

  for (const keyName of SPECIAL_KEY_NAMES) {
    it(`put: ${JSON.stringify(keyName)} is percent-encoded in the path`, async () => {
      const key = `${randomPrefix()}${keyName}`;
      const before = local.requests.length;

      await transport.put(TABLE, key, 'v');
      const value = await transport.get(TABLE, key);

      const paths = local.requests.slice(before).map((event) => event.path);
      const expectedSuffix = `/values/${encodeURIComponent(key)}`;
      expect(paths.every((path) => path.endsWith(expectedSuffix))).toBe(true);
      expect(paths).toHaveLength(2);
      expect(value).toBe('v');
      const [listed] = (await transport.list(TABLE, { prefix: key })).keys;
      expect(listed?.name).toBe(key);
    });
  }
});

describe('rest: values', () => {
  let local: LocalRest;
  let transport: RestTransport;
  beforeAll(async () => {
    local = await startLocalRest();
    transport = local.createTransport();
  });
  afterAll(() => local.close());

  const LINE_BREAKS = 'a\nb\r\nc\rd';

  it('put: keeps line breaks byte-exact with metadata', async () => {
    const key = `${randomPrefix()}k`;

    await transport.put(TABLE, key, LINE_BREAKS, { metadata: { kind: 'text' } });

    expect(await transport.get(TABLE, key)).toBe(LINE_BREAKS);
    expect(await transport.getWithMetadata(TABLE, key)).toEqual({
      value: LINE_BREAKS,
      metadata: { kind: 'text' },
    });
  });

  it('put: keeps line breaks and unicode without metadata', async () => {
    const key = `${randomPrefix()}k`;
    const value = `${LINE_BREAKS} ünï € 😀`;

    await transport.put(TABLE, key, value);

    expect(await transport.get(TABLE, key)).toBe(value);
    expect(await transport.getMany(TABLE, [key])).toEqual([value]);
  });

  it('putMany: keeps line breaks and metadata', async () => {
    const key = `${randomPrefix()}k`;

    await transport.putMany(TABLE, [{ key, value: LINE_BREAKS, metadata: { n: 1 } }]);

    expect(await transport.getWithMetadata(TABLE, key)).toEqual({
      value: LINE_BREAKS,
      metadata: { n: 1 },
    });
  });
});
