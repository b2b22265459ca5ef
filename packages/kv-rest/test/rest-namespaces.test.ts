import { randomPrefix } from '@cfkv/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN, countRequests, startLocalRest, type LocalRest } from './support/local-rest.js';

const NAMESPACES_PATH = '/storage/kv/namespaces';

describe('rest: namespaces', () => {
  let local: LocalRest;
  beforeAll(async () => {
    local = await startLocalRest();
  });
  afterAll(() => local.close());

  it('get: 10 concurrent first calls create one namespace', async () => {
    const transport = local.createTransport({ namespacePrefix: randomPrefix('ns') });
    const before = local.requests.length;

    const values = await Promise.all(
      Array.from({ length: 10 }, (_, index) => transport.get('threads', `key-${index}`)),
    );

    const requests = local.requests.slice(before);
    expect(values).toEqual(Array.from({ length: 10 }, () => null));
    expect(countRequests(requests, 'POST', NAMESPACES_PATH)).toBe(1);
    expect(countRequests(requests, 'GET', NAMESPACES_PATH)).toBe(1);
  });

  it('init: one listing serves every table, then one create each', async () => {
    const transport = local.createTransport({ namespacePrefix: randomPrefix('ns') });
    const before = local.requests.length;

    await transport.init(['threads', 'messages', 'resources']);
    await transport.put('messages', 'm1', 'hello');

    const requests = local.requests.slice(before);
    expect(countRequests(requests, 'GET', NAMESPACES_PATH)).toBe(1);
    expect(countRequests(requests, 'POST', NAMESPACES_PATH)).toBe(3);
    expect(requests).toHaveLength(5);
  });

  it('init: finds namespaces another transport created', async () => {
    const namespacePrefix = randomPrefix('ns');
    const writer = local.createTransport({ namespacePrefix });
    await writer.put('threads', 't1', 'from writer');
    const reader = local.createTransport({ namespacePrefix });
    const before = local.requests.length;

    await reader.init(['threads']);

    expect(countRequests(local.requests.slice(before), 'POST', NAMESPACES_PATH)).toBe(0);
    expect(await reader.get('threads', 't1')).toBe('from writer');
  });

  it('init: two transports racing end on one namespace', async () => {
    const namespacePrefix = randomPrefix('ns');
    const first = local.createTransport({ namespacePrefix });
    const second = local.createTransport({ namespacePrefix });
    const before = local.requests.length;

    await Promise.all([first.init(['threads']), second.init(['threads'])]);
    await first.put('threads', 't1', 'from first');

    const requests = local.requests.slice(before);
    const creates = requests.filter(
      (event) => event.method === 'POST' && event.path.endsWith(NAMESPACES_PATH),
    );
    expect(creates.map((event) => event.status).sort()).toEqual([200, 400]);
    expect(await second.get('threads', 't1')).toBe('from first');
    expect(await countNamespacesTitled(local, `${namespacePrefix}threads`)).toBe(1);
  });

  it('get: a deleted namespace gives NAMESPACE_NOT_FOUND without retry', async () => {
    const namespacePrefix = randomPrefix('ns');
    const transport = local.createTransport({ namespacePrefix, maxRetries: 3 });
    await transport.put('threads', 't1', 'v');
    await deleteNamespaceTitled(local, `${namespacePrefix}threads`);
    const before = local.requests.length;

    const error = await transport.get('threads', 't1').catch((caught: unknown) => caught);

    expect(error).toMatchObject({ code: 'NAMESPACE_NOT_FOUND', table: 'threads', status: 404 });
    expect(local.requests.slice(before)).toHaveLength(1);
  });

  it('put: after NAMESPACE_NOT_FOUND the next call creates the namespace again', async () => {
    const namespacePrefix = randomPrefix('ns');
    const transport = local.createTransport({ namespacePrefix });
    await transport.put('threads', 't1', 'v');
    await deleteNamespaceTitled(local, `${namespacePrefix}threads`);
    await transport.get('threads', 't1').catch(() => undefined);

    await transport.put('threads', 't2', 'again');

    expect(await transport.get('threads', 't2')).toBe('again');
    expect(await transport.get('threads', 't1')).toBeNull();
  });
});

async function listNamespaces(local: LocalRest): Promise<{ id: string; title: string }[]> {
  const url = `${local.server.baseUrl}/accounts/${local.server.accountId}/storage/kv/namespaces?per_page=1000`;
  const response = await fetch(url, { headers: { authorization: `Bearer ${API_TOKEN}` } });
  const body = (await response.json()) as { result: { id: string; title: string }[] };
  return body.result;
}

async function countNamespacesTitled(local: LocalRest, title: string): Promise<number> {
  return (await listNamespaces(local)).filter((namespace) => namespace.title === title).length;
}

async function deleteNamespaceTitled(local: LocalRest, title: string): Promise<void> {
  const namespace = (await listNamespaces(local)).find((candidate) => candidate.title === title);
  if (namespace === undefined) throw new Error(`No namespace is titled ${title}.`);
  const url = `${local.server.baseUrl}/accounts/${local.server.accountId}/storage/kv/namespaces/${namespace.id}`;
  const response = await fetch(url, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${API_TOKEN}` },
  });
  if (!response.ok) throw new Error(`Deleting namespace ${title} failed with ${response.status}.`);
}
