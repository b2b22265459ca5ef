import { BindingTransport } from '@cfkv/binding';
import { createMiniflareKv, FaultTransport, randomPrefix, type MiniflareKv } from '@cfkv/testing';
import { CfkvError } from '@cfkv/core';
import { ConsoleLogger } from '@mastra/core/logger';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloudflareStore, STORE_TABLES } from '../src/index.js';

const SECRET_TEXT = 'private-message-text-7a1d';
const SECRET_TOKEN = 'secret-api-token-93bd';

function captureLogger() {
  const logger = new ConsoleLogger({ level: 'debug' });
  const lines: string[] = [];
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
      lines.push(JSON.stringify(args));
    });
  }
  // Mastra hands each component a child logger; the children write to the same capture.
  const withChild = logger as unknown as { child?: () => unknown };
  if (typeof withChild.child === 'function') vi.spyOn(withChild, 'child').mockReturnValue(logger);
  return { logger, lines };
}

/** Builds message m1 of thread t1 and resource r1 with `text` as its content. */
function userMessage(text: string, createdAt: Date) {
  return {
    id: 'm1',
    threadId: 't1',
    resourceId: 'r1',
    role: 'user' as const,
    createdAt,
    content: { format: 2 as const, parts: [{ type: 'text' as const, text }] },
  };
}

describe('binding: logging', () => {
  let kv: MiniflareKv;
  beforeAll(async () => {
    kv = await createMiniflareKv(STORE_TABLES);
  });
  afterAll(async () => {
    await kv.dispose();
  });

  it('memory methods: log ids and counts, never content', async () => {
    const store = new CloudflareStore({ bindings: kv.namespaces, keyPrefix: randomPrefix('log') });
    const { logger, lines } = captureLogger();
    store.__setLogger(logger);
    const memory = store.stores.memory;
    const createdAt = new Date();

    await memory.saveThread({
      thread: { id: 't1', resourceId: 'r1', title: SECRET_TEXT, createdAt, updatedAt: createdAt },
    });
    await memory.saveMessages({ messages: [userMessage(SECRET_TEXT, createdAt)] });
    await memory.listMessages({ threadId: 't1' });
    await memory.updateResource({ resourceId: 'r1', workingMemory: SECRET_TEXT });
    await memory.getThreadById({ threadId: '' }).catch(() => undefined);

    expect(lines.some((line) => line.includes('SAVE_MESSAGES'))).toBe(true);
    expect(lines.some((line) => line.includes('t1'))).toBe(true);
    expect(lines.filter((line) => line.includes(SECRET_TEXT))).toEqual([]);
  });

  it('failures: logs and errors carry no token', async () => {
    const failing = new FaultTransport(new BindingTransport({ namespaces: kv.namespaces }), {
      failOn: () => new CfkvError('AUTHENTICATION_FAILED', 'KV answered 401.', { status: 401 }),
    });
    const store = new CloudflareStore({ transport: failing, keyPrefix: randomPrefix('log') });
    const { logger, lines } = captureLogger();
    store.__setLogger(logger);

    const error = await store.stores.memory
      .listMessages({ threadId: 't1' })
      .catch((caught: unknown) => caught);
    const missingAccount = (() => {
      try {
        return new CloudflareStore({ accountId: '', apiToken: SECRET_TOKEN });
      } catch (caught) {
        return caught;
      }
    })();

    expect(error).toBeInstanceOf(Error);
    expect(lines.some((line) => line.includes('LIST_MESSAGES'))).toBe(true);
    expect(missingAccount).toBeInstanceOf(CfkvError);
    expect((missingAccount as CfkvError).field).toBe('accountId');
    for (const text of [...lines, JSON.stringify(error), String(missingAccount)]) {
      expect(text).not.toContain(SECRET_TOKEN);
    }
  });

  it('reads: a failed clean-up is logged and the read goes on', async () => {
    const keyPrefix = randomPrefix('log');
    const bindings = new BindingTransport({ namespaces: kv.namespaces });
    const deletesFail = { on: false };
    const failing = new FaultTransport(bindings, {
      failOn: (call) =>
        deletesFail.on && call.operation === 'deleteMany'
          ? new CfkvError('TRANSPORT_FAILED', 'KV answered 403: the daily write quota is spent.')
          : undefined,
    });
    const store = new CloudflareStore({ transport: failing, keyPrefix });
    const { logger, lines } = captureLogger();
    store.__setLogger(logger);
    const memory = store.stores.memory;
    const createdAt = new Date(Date.now() - 60_000);
    for (const id of ['t1', 't2']) {
      await memory.saveThread({
        thread: { id, resourceId: 'r1', title: id, createdAt, updatedAt: createdAt },
      });
    }
    await memory.saveMessages({ messages: [userMessage('hello', createdAt)] });
    // The move and the rename cannot delete their old entries, so readers find them stale.
    deletesFail.on = true;
    await memory
      .updateMessages({ messages: [{ id: 'm1', threadId: 't2' }] })
      .catch(() => undefined);
    await memory.updateThread({ id: 't1', title: 'renamed', metadata: {} }).catch(() => undefined);

    const messages = await memory.listMessages({ threadId: 't1' });
    const threads = await memory.listThreads({
      filter: { resourceId: 'r1' },
      orderBy: { field: 'updatedAt', direction: 'DESC' },
    });

    expect(messages.messages).toEqual([]);
    expect(threads.threads.map((thread) => thread.id).sort()).toEqual(['t1', 't2']);
    const warnings = lines.filter((line) => line.includes('the read goes on'));
    expect(warnings.some((line) => line.includes('superseded order entries'))).toBe(true);
    expect(warnings.some((line) => line.includes('thread index repair'))).toBe(true);
  });
});
