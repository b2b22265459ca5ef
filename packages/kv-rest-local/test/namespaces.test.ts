import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalKvServer } from '../src/index.js';
import { ApiClient, randomPrefix, startTestServer, type Envelope } from './helpers.js';

interface Namespace {
  id: string;
  title: string;
  supports_url_encoding: boolean;
}

describe('rest-local: namespaces', () => {
  let server: LocalKvServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server);
  });
  afterAll(() => server.close());

  it('create: returns a 32-hex id and the title', async () => {
    const title = `${randomPrefix()}create`;
    const envelope = (await (
      await api.sendJson('POST', '', { title })
    ).json()) as Envelope<Namespace>;

    expect(envelope.success).toBe(true);
    expect(envelope.errors).toEqual([]);
    expect(envelope.result.id).toMatch(/^[0-9a-f]{32}$/);
    expect(envelope.result.title).toBe(title);
    expect(envelope.result.supports_url_encoding).toBe(true);
  });

  it('create: concurrent creates of one title make one namespace', async () => {
    const title = `${randomPrefix()}same`;
    const responses = await Promise.all([
      api.sendJson('POST', '', { title: `${randomPrefix()}blocker` }),
      api.sendJson('POST', '', { title }),
      api.sendJson('POST', '', { title }),
      api.sendJson('POST', '', { title }),
    ]);
    const envelopes = (await Promise.all(
      responses.map((response) => response.json()),
    )) as Envelope[];
    const listed = await api.json<Namespace[]>('?per_page=1000');

    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 400, 400]);
    const rejected = envelopes.filter((envelope) => !envelope.success);
    expect(rejected.map((envelope) => envelope.errors[0]?.code)).toEqual([10014, 10014]);
    expect(listed.result.filter((namespace) => namespace.title === title)).toHaveLength(1);
  });

  it('create: rejects a duplicate title with 10014', async () => {
    const title = `${randomPrefix()}duplicate`;
    await api.createNamespace(title);

    const response = await api.sendJson('POST', '', { title });
    const envelope = (await response.json()) as Envelope;

    expect(response.status).toBe(400);
    expect(envelope).toMatchObject({ success: false, messages: [], result: null });
    expect(envelope.errors[0]?.code).toBe(10014);
  });

  it('create: rejects a missing title with 10001', async () => {
    const response = await api.sendJson('POST', '', { name: 'x' });
    const envelope = (await response.json()) as Envelope;

    expect(response.status).toBe(400);
    expect(envelope.errors[0]?.code).toBe(10001);
  });

  it('list: pages through every namespace with result_info', async () => {
    const prefix = randomPrefix();
    const titles = await Promise.all(
      Array.from({ length: 7 }, (_, index) => api.createNamespace(`${prefix}${index}`)),
    );
    const seen: string[] = [];
    let page = 1;
    let totalCount = 0;
    for (;;) {
      const envelope = await api.json<Namespace[]>(`?page=${page}&per_page=5`);
      expect(envelope.success).toBe(true);
      expect(envelope.result_info).toMatchObject({ page, per_page: 5 });
      expect(envelope.result_info?.count).toBe(envelope.result.length);
      totalCount = Number(envelope.result_info?.total_count);
      seen.push(...envelope.result.map((namespace) => namespace.id));
      if (envelope.result.length < 5) {
        break;
      }
      page += 1;
    }

    expect(seen.length).toBe(totalCount);
    for (const id of titles) {
      expect(seen).toContain(id);
    }
  });

  it('list: orders by title descending on request', async () => {
    const envelope = await api.json<Namespace[]>('?order=title&direction=desc&per_page=1000');
    const titles = envelope.result.map((namespace) => namespace.title);

    expect(titles).toEqual([...titles].sort().reverse());
  });

  it('list: rejects per_page outside 5..1000', async () => {
    const response = await api.request('?per_page=1001');

    expect(response.status).toBe(400);
    expect(((await response.json()) as Envelope).errors[0]?.code).toBe(10001);
  });

  it('get: returns one namespace by id', async () => {
    const title = `${randomPrefix()}get`;
    const id = await api.createNamespace(title);

    const envelope = await api.json<Namespace>(`/${id}`);

    expect(envelope.result).toEqual({ id, title, supports_url_encoding: true });
  });

  it('rename: changes the title and rejects a taken one', async () => {
    const prefix = randomPrefix();
    const id = await api.createNamespace(`${prefix}old`);
    await api.createNamespace(`${prefix}taken`);

    const renamed = await api.sendJson('PUT', `/${id}`, { title: `${prefix}new` });
    const clash = await api.sendJson('PUT', `/${id}`, { title: `${prefix}taken` });

    expect(renamed.status).toBe(200);
    expect((await api.json<Namespace>(`/${id}`)).result.title).toBe(`${prefix}new`);
    expect(clash.status).toBe(400);
    expect(((await clash.json()) as Envelope).errors[0]?.code).toBe(10014);
  });

  it('delete: removes the namespace and its values', async () => {
    const id = await api.createNamespace();
    await api.putValue(id, 'k', 'v');

    const deleted = await api.request(`/${id}`, { method: 'DELETE' });
    const afterDelete = await api.getValue(id, 'k');

    expect(deleted.status).toBe(200);
    expect(afterDelete.status).toBe(404);
    expect(((await afterDelete.json()) as Envelope).errors[0]?.code).toBe(10013);
  });

  it('delete: frees the title for a new namespace', async () => {
    const title = `${randomPrefix()}reuse`;
    const id = await api.createNamespace(title);
    await api.request(`/${id}`, { method: 'DELETE' });

    const secondId = await api.createNamespace(title);

    expect(secondId).not.toBe(id);
  });

  it('namespace id: unknown 32-hex id gives 404 with 10013', async () => {
    const response = await api.getValue('0'.repeat(32), 'k');

    expect(response.status).toBe(404);
    expect(((await response.json()) as Envelope).errors[0]?.code).toBe(10013);
  });

  it('namespace id: malformed id gives 400 with 7003', async () => {
    const response = await api.request('/not-a-namespace/keys');

    expect(response.status).toBe(400);
    expect(((await response.json()) as Envelope).errors[0]?.code).toBe(7003);
  });

  it('create: concurrent creates keep every namespace usable', async () => {
    const prefix = randomPrefix();
    const ids = await Promise.all(
      Array.from({ length: 4 }, (_, index) => api.createNamespace(`${prefix}${index}`)),
    );
    const writes = await Promise.all(ids.map((id) => api.putValue(id, 'k', id)));

    expect(writes.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    for (const id of ids) {
      expect(await (await api.getValue(id, 'k')).text()).toBe(id);
    }
  });

  it('create: in-flight writes all succeed', async () => {
    const namespaceId = await api.createNamespace();
    const prefix = randomPrefix();

    const writes = Array.from({ length: 30 }, (_, index) =>
      api.putValue(namespaceId, `${prefix}${index}`, String(index)),
    );
    const created = api.createNamespace();
    const statuses = (await Promise.all(writes)).map((response) => response.status);
    await created;
    const pages = await api.listAllPages(namespaceId, prefix, 100);

    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(pages.flat()).toHaveLength(30);
  });
});
