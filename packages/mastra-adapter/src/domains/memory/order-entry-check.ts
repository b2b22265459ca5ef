import type { SortedSetEntry } from '@cfkv/core';
import { TABLE_MESSAGES } from '@mastra/core/storage';
import { putBackNeededKeys } from '../../put-back-needed-keys.js';
import { repeatedIds } from '../../repeated-ids.js';
import type { StoreContext } from '../../store-context.js';
import { entryMatchesMessage, entryWriteStamp, type MessageOrder } from './message-order.js';
import { readMessages, type StoredMessage } from './message-records.js';
import { isPastInFlightGrace } from './in-flight-grace.js';
import { TIEBREAKS_PER_MILLISECOND } from './order-tiebreak.js';

/** An order entry with the thread whose set it was listed from. */
export interface OwnedEntry extends SortedSetEntry {
  threadId: string;
}

/** An order entry with the record read for it, once read. */
export interface Candidate {
  entry: OwnedEntry;
  message?: StoredMessage | null;
}

/**
 * True when an entry its record does not describe can be deleted: the record was written by a
 * later save (a concurrent re-save or a move), or the entry is older than any save in flight.
 * An entry newer than its record may belong to a save still in flight (or the record read was
 * stale), so it is only skipped.
 */
export function isSupersededEntry(entry: OwnedEntry, message: StoredMessage | null): boolean {
  const recordStamp = message?.writeStamp ?? 0;
  if (entryMatchesMessage(entry, message, entry.threadId)) return false;

  const stamp = entryWriteStamp(entry);
  if (message !== null && recordStamp > stamp) return true;
  return isPastInFlightGrace(stamp / TIEBREAKS_PER_MILLISECOND);
}

/**
 * Keeps one entry per message. Concurrent re-saves of one id each write an entry, and only the
 * entry the record describes is true. So for an id listed more than once, the record is read
 * (one bulk get per 100 such ids) and only that entry is kept. The others are returned as
 * superseded when they can be deleted. Ids listed once are checked when their page is read.
 */
export async function keepOneEntryPerMessage(
  context: StoreContext,
  entries: readonly OwnedEntry[],
): Promise<{ candidates: Candidate[]; superseded: OwnedEntry[] }> {
  const repeated = repeatedIds(entries, (entry) => entry.member);
  if (repeated.length === 0)
    return { candidates: entries.map((entry) => ({ entry })), superseded: [] };

  const records = await readMessages(context, repeated);
  const recordOf = new Map(repeated.map((member, index) => [member, records[index] ?? null]));
  const candidates: Candidate[] = [];
  const superseded: OwnedEntry[] = [];
  for (const entry of entries) {
    if (!recordOf.has(entry.member)) {
      candidates.push({ entry });
      continue;
    }
    const message = recordOf.get(entry.member) ?? null;
    if (entryMatchesMessage(entry, message, entry.threadId)) candidates.push({ entry, message });
    else if (isSupersededEntry(entry, message)) superseded.push(entry);
  }
  return { candidates, superseded };
}

/**
 * Deletes superseded entries, one `deleteMany` per thread. Another save may have made an entry
 * true again since it was read, as when a message moved away is moved back to the same place.
 * So the records are read again afterwards, and the entries they still need are written back.
 */
export async function removeSupersededEntries(
  context: StoreContext,
  order: MessageOrder,
  superseded: readonly OwnedEntry[],
): Promise<void> {
  if (superseded.length === 0) return;

  const byThread = new Map<string, OwnedEntry[]>();
  for (const entry of superseded) {
    const group = byThread.get(entry.threadId) ?? [];
    group.push(entry);
    byThread.set(entry.threadId, group);
  }
  await Promise.all([...byThread].map(([threadId, group]) => order.removeEntries(threadId, group)));

  const deletedKeys = [...byThread].flatMap(([threadId, group]) =>
    order.set.entryKeys(threadId, group),
  );
  await putBackNeededKeys(context.transport, TABLE_MESSAGES, deletedKeys, async () => {
    const members = [...new Set(superseded.map((entry) => entry.member))];
    const current = await readMessages(context, members);
    return order.toKvEntries(current.filter((message) => message !== null));
  });
}

/** Counts the different messages among `entries`. */
export function countMessages(entries: readonly SortedSetEntry[]): number {
  return new Set(entries.map((entry) => entry.member)).size;
}
