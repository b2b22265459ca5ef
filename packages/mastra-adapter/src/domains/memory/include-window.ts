import type { SortedSetEntry } from '@cfkv/core';
import type { StorageListMessagesInput } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';
import { entryMatchesMessage, entryResourceId, type MessageOrder } from './message-order.js';
import { readMessages, type StoredMessage } from './message-records.js';
import { scanSortedSet } from './ordered-scan.js';

export type IncludeItem = NonNullable<StorageListMessagesInput['include']>[number];

/**
 * Resolves `include` items to each target message and its neighbours in its own thread
 * (found through the message record, so one read per id). With a `resourceId`, targets and
 * neighbours of other resources are left out, as in Mastra's stores. Neighbours are found by
 * listing the thread newest-first until the target and its older neighbours are seen, so the
 * cost grows with the target's distance from the newest message.
 */
export async function resolveIncludedMessages(
  context: StoreContext,
  order: MessageOrder,
  include: readonly IncludeItem[],
  resourceId: string | undefined,
): Promise<StoredMessage[]> {
  const targets = await readMessages(
    context,
    include.map((item) => item.id),
  );

  const windowEntries = new Map<string, { entry: SortedSetEntry; threadId: string }>();
  for (const [index, item] of include.entries()) {
    const target = targets[index] ?? null;
    if (target === null) continue;
    if (resourceId !== undefined && target.resourceId !== resourceId) continue;

    const window = await findWindow(order, target, item, resourceId);
    for (const entry of window)
      windowEntries.set(entry.member, { entry, threadId: target.threadId });
  }
  const listed = [...windowEntries.values()];
  const records = await readMessages(
    context,
    listed.map(({ entry }) => entry.member),
  );
  // An entry its record no longer describes (a re-save or a move in flight) is skipped.
  return records.filter((record, index): record is StoredMessage =>
    entryMatchesMessage(listed[index]!.entry, record, listed[index]!.threadId),
  );
}

async function findWindow(
  order: MessageOrder,
  target: StoredMessage,
  item: IncludeItem,
  resourceId: string | undefined,
): Promise<SortedSetEntry[]> {
  const previous = Math.max(0, item.withPreviousMessages ?? 0);
  const next = Math.max(0, item.withNextMessages ?? 0);
  const { entries } = await scanSortedSet(order.set, target.threadId, {
    direction: 'desc',
    wanted: Infinity,
    accept: (entry) => resourceId === undefined || entryResourceId(entry) === resourceId,
    isEnough: (accepted) => {
      const position = accepted.findIndex((entry) => entry.member === target.id);
      return position >= 0 && accepted.length > position + previous;
    },
  });

  const position = entries.findIndex((entry) => entry.member === target.id);
  if (position < 0) return [];
  const newer = entries.slice(Math.max(0, position - next), position);
  const older = entries.slice(position + 1, position + 1 + previous);
  return [...older.reverse(), entries[position]!, ...newer.reverse()];
}
