import { isDeepStrictEqual } from 'node:util';

import type { ConversationSnapshot } from './conversation.js';

const TEXT_WIDTH = 64;

/** Formats a snapshot as one short table per thread, then each resource's threads. */
export function formatSnapshot(snapshot: ConversationSnapshot): string {
  const lines: string[] = [];

  for (const thread of snapshot.threads) {
    lines.push(`thread ${thread.key} (resource ${thread.resourceId}, ${thread.threadId})`);
    thread.messages.forEach((message, index) => {
      const number = String(index + 1).padStart(3);
      lines.push(`  ${number}  ${message.role.padEnd(9)}  ${truncate(message.text)}`);
    });
    lines.push('');
  }

  lines.push(...formatResources(snapshot));
  return lines.join('\n');
}

/**
 * Formats a second read of the same conversation as one row per thread, saying whether it is
 * identical to the first read, then each resource's threads.
 */
export function formatRereadSummary(
  before: ConversationSnapshot,
  after: ConversationSnapshot,
): string {
  const lines = ['thread     resource  messages  last user text                         same'];

  for (const thread of after.threads) {
    const earlier = before.threads.find((candidate) => candidate.threadId === thread.threadId);
    const lastUser = thread.messages.findLast((message) => message.role === 'user');
    const same = isDeepStrictEqual(earlier?.messages, thread.messages) ? 'yes' : 'NO';
    lines.push(
      [
        thread.key.padEnd(9),
        thread.resourceId.padEnd(8),
        String(thread.messages.length).padStart(8),
        truncate(lastUser?.text ?? '', 38).padEnd(38),
        same,
      ].join('  '),
    );
  }

  lines.push('', ...formatResources(after));
  return lines.join('\n');
}

function formatResources(snapshot: ConversationSnapshot): string[] {
  return Object.entries(snapshot.threadsByResource).map(([resourceId, threads]) => {
    const titles = threads.map((thread) => `"${thread.title}"`).join(', ');
    const noun = threads.length === 1 ? 'thread' : 'threads';
    return `resource ${resourceId}: ${threads.length} ${noun}: ${titles}`;
  });
}

function truncate(text: string, width = TEXT_WIDTH): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length <= width ? line : `${line.slice(0, width - 3)}...`;
}
