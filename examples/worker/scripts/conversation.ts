import { MAX_LAST_MESSAGES } from '../src/request-input.js';
import type { MessageView, ThreadView } from '../src/views.js';
import type { ConversationFixture } from './fixture.js';
import type { RunningWorker, WorkerResponse } from './worker-runner.js';

/** A fixture thread after play: its key in the fixture and the thread the Worker created. */
export interface PlayedThread {
  key: string;
  thread: ThreadView;
}

/** Result of playing the fixture: the created threads and each turn's reply, in turn order. */
export interface PlayedConversation {
  threads: PlayedThread[];
  replies: { threadKey: string; text: string; reply: string }[];
}

/** One fixture thread's messages as read back, oldest first. */
export interface ThreadSnapshot {
  key: string;
  threadId: string;
  resourceId: string;
  messages: MessageView[];
}

/** Everything read back through the Worker's read routes. */
export interface ConversationSnapshot {
  threads: ThreadSnapshot[];
  threadsByResource: Record<string, ThreadView[]>;
}

/** Creates the fixture's threads, then sends every turn through POST /threads/:id/messages. */
export async function playConversation(
  worker: RunningWorker,
  fixture: ConversationFixture,
): Promise<PlayedConversation> {
  const threads: PlayedThread[] = [];
  for (const { key, resourceId, title } of fixture.threads) {
    const response = await worker.fetch('/threads', {
      method: 'POST',
      body: { resourceId, title },
    });
    threads.push({
      key,
      thread: expectStatus(response, 201, `create thread ${key}`) as ThreadView,
    });
  }

  const replies: PlayedConversation['replies'] = [];
  for (const turn of fixture.turns) {
    const { thread } = threads.find((played) => played.key === turn.thread)!;
    const response = await worker.fetch(`/threads/${encodeURIComponent(thread.id)}/messages`, {
      method: 'POST',
      body: { resourceId: thread.resourceId, text: turn.text },
    });
    const body = expectStatus(response, 200, `send "${turn.text}"`) as { reply: string };
    replies.push({ threadKey: turn.thread, text: turn.text, reply: body.reply });
  }
  return { threads, replies };
}

/** Reads every played thread's messages and every resource's threads back through the Worker. */
export async function readConversation(
  worker: RunningWorker,
  played: PlayedConversation,
): Promise<ConversationSnapshot> {
  const threads: ThreadSnapshot[] = [];
  for (const { key, thread } of played.threads) {
    const path = `/threads/${encodeURIComponent(thread.id)}/messages?last=${MAX_LAST_MESSAGES}`;
    const body = expectStatus(await worker.fetch(path), 200, `read thread ${key}`);
    const { messages } = body as { messages: MessageView[] };
    threads.push({ key, threadId: thread.id, resourceId: thread.resourceId, messages });
  }

  const threadsByResource: Record<string, ThreadView[]> = {};
  for (const resourceId of new Set(played.threads.map(({ thread }) => thread.resourceId))) {
    const path = `/resources/${encodeURIComponent(resourceId)}/threads`;
    const body = expectStatus(await worker.fetch(path), 200, `list threads of ${resourceId}`);
    threadsByResource[resourceId] = (body as { threads: ThreadView[] }).threads;
  }
  return { threads, threadsByResource };
}

function expectStatus(response: WorkerResponse, status: number, action: string): unknown {
  if (response.status !== status) {
    const detail = JSON.stringify(response.body);
    throw new Error(`${action}: expected HTTP ${status}, received ${response.status}: ${detail}`);
  }
  return response.body;
}
