import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalKvServer } from '../src/index.js';
import {
  ApiClient,
  randomPrefix,
  sendRawRequest,
  SPECIAL_KEYS,
  startTestServer,
  type Envelope,
} from './helpers.js';

describe('rest-local: values', () => {
  let server: LocalKvServer;
  let api: ApiClient;
  let namespaceId: string;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server);
    namespaceId = await api.createNamespace();
  });
  afterAll(() => server.close());

  it('put: stores a raw body and get returns its bytes', async () => {
    const key = `${randomPrefix()}raw`;
    const bytes = new Uint8Array([0, 255, 1, 128, 10]);

    const put = await api.putValue(namespaceId, key, bytes);
    const get = await api.getValue(namespaceId, key);

    expect(put.status).toBe(200);
    expect(((await put.json()) as Envelope).success).toBe(true);
    expect(get.status).toBe(200);
    expect(new Uint8Array(await get.arrayBuffer())).toEqual(bytes);
  });

  it('get: missing key gives 404 envelope with 10009', async () => {
    const response = await api.getValue(namespaceId, `${randomPrefix()}missing`);
    const envelope = (await response.json()) as Envelope;

    expect(response.status).toBe(404);
    expect(envelope).toMatchObject({ success: false, messages: [], result: null });
    expect(envelope.errors[0]?.code).toBe(10009);
  });

  it('put: empty value round-trips as empty', async () => {
    const key = `${randomPrefix()}empty`;
    await api.putValue(namespaceId, key, '');

    const response = await api.getValue(namespaceId, key);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it('put: multipart value and metadata round-trip', async () => {
    const key = `${randomPrefix()}multipart`;
    const metadata = { threadId: 't-1', createdAt: '2026-01-01T00:00:00.000Z', n: 3 };

    const put = await api.putWithMetadata(namespaceId, key, 'hello', metadata);
    const value = await api.getValue(namespaceId, key);
    const stored = await api.json(`/${namespaceId}/metadata/${encodeURIComponent(key)}`);

    expect(put.status).toBe(200);
    expect(await value.text()).toBe('hello');
    expect(stored.success).toBe(true);
    expect(stored.result).toEqual(metadata);
  });

  it('put: multipart value sent as a file keeps its bytes', async () => {
    const key = `${randomPrefix()}file`;
    const bytes = new Uint8Array([7, 0, 200]);
    const form = new FormData();
    form.set('value', new Blob([bytes]), 'value.bin');
    form.set('metadata', '{"kind":"bin"}');

    await api.request(`/${namespaceId}/values/${encodeURIComponent(key)}`, {
      method: 'PUT',
      body: form,
    });
    const value = await api.getValue(namespaceId, key);

    expect(new Uint8Array(await value.arrayBuffer())).toEqual(bytes);
  });

  it('put: overwriting without metadata clears the metadata', async () => {
    const key = `${randomPrefix()}overwrite`;
    await api.putWithMetadata(namespaceId, key, 'v1', { a: 1 });
    await api.putValue(namespaceId, key, 'v2');

    const stored = await api.json(`/${namespaceId}/metadata/${encodeURIComponent(key)}`);

    expect(stored.result).toBeNull();
  });

  it('metadata: missing key gives 404 with 10009', async () => {
    const response = await api.request(`/${namespaceId}/metadata/${randomPrefix()}none`);

    expect(response.status).toBe(404);
    expect(((await response.json()) as Envelope).errors[0]?.code).toBe(10009);
  });

  it('put: metadata over 1024 bytes gives 400', async () => {
    const response = await api.putWithMetadata(namespaceId, `${randomPrefix()}big-meta`, 'v', {
      text: 'x'.repeat(1020),
    });
    const envelope = (await response.json()) as Envelope;

    expect(response.status).toBe(400);
    expect(envelope.errors[0]?.code).toBe(10001);
    expect(envelope.errors[0]?.message).toContain('1024');
  });

  it('put: metadata part that is not JSON gives 400', async () => {
    const form = new FormData();
    form.set('value', 'v');
    form.set('metadata', '{not json');
    const response = await api.request(`/${namespaceId}/values/${randomPrefix()}bad-meta`, {
      method: 'PUT',
      body: form,
    });

    expect(response.status).toBe(400);
  });

  it('put: key of 513 bytes gives 400 and 512 bytes works', async () => {
    const tooLong = await api.putValue(namespaceId, 'k'.repeat(513), 'v');
    const longest = await api.putValue(namespaceId, 'é'.repeat(256), 'v');

    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as Envelope).errors[0]?.message).toContain('512');
    expect(longest.status).toBe(200);
  });

  it('put: expiration_ttl under 60 gives 400', async () => {
    const response = await api.putValue(
      namespaceId,
      `${randomPrefix()}ttl`,
      'v',
      '?expiration_ttl=59',
    );
    const envelope = (await response.json()) as Envelope;

    expect(response.status).toBe(400);
    expect(envelope.errors[0]?.code).toBe(10001);
  });

  it('put: expiration_ttl of 60 is listed with its expiration', async () => {
    const prefix = randomPrefix();
    const before = Math.floor(Date.now() / 1000);
    await api.putValue(namespaceId, `${prefix}ttl`, 'v', '?expiration_ttl=60');

    const list = await api.json<{ name: string; expiration?: number }[]>(
      `/${namespaceId}/keys?prefix=${encodeURIComponent(prefix)}`,
    );

    expect(list.result[0]?.expiration).toBeGreaterThanOrEqual(before + 60);
  });

  it('put: absolute expiration in the past gives 400', async () => {
    const response = await api.putValue(
      namespaceId,
      `${randomPrefix()}exp`,
      'v',
      '?expiration=1000',
    );

    expect(response.status).toBe(400);
  });

  it('put: expiration over 2^31 - 1 gives 400', async () => {
    const prefix = randomPrefix();
    const queries = [
      '?expiration_ttl=2147483648',
      '?expiration_ttl=99999999999999999999',
      '?expiration=2147483648',
      '?expiration=1000000000000',
    ];
    for (const query of queries) {
      const key = `${prefix}${query}`;
      const response = await api.putValue(namespaceId, key, 'v', query);
      const envelope = (await response.json()) as Envelope;

      expect(response.status, query).toBe(400);
      expect(envelope.errors[0]?.code, query).toBe(10001);
      expect(envelope.errors[0]?.message, query).toContain('2147483647');
      expect((await api.getValue(namespaceId, key)).status, query).toBe(404);
    }
  });

  it('put: expiration of 2^31 - 1 works', async () => {
    const prefix = randomPrefix();
    for (const query of ['?expiration_ttl=2147483647', '?expiration=2147483647']) {
      const response = await api.putValue(namespaceId, `${prefix}${query}`, 'v', query);

      expect(response.status, query).toBe(200);
    }
  });

  it('delete: removes the key and is idempotent', async () => {
    const key = `${randomPrefix()}delete`;
    await api.putValue(namespaceId, key, 'v');
    const path = `/${namespaceId}/values/${encodeURIComponent(key)}`;

    const first = await api.request(path, { method: 'DELETE' });
    const second = await api.request(path, { method: 'DELETE' });
    const get = await api.getValue(namespaceId, key);

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(get.status).toBe(404);
  });

  it('keys: `.` and `..` are rejected with 400', async () => {
    for (const key of ['%2E', '%2E%2E', '.', '..']) {
      const response = await sendRawRequest(api, 'PUT', `/${namespaceId}/values/${key}`, 'v');

      expect(response.status, key).toBe(400);
      expect((JSON.parse(response.text) as Envelope).errors[0]?.code, key).toBe(10001);
    }
  });

  it('keys: malformed percent-encoding gives 400', async () => {
    const response = await api.request(`/${namespaceId}/values/bad%ZZkey`);

    expect(response.status).toBe(400);
  });

  it('keys: empty key gives 400', async () => {
    const response = await api.request(`/${namespaceId}/values/`, { method: 'PUT', body: 'v' });

    expect(response.status).toBe(400);
  });

  it('keys: special characters round-trip', async () => {
    const prefix = randomPrefix();
    for (const suffix of SPECIAL_KEYS) {
      const key = `${prefix}${suffix}`;
      const put = await api.putValue(namespaceId, key, `value of ${suffix}`);
      expect(put.status, suffix).toBe(200);
      expect(await (await api.getValue(namespaceId, key)).text(), suffix).toBe(
        `value of ${suffix}`,
      );
    }

    const listed = await api.json<{ name: string }[]>(
      `/${namespaceId}/keys?prefix=${encodeURIComponent(prefix)}`,
    );
    const names = listed.result.map((entry) => entry.name);
    expect([...names].sort()).toEqual(SPECIAL_KEYS.map((suffix) => `${prefix}${suffix}`).sort());

    for (const suffix of SPECIAL_KEYS) {
      const path = `/${namespaceId}/values/${encodeURIComponent(`${prefix}${suffix}`)}`;
      await api.request(path, { method: 'DELETE' });
      expect((await api.getValue(namespaceId, `${prefix}${suffix}`)).status, suffix).toBe(404);
    }
  });

  it('keys: percent-decoded exactly once', async () => {
    const prefix = randomPrefix();
    await api.request(`/${namespaceId}/values/${encodeURIComponent(prefix)}a%2Fb`, {
      method: 'PUT',
      body: 'slash',
    });
    await api.request(`/${namespaceId}/values/${encodeURIComponent(prefix)}a%252Fb`, {
      method: 'PUT',
      body: 'encoded',
    });

    const listed = await api.json<{ name: string }[]>(
      `/${namespaceId}/keys?prefix=${encodeURIComponent(prefix)}`,
    );

    expect(listed.result.map((entry) => entry.name).sort()).toEqual([
      `${prefix}a%2Fb`,
      `${prefix}a/b`,
    ]);
  });

  it('put: value of exactly 25 MiB is stored', async () => {
    const key = `${randomPrefix()}largest`;
    const bytes = new Uint8Array(25 * 1024 * 1024).fill(7);

    const put = await api.putValue(namespaceId, key, bytes);
    const get = await api.getValue(namespaceId, key);
    const stored = new Uint8Array(await get.arrayBuffer());

    expect(put.status).toBe(200);
    expect(stored.byteLength).toBe(bytes.byteLength);
    expect(stored[stored.byteLength - 1]).toBe(7);
  });

  it('put: oversized value gives 413', async () => {
    const key = `${randomPrefix()}huge`;
    const response = await api.putValue(namespaceId, key, new Uint8Array(25 * 1024 * 1024 + 1));

    expect(response.status).toBe(413);
    expect((await api.getValue(namespaceId, key)).status).toBe(404);
  });
});
