import type { ConversationSnapshot } from './conversation.js';

const TEXT_WIDTH = 72;

/** Formats a snapshot as one short table per thread, then each resource's threads. */
export function formatSnapshot(snapshot: ConversationSnapshot): string {
  const lines: string[] = [];

  for (const thread of snapshot.threads) {
    lines.push(`thread ${thread.key} (${thread.resourceId}, ${thread.messages.length} messages)`);
    thread.messages.forEach((message, index) => {
      const number = String(index + 1).padStart(3);
      lines.push(`  ${number}  ${message.role.padEnd(9)}  ${truncate(message.text)}`);
    });
    lines.push('');
  }

  for (const [resourceId, threads] of Object.entries(snapshot.threadsByResource)) {
    const titles = threads.map((thread) => `"${thread.title}"`).join(', ');
    const noun = threads.length === 1 ? 'thread' : 'threads';
    lines.push(`resource ${resourceId}: ${threads.length} ${noun}: ${titles}`);
  }
  return lines.join('\n');
}

function truncate(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length <= TEXT_WIDTH ? line : `${line.slice(0, TEXT_WIDTH - 3)}...`;
}
