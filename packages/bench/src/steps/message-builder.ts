import type { MastraDBMessage, StorageThreadType } from '@mastra/core/memory';

export function buildThread(id: string, resourceId: string, createdAt: Date): StorageThreadType {
  return {
    id,
    resourceId,
    title: `Thread ${id}`,
    metadata: { source: 'bench' },
    createdAt,
    updatedAt: createdAt,
  };
}

export function buildMessage(
  id: string,
  thread: { id: string; resourceId: string },
  createdAt: Date,
): MastraDBMessage {
  return {
    id,
    threadId: thread.id,
    resourceId: thread.resourceId,
    role: 'user',
    type: 'text',
    createdAt,
    content: { format: 2, parts: [{ type: 'text', text: `Text of message ${id}.` }] },
  } as MastraDBMessage;
}
