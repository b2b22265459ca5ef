import type { MessageView, ThreadView } from '../src/views.js';
import type { ConversationFixture } from './fixture.js';
import type { ServiceClient, ServiceResponse } from './service-client.js';

/** A fixture thread after play: its key in the fixture and the thread the service created. */
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

/** Everything read back through the service's read routes. */
export interface ConversationSnapshot {
  threads: ThreadSnapshot[];
  threadsByResource: Record<string, ThreadView[]>;
}

/** Maximum `last` the messages route accepts; every fixture thread has fewer messages. */
const READ_ALL_LAST = 100;

/** Creates the fixture's threads, then sends every turn through POST /threads/:id/messages. */
export async function playConversation(
  client: ServiceClient,
  fixture: ConversationFixture,
): Promise<PlayedConversation> {
  const threads: PlayedThread[] = [];
  for (const { key, resourceId, title } of fixture.threads) {
    const response = await client.fetch('/threads', {
      method: 'POST',
      body: { resourceId, title },
    });
    const thread = expectStatus(response, 201, `create thread ${key}`) as ThreadView;
    threads.push({ key, thread });
  }

  const replies: PlayedConversation['replies'] = [];
  for (const turn of fixture.turns) {
    const { thread } = threads.find((played) => played.key === turn.thread)!;
    const response = await client.fetch(`/threads/${encodeURIComponent(thread.id)}/messages`, {
      method: 'POST',
      body: { resourceId: thread.resourceId, text: turn.text },
    });
    const body = expectStatus(response, 200, `send "${turn.text}"`) as { reply: string };
    replies.push({ threadKey: turn.thread, text: turn.text, reply: body.reply });
  }
  return { threads, replies };
}

/**
 * Reads every played thread's messages and every resource's threads back through the service. A
 * thread the service does not find (404) is left out of the snapshot, so a comparison reports it.
 */
export async function readConversation(
  client: ServiceClient,
  played: PlayedConversation,
): Promise<ConversationSnapshot> {
  const threads: ThreadSnapshot[] = [];
  for (const { key, thread } of played.threads) {
    const requestPath = `/threads/${encodeURIComponent(thread.id)}/messages?last=${READ_ALL_LAST}`;
    const response = await client.fetch(requestPath);
    if (response.status === 404) continue;

    const body = expectStatus(response, 200, `read thread ${key}`);
    const { messages } = body as { messages: MessageView[] };
    threads.push({ key, threadId: thread.id, resourceId: thread.resourceId, messages });
  }

  const threadsByResource: Record<string, ThreadView[]> = {};
  for (const resourceId of new Set(played.threads.map(({ thread }) => thread.resourceId))) {
    const requestPath = `/resources/${encodeURIComponent(resourceId)}/threads`;
    const body = expectStatus(
      await client.fetch(requestPath),
      200,
      `list threads of ${resourceId}`,
    );
    threadsByResource[resourceId] = (body as { threads: ThreadView[] }).threads;
  }
  return { threads, threadsByResource };
}

function expectStatus(response: ServiceResponse, status: number, action: string): unknown {
  if (response.status !== status) {
    const detail = JSON.stringify(response.body);
    throw new Error(`${action}: expected HTTP ${status}, received ${response.status}: ${detail}`);
  }
  return response.body;
}
