import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalKvServer } from '../src/index.js';
import { ApiClient, randomPrefix, sortByUtf8, startTestServer, type Envelope } from './helpers.js';

describe('rest-local: list keys', () => {
  let server: LocalKvServer;
  let api: ApiClient;
  let namespaceId: string;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server);
    namespaceId = await api.createNamespace();
  });
  afterAll(() => server.close());

  async function writeKeys(prefix: string, count: number): Promise<string[]> {
    const names = Array.from(
      { length: count },
      (_, index) => `${prefix}${index}-${'é'.repeat(index % 3)}`,
    );
    const items = names.map((key) => ({ key, value: key, metadata: { key } }));
    const response = await api.sendJson('PUT', `/${namespaceId}/bulk`, items);
    expect(response.status).toBe(200);
    return names;
  }

  it('list: limit 10 pages in byte order', async () => {
    const prefix = randomPrefix();
    const names = await writeKeys(prefix, 37);

    const pages = await api.listAllPages(namespaceId, prefix, 10);
    const listed = pages.flat().map((entry) => entry.name);

    expect(pages.length).toBe(4);
    expect(pages.slice(0, 3).map((page) => page.length)).toEqual([10, 10, 10]);
    expect(listed).toEqual(sortByUtf8(names));
  });

  it('list: result_info has count and an empty cursor on the last page', async () => {
    const prefix = randomPrefix();
    await writeKeys(prefix, 3);

    const envelope = await api.json<unknown[]>(
      `/${namespaceId}/keys?prefix=${encodeURIComponent(prefix)}&limit=10`,
    );

    expect(envelope.result_info).toEqual({ count: 3, cursor: '' });
  });

  it('list: non-final page has cursor', async () => {
    const prefix = randomPrefix();
    await writeKeys(prefix, 11);

    const envelope = await api.json<unknown[]>(
      `/${namespaceId}/keys?prefix=${encodeURIComponent(prefix)}&limit=10`,
    );

    expect(envelope.result_info?.count).toBe(10);
    expect(envelope.result_info?.cursor).not.toBe('');
  });

  it('list: keys carry metadata only when set', async () => {
    const prefix = randomPrefix();
    await api.putWithMetadata(namespaceId, `${prefix}with`, 'v', { n: 1 });
    await api.putValue(namespaceId, `${prefix}without`, 'v');

    const envelope = await api.json<Record<string, unknown>[]>(
      `/${namespaceId}/keys?prefix=${encodeURIComponent(prefix)}`,
    );

    expect(envelope.result).toEqual([
      { name: `${prefix}with`, metadata: { n: 1 } },
      { name: `${prefix}without` },
    ]);
  });

  it('list: prefix scopes the keys', async () => {
    const prefix = randomPrefix();
    await writeKeys(`${prefix}a/`, 2);
    await writeKeys(`${prefix}b/`, 2);

    const envelope = await api.json<{ name: string }[]>(
      `/${namespaceId}/keys?prefix=${encodeURIComponent(`${prefix}a/`)}`,
    );

    expect(envelope.result.map((entry) => entry.name)).toEqual([`${prefix}a/0-`, `${prefix}a/1-é`]);
  });

  it('list: limit outside 10..1000 gives 400 with 10001', async () => {
    for (const limit of [9, 1001]) {
      const response = await api.request(`/${namespaceId}/keys?limit=${limit}`);

      expect(response.status, String(limit)).toBe(400);
      expect(((await response.json()) as Envelope).errors[0]?.code, String(limit)).toBe(10001);
    }
  });
});
