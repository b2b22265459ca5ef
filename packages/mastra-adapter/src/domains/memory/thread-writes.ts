import { isCfkvError, type CfkvError } from '@cfkv/core';
import { TABLE_THREADS } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';
import type { ThreadIndex } from './thread-index.js';
import { threadKey, toThreadRecordEntry, type StoredThread } from './thread-records.js';

/**
 * Writes a thread record and its new index entries in one `putMany` (they share the threads
 * table), then deletes the entries it replaced. Readers skip an index entry its record does not
 * describe, so a write that failed part way is never listed in a wrong place.
 */
export async function writeThreadAndIndex(
  context: StoreContext,
  index: ThreadIndex,
  previous: StoredThread | null,
  next: StoredThread,
): Promise<void> {
  const entries = [toThreadRecordEntry(context, next), ...index.toKvEntries(previous, next)];

  await context.transport.putMany(TABLE_THREADS, entries);
  await index.removeReplaced(previous, next);
}

/**
 * Like {@link writeThreadAndIndex}, but a 429 on the thread record means another writer stamped
 * the thread within the last second (KV accepts about one write a second to one key), so the
 * write is dropped instead of failing: index entries written without their record are deleted.
 * Returns whether the record was written.
 */
export async function writeThreadUnlessRateLimited(
  context: StoreContext,
  index: ThreadIndex,
  previous: StoredThread,
  next: StoredThread,
): Promise<boolean> {
  try {
    await writeThreadAndIndex(context, index, previous, next);
    return true;
  } catch (error) {
    const written = rateLimitedWrittenKeys(error);
    // A 429 on a new index key while the record went through is not another writer's stamp.
    if (written === undefined || written.includes(threadKey(context, next.id))) throw error;

    if (written.length > 0) await context.transport.deleteMany(TABLE_THREADS, written);
    return false;
  }
}

/**
 * Returns the keys a rate-limited `putMany` wrote before it failed: none for a 429 on the whole
 * call, or the written ones for a partial write that failed with a 429. Other failures give
 * undefined.
 */
function rateLimitedWrittenKeys(error: unknown): string[] | undefined {
  if (isCfkvError(error, 'RATE_LIMITED')) return [];
  if (!isCfkvError(error, 'PARTIAL_WRITE')) return undefined;
  if (!isCfkvError((error as CfkvError).cause, 'RATE_LIMITED')) return undefined;
  return error.writtenKeys ?? [];
}
