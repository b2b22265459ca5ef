import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalKvServer } from '../src/index.js';
import { ApiClient, randomPrefix, startTestServer, type Envelope } from './helpers.js';

interface BulkResult {
  successful_key_count: number;
  unsuccessful_keys: string[];
}

describe('rest-local: bulk endpoints', () => {
  let server: LocalKvServer;
  let api: ApiClient;
  let namespaceId: string;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server);
    namespaceId = await api.createNamespace();
  });
  afterAll(() => server.close());

  it('bulk write: stores values, metadata and base64 bytes', async () => {
    const prefix = randomPrefix();
    const items = [
      { key: `${prefix}text`, value: 'plain' },
      { key: `${prefix}meta`, value: 'with meta', metadata: { n: 1 } },
      { key: `${prefix}bytes`, value: Buffer.from([0, 1, 255]).toString('base64'), base64: true },
      { key: `${prefix}ttl`, value: 'ttl', expiration_ttl: 3600 },
    ];

    const response = await api.sendJson('PUT', `/${namespaceId}/bulk`, items);
    const envelope = (await response.json()) as Envelope<BulkResult>;

    expect(response.status).toBe(200);
    expect(envelope.result).toEqual({ successful_key_count: 4, unsuccessful_keys: [] });
    expect(await (await api.getValue(namespaceId, `${prefix}text`)).text()).toBe('plain');
    const bytes = await (await api.getValue(namespaceId, `${prefix}bytes`)).arrayBuffer();
    expect(new Uint8Array(bytes)).toEqual(new Uint8Array([0, 1, 255]));
    const metadata = await api.json(
      `/${namespaceId}/metadata/${encodeURIComponent(`${prefix}meta`)}`,
    );
    expect(metadata.result).toEqual({ n: 1 });
  });

  it('bulk write: the last item of a repeated key wins', async () => {
    const key = `${randomPrefix()}repeat`;
    const items = [1, 2, 3].map((round) => ({ key, value: `v${round}` }));

    await api.sendJson('PUT', `/${namespaceId}/bulk`, items);

    expect(await (await api.getValue(namespaceId, key)).text()).toBe('v3');
  });

  it('bulk write: an invalid item rejects the whole request', async () => {
    const prefix = randomPrefix();
    const items = [
      { key: `${prefix}fine`, value: 'v' },
      { key: `${prefix}short-ttl`, value: 'v', expiration_ttl: 30 },
    ];

    const response = await api.sendJson('PUT', `/${namespaceId}/bulk`, items);

    expect(response.status).toBe(400);
    expect(((await response.json()) as Envelope).errors[0]?.code).toBe(10001);
    expect((await api.getValue(namespaceId, `${prefix}fine`)).status).toBe(404);
  });

  it('bulk write: expiration over 2^31 - 1 gives 400', async () => {
    const prefix = randomPrefix();
    const outOfRange = [
      { expiration_ttl: 2_147_483_648 },
      { expiration_ttl: 1e20 },
      { expiration: 2_147_483_648 },
      { expiration: 1e12 },
    ];
    for (const expiration of outOfRange) {
      const label = JSON.stringify(expiration);
      const items = [
        { key: `${prefix}fine`, value: 'v' },
        { key: `${prefix}far`, value: 'v', ...expiration },
      ];

      const response = await api.sendJson('PUT', `/${namespaceId}/bulk`, items);
      const envelope = (await response.json()) as Envelope;

      expect(response.status, label).toBe(400);
      expect(envelope.errors[0]?.code, label).toBe(10001);
      expect(envelope.errors[0]?.message, label).toContain('2147483647');
    }
    expect(await api.listAllPages(namespaceId, prefix, 10)).toEqual([[]]);
  });

  it('bulk write: lone surrogate key gives 400', async () => {
    const prefix = randomPrefix();
    const items = [
      { key: `${prefix}fine`, value: 'v' },
      { key: `${prefix}a\ud800b`, value: 'v' },
    ];

    const response = await api.sendJson('PUT', `/${namespaceId}/bulk`, items);
    const envelope = (await response.json()) as Envelope;

    expect(response.status).toBe(400);
    expect(envelope.errors[0]?.code).toBe(10001);
    expect(await api.listAllPages(namespaceId, prefix, 10)).toEqual([[]]);
  });

  it('bulk write: surrogate pair key round-trips', async () => {
    const key = `${randomPrefix()}smile\ud83d\ude00`;

    const response = await api.sendJson('PUT', `/${namespaceId}/bulk`, [{ key, value: 'v' }]);

    expect(response.status).toBe(200);
    expect(await (await api.getValue(namespaceId, key)).text()).toBe('v');
  });

  it('bulk write: more than 10,000 pairs gives 400', async () => {
    const items = Array.from({ length: 10_001 }, (_, index) => ({ key: `k${index}`, value: '' }));

    const response = await api.sendJson('PUT', `/${namespaceId}/bulk`, items);

    expect(response.status).toBe(400);
  });

  it('bulk write: body that is not an array gives 400', async () => {
    const response = await api.sendJson('PUT', `/${namespaceId}/bulk`, { key: 'k', value: 'v' });

    expect(response.status).toBe(400);
  });

  it('bulk delete: POST bulk/delete removes the keys', async () => {
    const prefix = randomPrefix();
    const keys = ['a', 'b', 'c'].map((name) => `${prefix}${name}`);
    await api.sendJson(
      'PUT',
      `/${namespaceId}/bulk`,
      keys.map((key) => ({ key, value: key })),
    );

    const response = await api.sendJson('POST', `/${namespaceId}/bulk/delete`, keys.slice(0, 2));
    const envelope = (await response.json()) as Envelope<BulkResult>;
    const remaining = await api.listAllPages(namespaceId, prefix, 10);

    expect(envelope.result).toEqual({ successful_key_count: 2, unsuccessful_keys: [] });
    expect(remaining.flat().map((entry) => entry.name)).toEqual([`${prefix}c`]);
  });

  it('bulk delete: the older DELETE bulk removes the keys', async () => {
    const prefix = randomPrefix();
    const keys = ['a', 'b'].map((name) => `${prefix}${name}`);
    await api.sendJson(
      'PUT',
      `/${namespaceId}/bulk`,
      keys.map((key) => ({ key, value: key })),
    );

    const response = await api.sendJson('DELETE', `/${namespaceId}/bulk`, keys);
    const remaining = await api.listAllPages(namespaceId, prefix, 10);

    expect(response.status).toBe(200);
    expect(remaining.flat()).toEqual([]);
  });

  it('bulk delete: an invalid key gives 400', async () => {
    const response = await api.sendJson('POST', `/${namespaceId}/bulk/delete`, ['ok', '']);

    expect(response.status).toBe(400);
  });

  it('bulk delete and get: lone surrogate key gives 400', async () => {
    const key = `${randomPrefix()}a\udc00b`;

    const deleted = await api.sendJson('POST', `/${namespaceId}/bulk/delete`, [key]);
    const read = await api.sendJson('POST', `/${namespaceId}/bulk/get`, { keys: [key] });

    expect(deleted.status).toBe(400);
    expect(((await deleted.json()) as Envelope).errors[0]?.code).toBe(10001);
    expect(read.status).toBe(400);
    expect(((await read.json()) as Envelope).errors[0]?.code).toBe(10001);
  });

  it('bulk get: returns text values with null for missing keys', async () => {
    const prefix = randomPrefix();
    await api.sendJson('PUT', `/${namespaceId}/bulk`, [
      { key: `${prefix}a`, value: 'A' },
      { key: `${prefix}b`, value: '{"n":2}' },
    ]);

    const envelope = await api.json<{ values: Record<string, unknown> }>(
      `/${namespaceId}/bulk/get`,
      {
        method: 'POST',
        body: JSON.stringify({ keys: [`${prefix}a`, `${prefix}b`, `${prefix}missing`] }),
      },
    );

    expect(envelope.result.values).toEqual({
      [`${prefix}a`]: 'A',
      [`${prefix}b`]: '{"n":2}',
      [`${prefix}missing`]: null,
    });
  });

  it('bulk get: type json parses and withMetadata adds metadata', async () => {
    const prefix = randomPrefix();
    await api.sendJson('PUT', `/${namespaceId}/bulk`, [
      { key: `${prefix}a`, value: '{"n":1}', metadata: { m: 'a' } },
      { key: `${prefix}b`, value: '[2]' },
    ]);

    const envelope = await api.json<{ values: Record<string, unknown> }>(
      `/${namespaceId}/bulk/get`,
      {
        method: 'POST',
        body: JSON.stringify({
          keys: [`${prefix}a`, `${prefix}b`, `${prefix}missing`],
          type: 'json',
          withMetadata: true,
        }),
      },
    );

    expect(envelope.result.values).toEqual({
      [`${prefix}a`]: { value: { n: 1 }, metadata: { m: 'a' } },
      [`${prefix}b`]: { value: [2], metadata: null },
      [`${prefix}missing`]: null,
    });
  });

  it('bulk get: type json on a non-JSON value gives 400', async () => {
    const key = `${randomPrefix()}text`;
    await api.putValue(namespaceId, key, 'not json');

    const response = await api.sendJson('POST', `/${namespaceId}/bulk/get`, {
      keys: [key],
      type: 'json',
    });

    expect(response.status).toBe(400);
  });

  it('bulk get: more than 100 keys gives 400', async () => {
    const keys = Array.from({ length: 101 }, (_, index) => `k${index}`);

    const response = await api.sendJson('POST', `/${namespaceId}/bulk/get`, { keys });

    expect(response.status).toBe(400);
    expect(((await response.json()) as Envelope).errors[0]?.code).toBe(10001);
  });
});
