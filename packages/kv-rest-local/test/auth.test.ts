import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalKvServer } from '../src/index.js';
import { ApiClient, startTestServer, type Envelope } from './helpers.js';

describe('rest-local: auth and routing', () => {
  let server: LocalKvServer;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startTestServer({ accountId: '0123456789abcdef0123456789abcdef' });
    api = new ApiClient(server);
  });
  afterAll(() => server.close());

  it('auth: missing bearer token gives 401 with 10000', async () => {
    const response = await fetch(api.namespacesUrl);
    const envelope = (await response.json()) as Envelope;

    expect(response.status).toBe(401);
    expect(envelope).toMatchObject({ success: false, messages: [], result: null });
    expect(envelope.errors[0]?.code).toBe(10000);
  });

  it('auth: wrong token gives 401 with 10000', async () => {
    const response = await new ApiClient(server, 'test-tokeN').request('');

    expect(response.status).toBe(401);
    expect(((await response.json()) as Envelope).errors[0]?.code).toBe(10000);
  });

  it('auth: error omits the token', async () => {
    const response = await new ApiClient(server, 'guess').request('');

    expect(await response.text()).not.toContain('test-token');
  });

  it('auth: other account id gives 403 with 10000', async () => {
    const url = `${server.baseUrl}/accounts/ffffffffffffffffffffffffffffffff/storage/kv/namespaces`;
    const response = await fetch(url, { headers: { authorization: 'Bearer test-token' } });

    expect(response.status).toBe(403);
    expect(((await response.json()) as Envelope).errors[0]?.code).toBe(10000);
  });

  it('routing: unknown path gives 404 with 7000', async () => {
    const response = await fetch(`${server.baseUrl}/zones`, {
      headers: { authorization: 'Bearer test-token' },
    });

    expect(response.status).toBe(404);
    expect(((await response.json()) as Envelope).errors[0]?.code).toBe(7000);
  });

  it('routing: wrong method gives 405', async () => {
    const id = await api.createNamespace();
    const response = await api.request(`/${id}/keys`, { method: 'POST' });

    expect(response.status).toBe(405);
    expect(((await response.json()) as Envelope).success).toBe(false);
  });

  it('requestCount: counts rejected requests too', async () => {
    const before = server.requestCount;
    await fetch(api.namespacesUrl);
    await api.request('');

    expect(server.requestCount).toBe(before + 2);
  });
  it.each(['', '../x', 'a/b', 'with space'])('start: rejects account id %j', async (accountId) => {
    const error = await startTestServer({ accountId }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toContain('Invalid account id');
  });
});
