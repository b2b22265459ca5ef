import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, randomPrefix, startTestServer, type Envelope } from './helpers.js';

describe('rest-local: persistence', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'cfkv-local-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('restart: keeps namespaces, values, metadata and listing', async () => {
    const prefix = randomPrefix();
    const title = `${prefix}persisted`;
    const first = await startTestServer({ persist: folder });
    const firstApi = new ApiClient(first);
    const namespaceId = await firstApi.createNamespace(title);
    await firstApi.putWithMetadata(namespaceId, `${prefix}a`, 'A', { n: 1 });
    await firstApi.putValue(namespaceId, `${prefix}b`, 'B');
    await first.close();

    const second = await startTestServer({ persist: folder });
    const secondApi = new ApiClient(second);
    try {
      const namespaces = await secondApi.json<{ id: string; title: string }[]>('?per_page=1000');
      const value = await secondApi.getValue(namespaceId, `${prefix}a`);
      const pages = await secondApi.listAllPages(namespaceId, prefix, 10);

      expect(namespaces.result).toContainEqual({
        id: namespaceId,
        title,
        supports_url_encoding: true,
      });
      expect(await value.text()).toBe('A');
      expect(pages.flat()).toEqual([
        { name: `${prefix}a`, metadata: { n: 1 } },
        { name: `${prefix}b` },
      ]);
    } finally {
      await second.close();
    }
  });

  it('restart: a deleted namespace stays deleted', async () => {
    const first = await startTestServer({ persist: folder });
    const firstApi = new ApiClient(first);
    const namespaceId = await firstApi.createNamespace();
    await firstApi.putValue(namespaceId, 'k', 'v');
    await firstApi.request(`/${namespaceId}`, { method: 'DELETE' });
    await first.close();

    const second = await startTestServer({ persist: folder });
    try {
      const response = await new ApiClient(second).getValue(namespaceId, 'k');

      expect(response.status).toBe(404);
    } finally {
      await second.close();
    }
  });

  it('registry: is a JSON file in the persist folder', async () => {
    const server = await startTestServer({ persist: folder });
    const namespaceId = await new ApiClient(server).createNamespace();
    await server.close();

    const registry = JSON.parse(await readFile(join(folder, 'namespaces.json'), 'utf8'));

    expect(registry.version).toBe(1);
    expect(registry.namespaces.map((namespace: { id: string }) => namespace.id)).toContain(
      namespaceId,
    );
  });

  it('in memory: a new server starts empty', async () => {
    const first = await startTestServer();
    await new ApiClient(first).createNamespace();
    await first.close();

    const second = await startTestServer();
    try {
      const namespaces = await new ApiClient(second).json<unknown[]>('');

      expect(namespaces.result).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('registry: a failed save gives 500 and calls onError', async () => {
    const brokenFolder = await mkdtemp(join(tmpdir(), 'cfkv-local-broken-'));
    const failures: { method: string; url: string }[] = [];
    const server = await startTestServer({
      persist: brokenFolder,
      onError: (_error, request) => failures.push(request),
    });
    try {
      // A directory where the registry file belongs makes the rename that saves it fail.
      await mkdir(join(brokenFolder, 'namespaces.json'));

      const response = await new ApiClient(server).sendJson('POST', '', { title: 'broken' });
      const envelope = (await response.json()) as Envelope;

      expect(response.status).toBe(500);
      expect(envelope.errors[0]?.code).toBe(10002);
      expect(failures).toHaveLength(1);
      expect(failures[0]?.method).toBe('POST');
    } finally {
      await server.close();
      await rm(brokenFolder, { recursive: true, force: true });
    }
  });
  it('start: rejects a persist folder it cannot create', async () => {
    const error = await startTestServer({ persist: '/proc/cfkv-forbidden' }).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('/proc/cfkv-forbidden is not writable');
  });

  it('create: a failed registry write answers 500 with the envelope', async () => {
    const failingFolder = join(folder, 'failing-registry');
    const server = await startTestServer({ persist: failingFolder });
    const api = new ApiClient(server);
    // A folder where the registry's temporary file goes makes its write fail with EISDIR.
    await mkdir(join(failingFolder, `namespaces.json.${process.pid}.tmp`));
    try {
      const response = await api.sendJson('POST', '', { title: `${randomPrefix()}unsaved` });
      const envelope = (await response.json()) as Envelope;

      expect(response.status).toBe(500);
      expect(envelope.success).toBe(false);
      expect(envelope.errors[0]?.code).toBe(10002);
    } finally {
      await server.close();
    }
  });
});
