import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalKvServer } from '../src/index.js';
import type { KvBinding } from '../src/kv-binding.js';
import { createSeededRandom } from '../src/seeded-random.js';
import {
  ApiClient,
  randomPrefix,
  SPECIAL_KEYS,
  startTestServer,
  type Envelope,
} from './helpers.js';

interface ListedPage {
  names: string[];
  metadata: unknown[];
  complete: boolean;
}

/** Lists every page through the binding, with the same limit the REST list uses. */
async function listThroughBinding(binding: KvBinding, prefix: string, limit: number) {
  const pages: ListedPage[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await binding.list({ prefix, cursor, limit });
    pages.push({
      names: page.keys.map((key) => key.name),
      metadata: page.keys.map((key) => key.metadata ?? null),
      complete: page.list_complete,
    });
    if (page.list_complete) {
      return pages;
    }
    cursor = page.cursor;
  }
}

async function listThroughServer(
  api: ApiClient,
  namespaceId: string,
  prefix: string,
  limit: number,
) {
  const pages: ListedPage[] = [];
  let cursor = '';
  for (;;) {
    const query = new URLSearchParams({ prefix, limit: String(limit), cursor });
    const envelope = await api.json<{ name: string; metadata?: unknown }[]>(
      `/${namespaceId}/keys?${query}`,
    );
    cursor = String(envelope.result_info?.cursor);
    pages.push({
      names: envelope.result.map((key) => key.name),
      metadata: envelope.result.map((key) => key.metadata ?? null),
      complete: cursor === '',
    });
    if (cursor === '') {
      return pages;
    }
  }
}

describe('rest-local: same answers as the Miniflare binding', () => {
  let miniflare: Miniflare;
  let binding: KvBinding;
  let server: LocalKvServer;
  let api: ApiClient;
  let namespaceId: string;

  beforeAll(async () => {
    miniflare = new Miniflare({
      modules: true,
      script: 'export default { fetch: () => new Response(null) };',
      compatibilityDate: '2026-07-01',
      cf: false,
      kvNamespaces: ['KV'],
    });
    binding = (await miniflare.getKVNamespace('KV')) as unknown as KvBinding;
    server = await startTestServer();
    api = new ApiClient(server);
    namespaceId = await api.createNamespace();
  });
  afterAll(async () => {
    await server.close();
    await miniflare.dispose();
  });

  async function putBoth(key: string, value: string, metadata?: unknown): Promise<void> {
    await binding.put(key, value, metadata === undefined ? {} : { metadata });
    const response =
      metadata === undefined
        ? await api.putValue(namespaceId, key, value)
        : await api.putWithMetadata(namespaceId, key, value, metadata);
    expect(response.status, key).toBe(200);
  }

  async function deleteBoth(key: string): Promise<void> {
    await binding.delete(key);
    const path = `/${namespaceId}/values/${encodeURIComponent(key)}`;
    expect((await api.request(path, { method: 'DELETE' })).status, key).toBe(200);
  }

  it('random sequence: same values and pages', async () => {
    const prefix = randomPrefix();
    const pool = [
      ...SPECIAL_KEYS,
      ...Array.from({ length: 30 }, (_, index) => `k${index.toString(36)}`),
      'z'.repeat(512 - prefix.length),
      'ä',
      'a',
      'A',
      'a\u0000b',
    ].map((suffix) => `${prefix}${suffix}`);
    const random = createSeededRandom(7);
    for (let step = 0; step < 150; step += 1) {
      const key = pool[Math.floor(random() * pool.length)] as string;
      const choice = random();
      if (choice < 0.2) {
        await deleteBoth(key);
      } else if (choice < 0.6) {
        await putBoth(key, `value ${step}`, { step, key });
      } else {
        await putBoth(key, `value ${step}`);
      }
    }

    for (const key of pool) {
      const expected = await binding.getWithMetadata(key, 'arrayBuffer');
      const value = await api.getValue(namespaceId, key);
      const metadata = await api.json(`/${namespaceId}/metadata/${encodeURIComponent(key)}`);
      if (expected.value === null) {
        expect(value.status, key).toBe(404);
        expect(metadata.success, key).toBe(false);
      } else {
        expect(Buffer.from(await value.arrayBuffer()), key).toEqual(Buffer.from(expected.value));
        expect(metadata.result, key).toEqual(expected.metadata ?? null);
      }
    }
    for (const limit of [10, 1000]) {
      const expectedPages = await listThroughBinding(binding, prefix, limit);
      const pages = await listThroughServer(api, namespaceId, prefix, limit);
      expect(pages, `limit ${limit}`).toEqual(expectedPages);
      expect(pages.flatMap((page) => page.names).length).toBeGreaterThan(10);
    }
  });

  it('bulk get: matches the binding in text and json modes', async () => {
    const prefix = randomPrefix();
    const keys = ['a', 'b', 'c'].map((name) => `${prefix}${name}`);
    await putBoth(keys[0] as string, '{"n":1}', { m: 1 });
    await putBoth(keys[1] as string, '[2]');
    const requested = [...keys, `${prefix}missing`];

    for (const type of ['text', 'json'] as const) {
      const expected = Object.fromEntries(await binding.get(requested, { type }));
      const envelope = await api.json<{ values: Record<string, unknown> }>(
        `/${namespaceId}/bulk/get`,
        { method: 'POST', body: JSON.stringify({ keys: requested, type }) },
      );
      expect(envelope.result.values, type).toEqual(expected);
    }
  });

  it('limits: both reject a 513-byte key and a 59-second TTL', async () => {
    const longKey = 'x'.repeat(513);

    await expect(binding.put(longKey, 'v')).rejects.toThrow(/512/);
    await expect(binding.put('ttl', 'v', { expirationTtl: 59 })).rejects.toThrow(/60/);
    const longKeyResponse = await api.putValue(namespaceId, longKey, 'v');
    const ttlResponse = await api.putValue(namespaceId, 'ttl', 'v', '?expiration_ttl=59');

    expect(longKeyResponse.status).toBe(400);
    expect(((await longKeyResponse.json()) as Envelope).errors[0]?.message).toMatch(/512/);
    expect(ttlResponse.status).toBe(400);
    expect(((await ttlResponse.json()) as Envelope).errors[0]?.message).toMatch(/60/);
  });
});
