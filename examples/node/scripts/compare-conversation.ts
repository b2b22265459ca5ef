import { isDeepStrictEqual } from 'node:util';

import { LAST_MESSAGES } from '../src/agent.js';
import { formatOfflineReply } from '../src/offline-model.js';
import type { ConversationSnapshot, PlayedConversation, ThreadSnapshot } from './conversation.js';
import { userTextsOf, type ConversationFixture } from './fixture.js';

type Reply = PlayedConversation['replies'][number];

/**
 * Lists every way the snapshot differs from what the fixture implies: message counts, roles, user
 * texts in order, the replies returned during play, and each resource's threads. With the offline
 * model, each reply must also show that memory recalled up to LAST_MESSAGES earlier messages.
 */
export function checkAgainstFixture(
  fixture: ConversationFixture,
  played: PlayedConversation,
  snapshot: ConversationSnapshot,
  { offlineModel = true } = {},
): string[] {
  const problems: string[] = [];

  for (const { key } of fixture.threads) {
    const thread = snapshot.threads.find((candidate) => candidate.key === key);
    if (!thread) {
      problems.push(`thread ${key}: not read back`);
      continue;
    }
    const replies = played.replies.filter((reply) => reply.threadKey === key);
    problems.push(...checkThread(thread, userTextsOf(fixture, key), replies, offlineModel));
  }

  problems.push(...checkResources(fixture, played, snapshot));
  return problems;
}

function checkThread(
  thread: ThreadSnapshot,
  userTexts: string[],
  replies: Reply[],
  offlineModel: boolean,
): string[] {
  const problems: string[] = [];
  const label = `thread ${thread.key}`;
  const { messages } = thread;

  if (messages.length !== userTexts.length * 2) {
    problems.push(`${label}: ${messages.length} messages, expected ${userTexts.length * 2}`);
  }

  const roles = messages.map((message) => message.role);
  const expectedRoles = userTexts.flatMap(() => ['user', 'assistant']);
  if (!isDeepStrictEqual(roles, expectedRoles)) {
    problems.push(`${label}: roles ${roles.join(',')} do not alternate user,assistant`);
  }

  const storedUserTexts = textsOf(thread, 'user');
  if (!isDeepStrictEqual(storedUserTexts, userTexts)) {
    problems.push(`${label}: user texts ${JSON.stringify(storedUserTexts)} are not the fixture's`);
  }

  const givenReplies = replies.map((reply) => reply.reply);
  if (!isDeepStrictEqual(textsOf(thread, 'assistant'), givenReplies)) {
    problems.push(`${label}: stored replies differ from the replies returned during play`);
  }

  if (offlineModel) problems.push(...checkRecall(label, userTexts, givenReplies));
  return problems;
}

function textsOf(thread: ThreadSnapshot, role: string): string[] {
  return thread.messages.filter((message) => message.role === role).map((message) => message.text);
}

// The offline model counts the messages it was given: the new user message plus what memory
// recalled, which is every earlier message of the thread up to LAST_MESSAGES.
function checkRecall(label: string, userTexts: string[], replies: string[]): string[] {
  return userTexts.flatMap((text, turn) => {
    const expected = formatOfflineReply(Math.min(LAST_MESSAGES, turn * 2) + 1, text);
    if (replies[turn] === expected) return [];

    const received = JSON.stringify(replies[turn]);
    return [`${label}: turn ${turn + 1} reply ${received}, expected ${JSON.stringify(expected)}`];
  });
}

function checkResources(
  fixture: ConversationFixture,
  played: PlayedConversation,
  snapshot: ConversationSnapshot,
): string[] {
  const resourceIds = new Set(fixture.threads.map((thread) => thread.resourceId));

  return [...resourceIds].flatMap((resourceId) => {
    const expected = played.threads
      .filter(({ thread }) => thread.resourceId === resourceId)
      .map(({ thread }) => `${thread.id} "${thread.title}"`);
    const listed = (snapshot.threadsByResource[resourceId] ?? []).map(
      (thread) => `${thread.id} "${thread.title}"`,
    );
    if (isDeepStrictEqual(listed, expected)) return [];

    return [
      `resource ${resourceId}: threads [${listed.join(', ')}], expected [${expected.join(', ')}]`,
    ];
  });
}

/** Lists every difference between two snapshots of the same conversation. */
export function compareSnapshots(
  before: ConversationSnapshot,
  after: ConversationSnapshot,
): string[] {
  const problems: string[] = [];

  for (const earlier of before.threads) {
    const later = after.threads.find((thread) => thread.threadId === earlier.threadId);
    if (!later) {
      problems.push(`thread ${earlier.key}: missing after restart`);
      continue;
    }
    problems.push(...compareMessages(earlier, later));
  }

  for (const [resourceId, threads] of Object.entries(before.threadsByResource)) {
    const later = after.threadsByResource[resourceId];
    if (!isDeepStrictEqual(later, threads)) {
      problems.push(
        `resource ${resourceId}: threads ${JSON.stringify(threads)} before restart, ` +
          `${JSON.stringify(later)} after`,
      );
    }
  }
  return problems;
}

function compareMessages(before: ThreadSnapshot, after: ThreadSnapshot): string[] {
  const label = `thread ${before.key}`;
  if (before.messages.length !== after.messages.length) {
    return [
      `${label}: ${before.messages.length} messages before restart, ${after.messages.length} after`,
    ];
  }

  return before.messages.flatMap((message, index) => {
    if (isDeepStrictEqual(after.messages[index], message)) return [];

    const seen = JSON.stringify(after.messages[index]);
    return [`${label}: message ${index + 1} was ${JSON.stringify(message)}, after restart ${seen}`];
  });
}
