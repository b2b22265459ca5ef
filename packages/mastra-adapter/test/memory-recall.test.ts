import { createMiniflareKv, randomPrefix, type MiniflareKv } from '@cfkv/testing';
import type { MastraDBMessage } from '@mastra/core/memory';
import { Memory } from '@mastra/memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareStore, STORE_TABLES } from '../src/index.js';

describe('binding: Mastra Memory over CloudflareStore', () => {
  let kv: MiniflareKv;
  beforeAll(async () => {
    kv = await createMiniflareKv(STORE_TABLES);
  });
  afterAll(async () => {
    await kv.dispose();
  });

  it('recall: lastMessages 3 returns the newest three, oldest first', async () => {
    const store = new CloudflareStore({
      bindings: kv.namespaces,
      keyPrefix: randomPrefix('recall'),
    });
    const memory = new Memory({ storage: store, options: { lastMessages: 3 } });
    const base = Date.UTC(2025, 0, 1);
    const createdAt = new Date(base);
    await store.stores.memory.saveThread({
      thread: { id: 't1', resourceId: 'r1', createdAt, updatedAt: createdAt },
    });
    const messages = Array.from({ length: 7 }, (_, index) => ({
      id: `m${index + 1}`,
      threadId: 't1',
      resourceId: 'r1',
      role: index % 2 === 0 ? 'user' : 'assistant',
      createdAt: new Date(base + (index + 1) * 1000),
      content: { format: 2, parts: [{ type: 'text', text: `message ${index + 1}` }] },
    })) as MastraDBMessage[];
    await store.stores.memory.saveMessages({ messages });

    const recalled = await memory.recall({ threadId: 't1', resourceId: 'r1' });

    expect(recalled.messages.map((message) => message.id)).toEqual(['m5', 'm6', 'm7']);
  });
});
