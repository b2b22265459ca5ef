import type { MastraDBMessage, StorageThreadType } from '@mastra/core/memory';

/** A thread as the HTTP routes return it. */
export interface ThreadView {
  id: string;
  resourceId: string;
  title: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A stored message as the HTTP routes return it, with its text parts joined. */
export interface MessageView {
  id: string;
  role: string;
  text: string;
  createdAt: string;
}

/** Converts a stored thread to its JSON view. */
export function toThreadView(thread: StorageThreadType): ThreadView {
  return {
    id: thread.id,
    resourceId: thread.resourceId,
    title: thread.title ?? null,
    createdAt: new Date(thread.createdAt).toISOString(),
    updatedAt: new Date(thread.updatedAt).toISOString(),
  };
}

/** Converts a stored message to its JSON view. */
export function toMessageView(message: MastraDBMessage): MessageView {
  const text = message.content.parts
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('');

  return {
    id: message.id,
    role: message.role,
    text: text || (message.content.content ?? ''),
    createdAt: new Date(message.createdAt).toISOString(),
  };
}
