import { isCfkvError } from '@cfkv/core';
import { TABLE_THREADS } from '@mastra/core/storage';
import { putBackNeededKeys } from '../../put-back-needed-keys.js';
import type { StoreContext } from '../../store-context.js';
import { isRateLimited, type ThreadIndex } from './thread-index.js';
import { readThread, toThreadRecordEntry, type StoredThread } from './thread-records.js';
import { toThreadStampEntry } from './thread-stamp-key.js';

/**
 * Writes a thread record with all of its index entries in one `putMany` (they share the threads
 * table), then deletes the entries it replaced. Readers skip an index entry its record does not
 * describe, so a write that failed part way is never listed in a wrong place. Writing every entry,
 * not only the moved ones, puts back an entry another writer deleted, as when this store still
 * read its own write of a thread another store had deleted. A new thread, or a record that moves
 * updatedAt back before the thread's stamp, also writes the stamp, since reads take the later of
 * record and stamp and a stamp can outlive a deleted thread.
 */
export async function writeThreadAndIndex(
  context: StoreContext,
  index: ThreadIndex,
  previous: StoredThread | null,
  next: StoredThread,
): Promise<void> {
  const writesStamp = previous === null || new Date(previous.updatedAt) > new Date(next.updatedAt);
  const entries = [
    toThreadRecordEntry(context, next),
    ...(writesStamp ? [toThreadStampEntry(context, next.id, new Date(next.updatedAt))] : []),
    ...index.toKvEntries(null, next),
  ];

  await context.transport.putMany(TABLE_THREADS, entries);
  await removeReplacedEntries(context, index, previous, next);
}

/**
 * Writes the updatedAt stamp of a thread with its new index entries, then deletes the entries
 * it replaced. A 429 on the stamp means another writer stamped the thread within the last
 * second (KV accepts about one write a second to one key), so the stamp is dropped instead of
 * failing: index entries written without it are deleted. Returns whether the stamp was written.
 */
export async function writeStampUnlessRateLimited(
  context: StoreContext,
  index: ThreadIndex,
  previous: StoredThread,
  next: StoredThread,
): Promise<boolean> {
  const stamp = toThreadStampEntry(context, next.id, new Date(next.updatedAt));
  try {
    await context.transport.putMany(TABLE_THREADS, [stamp, ...index.toKvEntries(previous, next)]);
    // The stamp is later than the entry it replaces, so no version of the thread needs that entry.
    await index.removeReplaced(previous, next);
    return true;
  } catch (error) {
    const written = rateLimitedWrittenKeys(error);
    // A 429 on a new index key while the stamp went through is not another writer's stamp.
    if (written === undefined || written.includes(stamp.key)) throw error;

    if (written.length > 0) await context.transport.deleteMany(TABLE_THREADS, written);
    return false;
  }
}

/**
 * Deletes the index entries `next` replaced, then puts back those the thread as it is now still
 * needs: a concurrent write of the thread may have written them again for its own version and
 * won, as when a rename lands between a move's write and its delete.
 */
async function removeReplacedEntries(
  context: StoreContext,
  index: ThreadIndex,
  previous: StoredThread | null,
  next: StoredThread,
): Promise<void> {
  await index.removeReplaced(previous, next);
  await putBackNeededKeys(
    context.transport,
    TABLE_THREADS,
    index.replacedKeys(previous, next),
    async () => {
      const current = await readThread(context, next.id);
      return current === null ? [] : index.toKvEntries(null, current);
    },
  );
}

/**
 * Returns the keys a rate-limited `putMany` wrote before it failed: none for a 429 on the whole
 * call, or the written ones for a partial write that failed with a 429. Other failures give
 * undefined.
 */
function rateLimitedWrittenKeys(error: unknown): string[] | undefined {
  if (!isRateLimited(error)) return undefined;
  return isCfkvError(error, 'PARTIAL_WRITE') ? (error.writtenKeys ?? []) : [];
}
