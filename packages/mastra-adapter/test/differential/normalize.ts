import type { MastraDBMessage, StorageThreadType } from '@mastra/core/memory';

/** The fields both stores must agree on, with Dates as milliseconds. */
export function normalizeMessage(message: MastraDBMessage) {
  return {
    id: message.id,
    threadId: message.threadId,
    resourceId: message.resourceId ?? null,
    role: message.role,
    type: (message as { type?: string }).type,
    content: JSON.parse(JSON.stringify(message.content)) as unknown,
    createdAt: new Date(message.createdAt).getTime(),
  };
}

export function normalizeThread(thread: StorageThreadType | null) {
  if (thread === null) return null;
  return {
    id: thread.id,
    resourceId: thread.resourceId,
    title: thread.title ?? null,
    metadata: JSON.parse(JSON.stringify(thread.metadata ?? {})) as unknown,
    createdAt: new Date(thread.createdAt).getTime(),
    updatedAt: new Date(thread.updatedAt).getTime(),
  };
}

export function byId<T extends { id: string }>(items: readonly T[]): T[] {
  return [...items].sort((left, right) => {
    if (left.id < right.id) return -1;
    if (left.id > right.id) return 1;
    return 0;
  });
}
