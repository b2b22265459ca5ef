import { readWindow, type SortedSetEntry } from '@cfkv/core';
import type { StorageListMessagesInput } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';
import {
  entryMatchesMessage,
  entryResourceId,
  orderEntryOf,
  type MessageOrder,
} from './message-order.js';
import { readMessages, type StoredMessage } from './message-records.js';

export type IncludeItem = NonNullable<StorageListMessagesInput['include']>[number];

/**
 * Resolves `include` items to each target message and its neighbours in its own thread
 * (found through the message record, so one read per id). With a `resourceId`, targets and
 * neighbours of other resources are left out, as in Mastra's stores. Neighbours are read from
 * the thread's order around the target's entry, a few list calls at any thread length.
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

  const windows = await Promise.all(
    include.map(async (item, index) => {
      const target = targets[index] ?? null;
      if (target === null) return [];
      if (resourceId !== undefined && target.resourceId !== resourceId) return [];

      const window = await findWindow(order, target, item, resourceId);
      return window.map((entry) => ({ entry, threadId: target.threadId }));
    }),
  );
  const windowEntries = new Map<string, { entry: SortedSetEntry; threadId: string }>();
  for (const listed of windows.flat()) windowEntries.set(listed.entry.member, listed);
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
  const center = orderEntryOf(target);
  const window = await readWindow(order.set, target.threadId, center, {
    below: Math.max(0, item.withPreviousMessages ?? 0),
    above: Math.max(0, item.withNextMessages ?? 0),
    accept: (entry) => resourceId === undefined || entryResourceId(entry) === resourceId,
  });
  if (!window.found) return [];
  return [...window.below, center, ...window.above];
}
