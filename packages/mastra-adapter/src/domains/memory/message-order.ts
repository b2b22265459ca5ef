import { SortedSet, type SortedSetEntry } from '@cfkv/core';
import { TABLE_MESSAGES } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';
import type { StoredMessage } from './message-records.js';

export const MESSAGE_ORDER_INDEX = 'thread-order';

/** List metadata of an order entry: the resource, so a resource filter needs no record reads. */
interface OrderEntryMetadata {
  resourceId: string | null;
}

/**
 * The messages of each thread in createdAt order: a sorted set owned by the thread id with
 * score = createdAt in milliseconds and the message's save tiebreak, so equal createdAt keeps
 * input order. Appending writes new keys only, so concurrent writers never erase each other.
 */
export class MessageOrder {
  readonly #set: SortedSet;

  constructor(context: StoreContext) {
    this.#set = new SortedSet({
      transport: context.transport,
      keys: context.keys,
      table: TABLE_MESSAGES,
      index: MESSAGE_ORDER_INDEX,
      ownerField: 'threadId',
      memberField: 'messageId',
    });
  }

  get set(): SortedSet {
    return this.#set;
  }

  async add(messages: readonly StoredMessage[]): Promise<void> {
    await Promise.all(
      groupByThread(messages).map(([threadId, group]) =>
        this.#set.add(threadId, group.map(orderEntryOf)),
      ),
    );
  }

  async remove(messages: readonly StoredMessage[]): Promise<void> {
    await Promise.all(
      groupByThread(messages).map(([threadId, group]) =>
        this.#set.remove(threadId, group.map(orderEntryOf)),
      ),
    );
  }

  async removeThread(threadId: string): Promise<void> {
    await this.#set.removeOwner(threadId);
  }
}

export function orderEntryOf(message: StoredMessage): SortedSetEntry {
  const metadata: OrderEntryMetadata = { resourceId: message.resourceId };
  return {
    member: message.id,
    score: new Date(message.createdAt).getTime(),
    tiebreak: message.orderTiebreak,
    metadata,
  };
}

export function entryResourceId(entry: SortedSetEntry): string | null {
  const metadata = entry.metadata as Partial<OrderEntryMetadata> | undefined;
  return metadata?.resourceId ?? null;
}

/** True when `entry` still describes `message` in thread `threadId`; stale entries are skipped. */
export function entryMatchesMessage(
  entry: SortedSetEntry,
  message: StoredMessage | null,
  threadId: string,
): message is StoredMessage {
  if (message === null || message.threadId !== threadId) return false;
  return (
    new Date(message.createdAt).getTime() === entry.score &&
    message.orderTiebreak === entry.tiebreak
  );
}

/**
 * Writes the order entry of every saved message, then deletes entries that moved. Rewriting an
 * unchanged entry puts the same key again, which repairs a save that failed after writing its
 * records, so retrying the save makes the messages visible.
 */
export async function moveOrderEntries(
  order: MessageOrder,
  changes: readonly { previous: StoredMessage | null; next: StoredMessage }[],
): Promise<void> {
  await order.add(changes.map((change) => change.next));

  const replaced = changes
    .filter((change) => change.previous !== null && entryKeyChanged(change.previous, change.next))
    .map((change) => change.previous as StoredMessage);
  await order.remove(replaced);
}

/** True when the entry of a message has a new key: another thread, createdAt or tiebreak. */
function entryKeyChanged(previous: StoredMessage, next: StoredMessage): boolean {
  const before = orderEntryOf(previous);
  const after = orderEntryOf(next);
  return (
    previous.threadId !== next.threadId ||
    before.score !== after.score ||
    before.tiebreak !== after.tiebreak
  );
}

function groupByThread(messages: readonly StoredMessage[]): [string, StoredMessage[]][] {
  const groups = new Map<string, StoredMessage[]>();
  for (const message of messages) {
    const group = groups.get(message.threadId) ?? [];
    group.push(message);
    groups.set(message.threadId, group);
  }
  return [...groups];
}
