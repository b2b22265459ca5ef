import { SortedSet, type KvEntry, type SortedSetEntry } from '@cfkv/core';
import { TABLE_MESSAGES } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';
import type { StoredMessage } from './message-records.js';

export const MESSAGE_ORDER_INDEX = 'thread-order';

/**
 * List metadata of an order entry: the resource, so a resource filter needs no record reads,
 * and the write stamp of the save that wrote it, so readers can tell superseded entries.
 */
interface OrderEntryMetadata {
  resourceId: string | null;
  writeStamp?: number;
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

  async remove(messages: readonly StoredMessage[]): Promise<void> {
    await Promise.all(
      groupByThread(messages).map(([threadId, group]) =>
        this.#set.remove(threadId, group.map(orderEntryOf)),
      ),
    );
  }

  /** Builds the KV entries of the messages' order entries, to write with their records. */
  toKvEntries(messages: readonly StoredMessage[]): KvEntry[] {
    return groupByThread(messages).flatMap(([threadId, group]) =>
      this.#set.toKvEntries(threadId, group.map(orderEntryOf)),
    );
  }

  /** Returns the keys of the messages' order entries as they were written. */
  entryKeys(messages: readonly StoredMessage[]): string[] {
    return groupByThread(messages).flatMap(([threadId, group]) =>
      this.#set.entryKeys(threadId, group.map(orderEntryOf)),
    );
  }

  /** Deletes order entries of `threadId` found by a read, such as superseded ones. */
  async removeEntries(threadId: string, entries: readonly SortedSetEntry[]): Promise<void> {
    await this.#set.remove(threadId, entries);
  }

  /** Deletes every order entry of the thread and returns the ids of the messages they named. */
  async removeThread(threadId: string): Promise<string[]> {
    return this.#set.removeOwner(threadId);
  }
}

export function orderEntryOf(message: StoredMessage): SortedSetEntry {
  const metadata: OrderEntryMetadata = { resourceId: message.resourceId };
  if (message.writeStamp !== undefined) metadata.writeStamp = message.writeStamp;
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

/** Returns the write stamp of the save that wrote an entry, or 0 if it has none. */
export function entryWriteStamp(entry: SortedSetEntry): number {
  const metadata = entry.metadata as Partial<OrderEntryMetadata> | undefined;
  return metadata?.writeStamp ?? 0;
}

/** True when the entry of a message has a new key: another thread, createdAt or tiebreak. */
export function entryKeyChanged(previous: StoredMessage, next: StoredMessage): boolean {
  const before = orderEntryOf(previous);
  const after = orderEntryOf(next);
  return (
    previous.threadId !== next.threadId ||
    before.score !== after.score ||
    before.tiebreak !== after.tiebreak
  );
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

function groupByThread(messages: readonly StoredMessage[]): [string, StoredMessage[]][] {
  const groups = new Map<string, StoredMessage[]>();
  for (const message of messages) {
    const group = groups.get(message.threadId) ?? [];
    group.push(message);
    groups.set(message.threadId, group);
  }
  return [...groups];
}
