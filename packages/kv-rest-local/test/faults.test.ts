import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalKvServer } from '../src/index.js';
import { ApiClient, randomPrefix, startTestServer, type Envelope } from './helpers.js';

describe('rest-local: fault injection', () => {
  let server: LocalKvServer;
  let api: ApiClient;
  let namespaceId: string;

  beforeAll(async () => {
    server = await startTestServer();
    api = new ApiClient(server);
    namespaceId = await api.createNamespace();
  });
  afterEach(() => server.faults.clear());
  afterAll(() => server.close());

  it('status: 429 carries Retry-After and code 971', async () => {
    server.faults.add({ status: 429, retryAfterSeconds: 7 });

    const response = await api.getValue(namespaceId, 'any');
    const envelope = (await response.json()) as Envelope;

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(envelope).toMatchObject({ success: false, messages: [], result: null });
    expect(envelope.errors[0]?.code).toBe(971);
  });

  it('status: 500, 502 and 503 answer with an error envelope', async () => {
    for (const status of [500, 502, 503] as const) {
      const fault = server.faults.add({ status, times: 1 });

      const response = await api.getValue(namespaceId, 'any');

      expect(response.status).toBe(status);
      expect(((await response.json()) as Envelope).success).toBe(false);
      expect(fault.hits).toBe(1);
    }
  });

  it('nth: fails only the Nth matching request', async () => {
    const key = `${randomPrefix()}nth`;
    server.faults.add({ status: 503, nth: 2, method: 'PUT', path: /\/values\// });

    const statuses = [];
    for (let round = 0; round < 4; round += 1) {
      statuses.push((await api.putValue(namespaceId, key, `v${round}`)).status);
    }

    expect(statuses).toEqual([200, 503, 200, 200]);
  });

  it('nth: times extends the fault over following requests', async () => {
    server.faults.add({ status: 500, nth: 2, times: 2 });

    const statuses = [];
    for (let round = 0; round < 5; round += 1) {
      statuses.push((await api.request('')).status);
    }

    expect(statuses).toEqual([200, 500, 500, 200, 200]);
  });

  it('times: stops after the given number of hits', async () => {
    server.faults.add({ status: 429, times: 2 });

    const statuses = [];
    for (let round = 0; round < 3; round += 1) {
      statuses.push((await api.request('')).status);
    }

    expect(statuses).toEqual([429, 429, 200]);
  });

  it('method and path: other requests pass', async () => {
    server.faults.add({ status: 503, method: 'POST', path: /\/bulk\/get$/ });

    const list = await api.request(`/${namespaceId}/keys`);
    const bulkGet = await api.sendJson('POST', `/${namespaceId}/bulk/get`, { keys: ['k'] });

    expect(list.status).toBe(200);
    expect(bulkGet.status).toBe(503);
  });

  it('rate: the same seed hits the same requests', async () => {
    async function runStatuses(): Promise<number[]> {
      const fault = server.faults.add({ status: 503, rate: 0.5, seed: 42 });
      const statuses = [];
      for (let round = 0; round < 20; round += 1) {
        statuses.push((await api.request('')).status);
      }
      fault.remove();
      return statuses;
    }

    const first = await runStatuses();
    const second = await runStatuses();

    expect(second).toEqual(first);
    expect(first).toContain(503);
    expect(first).toContain(200);
  });

  it('rate: 0 never hits and 1 always hits', async () => {
    const never = server.faults.add({ status: 500, rate: 0 });
    for (let round = 0; round < 5; round += 1) {
      expect((await api.request('')).status).toBe(200);
    }
    never.remove();

    server.faults.add({ status: 500, rate: 1 });
    for (let round = 0; round < 5; round += 1) {
      expect((await api.request('')).status).toBe(500);
    }
  });

  it('dropConnection: the client sees a network error', async () => {
    server.faults.add({ dropConnection: true, times: 1 });

    await expect(api.request('')).rejects.toThrow();
    expect((await api.request('')).status).toBe(200);
  });

  it('dropConnection: write is not stored', async () => {
    const key = `${randomPrefix()}dropped`;
    server.faults.add({ dropConnection: true, times: 1, method: 'PUT' });

    await expect(api.putValue(namespaceId, key, 'v')).rejects.toThrow();

    expect((await api.getValue(namespaceId, key)).status).toBe(404);
  });

  it('afterHandling: write stored, client sees 503', async () => {
    const key = `${randomPrefix()}after`;
    server.faults.add({ status: 503, times: 1, method: 'PUT', afterHandling: true });

    const response = await api.putValue(namespaceId, key, 'stored');

    expect(response.status).toBe(503);
    expect(await (await api.getValue(namespaceId, key)).text()).toBe('stored');
  });

  it('delayMs: request served after delay', async () => {
    const key = `${randomPrefix()}delayed`;
    await api.putValue(namespaceId, key, 'late');
    const fault = server.faults.add({ delayMs: 50, times: 1 });

    const response = await api.getValue(namespaceId, key);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('late');
    expect(fault.hits).toBe(1);
  });

  it('delayMs: client timeout aborts request', async () => {
    server.faults.add({ delayMs: 2_000, times: 1 });

    await expect(api.request('', { signal: AbortSignal.timeout(100) })).rejects.toThrow();
  });

  it('add: rejects invalid fault specs', () => {
    expect(() => server.faults.add({ nth: 1 })).toThrow(RangeError);
    expect(() => server.faults.add({ status: 500, rate: 2 })).toThrow(RangeError);
  });
});
