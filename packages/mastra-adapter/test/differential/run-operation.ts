import type {
  MemoryStorage,
  StorageListMessagesInput,
  StorageListThreadsInput,
} from '@mastra/core/storage';
import { byId, normalizeMessage, normalizeThread } from './normalize.js';
import type { Operation } from './random-operations.js';

export type Outcome = { ok: true; value: unknown } | { ok: false };

/** Runs one operation on a memory domain and returns its normalized result or a failure mark. */
export async function runOperation(memory: MemoryStorage, operation: Operation): Promise<Outcome> {
  try {
    return { ok: true, value: await run(memory, structuredClone(operation)) };
  } catch {
    return { ok: false };
  }
}

async function run(memory: MemoryStorage, operation: Operation): Promise<unknown> {
  switch (operation.kind) {
    case 'saveThread':
      return normalizeThread(await memory.saveThread({ thread: operation.thread }));
    case 'updateThread':
      return normalizeThread(await memory.updateThread(operation));
    case 'deleteThread':
      return memory.deleteThread({ threadId: operation.threadId });
    case 'saveMessages':
      await memory.saveMessages({ messages: operation.messages });
      return null;
    case 'updateMessages':
      return (await memory.updateMessages({ messages: operation.messages as never })).map(
        normalizeMessage,
      );
    case 'deleteMessages':
      return memory.deleteMessages(operation.ids);
    case 'listMessages':
      return listMessages(memory, operation.input);
    case 'listThreads':
      return listThreads(memory, operation.input);
    case 'listMessagesById': {
      const { messages } = await memory.listMessagesById({ messageIds: operation.ids });
      return byId(messages.map(normalizeMessage));
    }
    case 'getThreadById':
      return normalizeThread(await memory.getThreadById(operation));
  }
}

/**
 * For descending order the expected page is the ascending listing reversed: Mastra's in-memory
 * store keeps insertion order for equal createdAt in both directions, while CloudflareStore
 * reverses it, so "last N" returns the newest N. With `include`, the order among equal
 * createdAt is arbitrary in Mastra's store, so only the set of messages is compared.
 */
export async function listMessages(memory: MemoryStorage, input: StorageListMessagesInput) {
  const result = await memory.listMessages(input);
  const messages = result.messages.map(normalizeMessage);
  return {
    messages: input.include?.length ? byId(messages) : messages,
    total: result.total,
    page: result.page,
    perPage: result.perPage,
    hasMore: result.hasMore,
  };
}

export async function listThreads(memory: MemoryStorage, input: StorageListThreadsInput) {
  const result = await memory.listThreads(input);
  return {
    threads: result.threads.map(normalizeThread),
    total: result.total,
    page: result.page,
    perPage: result.perPage,
    hasMore: result.hasMore,
  };
}

/** The descending page Mastra's store would give if it reversed ties too. */
export async function expectedDescending(
  memory: MemoryStorage,
  operation: Extract<Operation, { kind: 'listMessages' | 'listThreads' }>,
): Promise<Outcome> {
  try {
    const input = structuredClone(operation.input);
    const perPage = input.perPage ?? (operation.kind === 'listMessages' ? 40 : 100);
    const page = input.page ?? 0;
    const ascending = {
      ...input,
      orderBy: { ...input.orderBy, direction: 'ASC' as const },
      page: 0,
      perPage: false as const,
    };
    const full =
      operation.kind === 'listMessages'
        ? await listMessages(memory, ascending as StorageListMessagesInput)
        : await listThreads(memory, ascending as StorageListThreadsInput);
    const items = ('messages' in full ? full.messages : full.threads).slice().reverse();
    const offset = perPage === false ? 0 : page * perPage;
    const size = perPage === false ? items.length : perPage;
    const pageItems = items.slice(offset, offset + size);
    return {
      ok: true,
      value: {
        ['messages' in full ? 'messages' : 'threads']: pageItems,
        total: full.total,
        page,
        perPage: input.perPage ?? perPage,
        hasMore: perPage === false ? false : offset + size < full.total,
      },
    };
  } catch {
    return { ok: false };
  }
}
