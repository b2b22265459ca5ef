import type { StoreContext } from '../../store-context.js';
import { entryOf, type ThreadIndex } from './thread-index.js';
import { readThread, readThreads, type StoredThread } from './thread-records.js';
import { writeStampUnlessRateLimited } from './thread-writes.js';

/**
 * Sets updatedAt of existing threads after their messages changed; missing threads are
 * skipped. See {@link touchThread} for when a thread keeps its updatedAt.
 */
export async function setThreadsUpdatedAt(
  context: StoreContext,
  index: ThreadIndex,
  updates: ReadonlyMap<string, Date>,
): Promise<void> {
  const threads = await readThreads(context, [...updates.keys()]);
  await Promise.all(
    threads.map(async (thread) => {
      if (thread === null) return;
      await touchThread(context, index, thread, { ...thread, updatedAt: updates.get(thread.id)! });
    }),
  );
}

/**
 * Stamps a thread whose updatedAt moved because of a message write, with its index entries;
 * the record itself is not written. A thread stamped less than `threadTouchIntervalMs` before,
 * or with a later updatedAt, keeps its updatedAt, and a 429 on the stamp means another writer stamped it within the last
 * second, so neither fails the message write. Concurrent stamps can leave an older updatedAt
 * entry behind. listThreads deletes such entries when it reads them, so this write stays at
 * one `putMany` and one `deleteMany`.
 */
export async function touchThread(
  context: StoreContext,
  index: ThreadIndex,
  previous: StoredThread,
  next: StoredThread,
): Promise<void> {
  const elapsed = new Date(next.updatedAt).getTime() - new Date(previous.updatedAt).getTime();
  // A stamp never moves updatedAt back: reads take the later of record and stamp.
  if (elapsed < context.threadTouchIntervalMs) return;

  await writeStampUnlessRateLimited(context, index, previous, next);
}

/**
 * Re-reads a thread after moving its index entries and deletes the entry just written when a
 * concurrent writer has since stored a later updatedAt, so concurrent saves into one thread do
 * not leave an updatedAt entry each.
 */
export async function dropIfSuperseded(
  context: StoreContext,
  index: ThreadIndex,
  written: StoredThread,
): Promise<void> {
  const current = await readThread(context, written.id);
  await index.repairEntries('updatedAt', written.resourceId, [
    { entry: entryOf(written, 'updatedAt'), thread: current },
  ]);
}

/** Reads existing threads by id into a map, for updates that adjust several timestamps. */
export async function readThreadMap(
  context: StoreContext,
  threadIds: readonly string[],
): Promise<Map<string, StoredThread>> {
  const threads = await readThreads(context, threadIds);
  return new Map(
    threads.filter((thread): thread is StoredThread => thread !== null).map((t) => [t.id, t]),
  );
}
