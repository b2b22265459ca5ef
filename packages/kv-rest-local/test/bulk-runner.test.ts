import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBulkInChunks } from '../src/bulk-runner.js';
import type { BulkOperation } from '../src/bulk-worker-script.js';
import type { KvBinding } from '../src/kv-binding.js';

describe('rest-local: bulk runner', () => {
  let miniflare: Miniflare;
  let binding: KvBinding;

  beforeAll(async () => {
    miniflare = new Miniflare({
      modules: true,
      script: 'export default { fetch: () => new Response(null, { status: 404 }) };',
      compatibilityDate: '2026-07-01',
      cf: false,
      kvNamespaces: { KV: 'bulk-runner' },
    });
    binding = (await miniflare.getKVNamespace('KV')) as unknown as KvBinding;
  });
  afterAll(() => miniflare.dispose());

  it('runBulkInChunks: dispatches at most 500 keys at a time', async () => {
    const chunkSizes: number[] = [];
    const keys = Array.from({ length: 1201 }, (_, index) => `chunked-${index}`);

    const failedKeys = await runBulkInChunks(
      { operation: 'delete', keys },
      async (chunk) => {
        chunkSizes.push(chunk.operation === 'delete' ? chunk.keys.length : -1);
        return [];
      },
      async () => binding,
    );

    expect(failedKeys).toEqual([]);
    expect(chunkSizes).toEqual([500, 500, 201]);
  });

  it('runBulkInChunks: runs a failed dispatch from Node', async () => {
    const writes = [
      { key: 'fallback-text', value: 'text', base64: false, options: { metadata: { n: 1 } } },
      {
        key: 'fallback-bytes',
        value: Buffer.from('bytes').toString('base64'),
        base64: true,
        options: {},
      },
    ];
    const failingDispatch = async (): Promise<string[]> => {
      throw new Error('read ECONNRESET');
    };

    const putFailures = await runBulkInChunks(
      { operation: 'put', writes } satisfies BulkOperation,
      failingDispatch,
      async () => binding,
    );
    const text = await binding.getWithMetadata('fallback-text', 'arrayBuffer');
    const bytes = await binding.get('fallback-bytes', 'arrayBuffer');

    expect(putFailures).toEqual([]);
    expect(Buffer.from(text.value as ArrayBuffer).toString()).toBe('text');
    expect(text.metadata).toEqual({ n: 1 });
    expect(Buffer.from(bytes as ArrayBuffer).toString()).toBe('bytes');

    const deleteFailures = await runBulkInChunks(
      { operation: 'delete', keys: ['fallback-text', 'fallback-bytes'] },
      failingDispatch,
      async () => binding,
    );

    expect(deleteFailures).toEqual([]);
    expect(await binding.get('fallback-text', 'arrayBuffer')).toBeNull();
    expect(await binding.get('fallback-bytes', 'arrayBuffer')).toBeNull();
  });
});
