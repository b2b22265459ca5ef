import { BindingTransport } from '@cfkv/binding';
import { RestTransport } from '@cfkv/rest';
import { startLocalKvServer } from '@cfkv/rest-local';
import { createMiniflareKv } from '@cfkv/testing';
import { TABLE_MESSAGES } from '@mastra/core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyGauge, gaugeNamespaces } from '../src/concurrency-gauge.js';
import { OperationProbe } from '../src/operation-probe.js';

const TABLES = [TABLE_MESSAGES];
const API_TOKEN = 'probe-test-token';

function entries(count: number) {
  return Array.from({ length: count }, (_, index) => ({ key: `key-${index}`, value: `${index}` }));
}

describe('binding: operation probe', () => {
  let dispose: () => Promise<void>;
  let probe: OperationProbe;
  let transport: ReturnType<OperationProbe['wrap']>;

  beforeAll(async () => {
    const kv = await createMiniflareKv(TABLES);
    dispose = kv.dispose;
    const gauge = new ConcurrencyGauge();
    probe = new OperationProbe('binding', gauge);
    transport = probe.wrap(
      new BindingTransport({ namespaces: gaugeNamespaces(kv.namespaces, gauge) }),
    );
  });

  afterAll(() => dispose());

  it('read: counts one binding put per key of putMany', async () => {
    probe.reset();
    await transport.putMany(TABLE_MESSAGES, entries(20));
    const counts = probe.read();
    expect(counts.kv.put).toBe(20);
    expect(counts.kv.bulkWrite).toBe(0);
    expect(counts.writtenKeysByTable[TABLE_MESSAGES]).toBe(20);
    expect(counts.httpRequests).toBeUndefined();
  });

  it('read: reports the binding calls in flight at once', async () => {
    probe.reset();
    await transport.putMany(TABLE_MESSAGES, entries(20));
    const inFlight = probe.read().maxInFlight!;
    expect(inFlight).toBeGreaterThan(1);
    expect(inFlight).toBeLessThanOrEqual(6);
  });

  it('read: counts reads, lists and deletes by kind', async () => {
    await transport.putMany(TABLE_MESSAGES, entries(3));
    probe.reset();
    await transport.getMany(TABLE_MESSAGES, ['key-0', 'key-1']);
    await transport.get(TABLE_MESSAGES, 'key-2');
    await transport.list(TABLE_MESSAGES, { prefix: 'key-' });
    await transport.delete(TABLE_MESSAGES, 'key-0');
    const { kv, listCalls } = probe.read();
    expect(kv).toEqual({
      list: 1,
      get: 1,
      bulkGet: 1,
      bulkGetKeys: 2,
      put: 0,
      bulkWrite: 0,
      delete: 1,
      total: 4,
    });
    expect(listCalls).toEqual([{ table: TABLE_MESSAGES, prefix: 'key-' }]);
  });

  it('reset: forgets the calls of the previous step', async () => {
    await transport.get(TABLE_MESSAGES, 'key-1');
    probe.reset();
    expect(probe.read().kv.total).toBe(0);
    expect(probe.read().listCalls).toEqual([]);
  });
});

describe('rest: operation probe', () => {
  let close: () => Promise<void>;
  let probe: OperationProbe;
  let transport: ReturnType<OperationProbe['wrap']>;

  beforeAll(async () => {
    const server = await startLocalKvServer({ apiToken: API_TOKEN });
    close = () => server.close();
    probe = new OperationProbe('rest');
    const rest = new RestTransport({
      accountId: server.accountId,
      apiToken: API_TOKEN,
      baseUrl: server.baseUrl,
      onRequest: probe.countRequest,
    });
    await rest.init(TABLES);
    transport = probe.wrap(rest);
  });

  afterAll(() => close());

  it('read: counts one bulk write and one HTTP request for putMany', async () => {
    probe.reset();
    await transport.putMany(TABLE_MESSAGES, entries(20));
    const counts = probe.read();
    expect(counts.kv.bulkWrite).toBe(1);
    expect(counts.kv.put).toBe(0);
    expect(counts.httpRequests).toBe(1);
    expect(counts.maxInFlight).toBeUndefined();
  });

  it('read: counts one HTTP request per KV operation', async () => {
    probe.reset();
    await transport.getMany(TABLE_MESSAGES, ['key-0', 'key-1']);
    await transport.list(TABLE_MESSAGES, { prefix: 'key-' });
    await transport.deleteMany(TABLE_MESSAGES, ['key-0', 'key-1']);
    const counts = probe.read();
    expect(counts.kv.total).toBe(3);
    expect(counts.httpRequests).toBe(3);
  });
});
