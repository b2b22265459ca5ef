import { randomUUID } from 'node:crypto';

import type { App } from './app.js';
import { HttpError, json } from './http-error.js';
import {
  createThreadInput,
  readJsonBody,
  readLastParameter,
  sendMessageInput,
} from './request-input.js';
import { toMessageView, toThreadView } from './views.js';

/** POST /threads {resourceId, title?}: creates a thread for the resource. */
export async function createThread(app: App, request: Request): Promise<Response> {
  const input = await readJsonBody(request, createThreadInput);
  const memory = await memoryOf(app);

  const now = new Date();
  const thread = await memory.saveThread({
    thread: {
      id: randomUUID(),
      resourceId: input.resourceId,
      title: input.title ?? '',
      createdAt: now,
      updatedAt: now,
    },
  });
  return json(toThreadView(thread), 201);
}

/** POST /threads/:id/messages {resourceId, text}: sends a message and returns the agent's reply. */
export async function sendMessage(app: App, threadId: string, request: Request): Promise<Response> {
  const input = await readJsonBody(request, sendMessageInput);
  await requireThread(app, threadId, input.resourceId);

  const result = await app.agent.generate(input.text, {
    memory: { thread: threadId, resource: input.resourceId },
  });
  return json({ threadId, reply: result.text });
}

/** GET /threads/:id/messages?last=N: returns the newest N messages of the thread, oldest first. */
export async function listLastMessages(app: App, threadId: string, url: URL): Promise<Response> {
  const last = readLastParameter(url);
  await requireThread(app, threadId);
  const memory = await memoryOf(app);

  const page = await memory.listMessages({
    threadId,
    perPage: last,
    page: 0,
    orderBy: { field: 'createdAt', direction: 'DESC' },
  });
  const messages = page.messages.map(toMessageView).reverse();
  return json({ threadId, messages });
}

/** GET /resources/:id/threads: returns the resource's threads, oldest first. */
export async function listResourceThreads(app: App, resourceId: string): Promise<Response> {
  const memory = await memoryOf(app);

  const page = await memory.listThreads({
    filter: { resourceId },
    perPage: false,
    orderBy: { field: 'createdAt', direction: 'ASC' },
  });
  return json({ resourceId, threads: page.threads.map(toThreadView) });
}

async function memoryOf(app: App) {
  const memory = await app.storage.getStore('memory');
  if (!memory) throw new HttpError(500, 'the storage has no memory domain');
  return memory;
}

async function requireThread(app: App, threadId: string, resourceId?: string): Promise<void> {
  const memory = await memoryOf(app);
  const thread = await memory.getThreadById({ threadId });

  if (!thread) throw new HttpError(404, `thread "${threadId}" not found`);
  if (resourceId !== undefined && thread.resourceId !== resourceId) {
    throw new HttpError(403, `thread "${threadId}" does not belong to resource "${resourceId}"`);
  }
}
