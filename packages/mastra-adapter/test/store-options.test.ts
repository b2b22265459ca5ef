import { CfkvError } from '@cfkv/core';
import { createMiniflareKv } from '@cfkv/testing';
import { TABLE_MESSAGES, TABLE_THREADS } from '@mastra/core/storage';
import { describe, expect, it } from 'vitest';
import { CloudflareStore, DEFAULT_STORE_ID, resolveBindings, STORE_TABLES } from '../src/index.js';

describe('binding: store options', () => {
  it('constructor: defaults the id and accepts short aliases', async () => {
    const kv = await createMiniflareKv(STORE_TABLES);
    try {
      const bindings = {
        threads: kv.namespaces[TABLE_THREADS]!,
        messages: kv.namespaces[TABLE_MESSAGES]!,
        resources: kv.namespaces.mastra_resources!,
        workflow_snapshot: kv.namespaces.mastra_workflow_snapshot!,
      };
      const store = new CloudflareStore({ bindings });

      expect(store.id).toBe(DEFAULT_STORE_ID);
      await store.stores.memory.saveThread({
        thread: { id: 't', resourceId: 'r', createdAt: new Date(), updatedAt: new Date() },
      });
      expect(await kv.namespaces[TABLE_THREADS]!.list()).toMatchObject({
        keys: expect.arrayContaining([
          expect.objectContaining({ name: 'mastra_threads:record:t' }),
        ]),
      });
    } finally {
      await kv.dispose();
    }
  });

  it('resolveBindings: names a missing table', () => {
    const attempt = () => resolveBindings({ threads: {} as never });

    expect(attempt).toThrow(CfkvError);
    expect(attempt).toThrow(/mastra_messages/);
  });

  it('resolveBindings: rejects an unknown binding name', () => {
    expect(() => resolveBindings({ thread: {} as never })).toThrow(/unknown name "thread"/);
  });

  it('constructor: names a missing apiToken', () => {
    expect(() => new CloudflareStore({ accountId: 'a', apiToken: '' })).toThrow(/apiToken/);
  });

  it('constructor: shows a bad threadTouchIntervalMs', () => {
    const create = () =>
      new CloudflareStore({ accountId: 'a', apiToken: 't', threadTouchIntervalMs: -1 });
    expect(create).toThrow(/threadTouchIntervalMs must be a number of milliseconds >= 0, got -1/);
  });

  it('constructor: rejects an apiToken with a line break before any request', () => {
    const create = () => new CloudflareStore({ accountId: 'a', apiToken: 'secret\nX-Evil: 1' });
    expect(create).toThrow(/apiToken contains a space, line break/);
    expect(create).not.toThrow(/secret/);
  });

  it('constructor: rejects a transport that is not a Transport', () => {
    for (const transport of [() => undefined, { get: 1 }, {}]) {
      const create = () => new CloudflareStore({ transport: transport as never });
      expect(create).toThrow(/transport must be a cfkv Transport, but its get is not a function/);
    }
  });
});
