import { isCfkvError, SortedSet, type KvEntry, type SortedSetEntry } from '@cfkv/core';
import { TABLE_THREADS } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';
import { isPastInFlightGrace } from './in-flight-grace.js';
import type { StoredThread } from './thread-records.js';

export type ThreadOrderField = 'createdAt' | 'updatedAt';

/**
 * The threads of each resource, ordered by createdAt and by updatedAt. Each is a sorted set
 * owned by the resource id, with the thread id as member; the thread record stays the truth,
 * so an entry whose record moved on is skipped when read.
 */
export class ThreadIndex {
  readonly #sets: Record<ThreadOrderField, SortedSet>;

  constructor(context: StoreContext) {
    const options = {
      transport: context.transport,
      keys: context.keys,
      table: TABLE_THREADS,
      ownerField: 'resourceId',
      memberField: 'threadId',
    };
    this.#sets = {
      createdAt: new SortedSet({ ...options, index: THREAD_INDEXES.createdAt }),
      updatedAt: new SortedSet({ ...options, index: THREAD_INDEXES.updatedAt }),
    };
  }

  set(field: ThreadOrderField): SortedSet {
    return this.#sets[field];
  }

  async add(thread: StoredThread): Promise<void> {
    await Promise.all(
      FIELDS.map((field) =>
        this.#sets[field].add(thread.resourceId, [writtenEntryOf(thread, field)]),
      ),
    );
  }

  /** Builds the index entries `next` has and `previous` lacks, to write with the thread record. */
  toKvEntries(previous: StoredThread | null, next: StoredThread): KvEntry[] {
    return changedFields(previous, next).flatMap((field) =>
      this.#sets[field].toKvEntries(next.resourceId, [writtenEntryOf(next, field)]),
    );
  }

  /** Deletes the entries of `previous` that `next` replaced. */
  async removeReplaced(previous: StoredThread | null, next: StoredThread): Promise<void> {
    if (previous === null) return;

    await Promise.all(
      changedFields(previous, next).map((field) =>
        this.#sets[field].remove(previous.resourceId, [entryOf(previous, field)]),
      ),
    );
  }

  /** Returns the keys {@link removeReplaced} deletes. */
  replacedKeys(previous: StoredThread | null, next: StoredThread): string[] {
    if (previous === null) return [];

    return changedFields(previous, next).flatMap((field) =>
      this.#sets[field].entryKeys(previous.resourceId, [entryOf(previous, field)]),
    );
  }

  /**
   * Deletes the stale entries a read found. For each thread of this resource with an entry the
   * record does not describe and no listed entry that it does, it writes the record's entry, as
   * when a stamp landed under the thread's previous resource. An updatedAt entry older
   * than its thread's record, and written before the record's updatedAt, is stale at once:
   * concurrent updates of one thread each add an updatedAt entry, and only the record's is true.
   * Such an entry stays stale even when the record read was itself stale. Any other entry the
   * record does not describe is left over once its write is past the in-flight grace, as when an
   * older stamp's record landed after a newer one's.
   */
  async repairEntries(
    field: ThreadOrderField,
    resourceId: string,
    pairs: readonly { entry: SortedSetEntry; thread: StoredThread | null }[],
  ): Promise<void> {
    const mismatched = pairs.filter(
      ({ entry, thread }) => !entryMatchesThread(entry, thread, resourceId, field),
    );
    if (mismatched.length === 0) return;

    const stale = mismatched.filter(
      ({ entry, thread }) =>
        isSuperseded(entry, thread, resourceId, field) ||
        isLeftOver(entry, thread, resourceId, field),
    );
    const listedTrue = new Set(
      pairs
        .filter(({ entry, thread }) => entryMatchesThread(entry, thread, resourceId, field))
        .map(({ entry }) => entry.member),
    );
    const restored = new Map<string, StoredThread>();
    for (const { thread } of mismatched) {
      if (thread?.resourceId === resourceId && !listedTrue.has(thread.id)) {
        restored.set(thread.id, thread);
      }
    }
    const set = this.#sets[field];
    const entries = [...restored.values()].map((thread) => writtenEntryOf(thread, field));
    await Promise.all([
      stale.length === 0
        ? Promise.resolve()
        : set.remove(
            resourceId,
            stale.map(({ entry }) => entry),
          ),
      // A 429 means another writer wrote that entry within the last second, so the repair skips it.
      set.add(resourceId, entries).catch((error: unknown) => {
        if (!isRateLimited(error)) throw error;
      }),
    ]);
  }

  /**
   * Removes every entry of `threadId` under `resourceId`, including entries left behind by
   * concurrent updates, by reading the resource's sets.
   */
  async removeThread(resourceId: string, threadId: string): Promise<void> {
    for (const field of FIELDS) {
      const entries = await this.#sets[field].range(resourceId, { direction: 'asc' });
      const own = entries.filter((entry) => entry.member === threadId);
      if (own.length > 0) await this.#sets[field].remove(resourceId, own);
    }
  }
}

export const THREAD_INDEXES: Record<ThreadOrderField, string> = {
  createdAt: 'threads-by-created',
  updatedAt: 'threads-by-updated',
};

const FIELDS: readonly ThreadOrderField[] = ['createdAt', 'updatedAt'];

export function entryOf(thread: StoredThread, field: ThreadOrderField): SortedSetEntry {
  return {
    member: thread.id,
    score: new Date(thread[field]).getTime(),
    tiebreak: thread.orderTiebreak,
  };
}

/** True when `entry` still describes `thread`; a stale entry is skipped by readers. */
export function entryMatchesThread(
  entry: SortedSetEntry,
  thread: StoredThread | null,
  resourceId: string,
  field: ThreadOrderField,
): thread is StoredThread {
  if (thread === null || thread.resourceId !== resourceId) return false;
  const current = entryOf(thread, field);
  return current.score === entry.score && current.tiebreak === entry.tiebreak;
}

/** List metadata of a thread index entry: when the write that added it started. */
interface ThreadEntryMetadata {
  writtenAt: number;
}

function writtenEntryOf(thread: StoredThread, field: ThreadOrderField): SortedSetEntry {
  const metadata: ThreadEntryMetadata = { writtenAt: Date.now() };
  return { ...entryOf(thread, field), metadata };
}

function isLeftOver(
  entry: SortedSetEntry,
  thread: StoredThread | null,
  resourceId: string,
  field: ThreadOrderField,
): boolean {
  if (entryMatchesThread(entry, thread, resourceId, field)) return false;
  const metadata = entry.metadata as Partial<ThreadEntryMetadata> | undefined;
  return isPastInFlightGrace(metadata?.writtenAt ?? 0);
}

/**
 * True when `entry` is an updatedAt entry older than its thread's record, written before the
 * record's updatedAt. Such an entry belongs to an earlier update. A `saveThread` may move
 * createdAt or updatedAt back, and its new entry can land before its record, so an entry written
 * after the record's updatedAt may be a write in flight and waits for the grace.
 */
function isSuperseded(
  entry: SortedSetEntry,
  thread: StoredThread | null,
  resourceId: string,
  field: ThreadOrderField,
): boolean {
  if (field !== 'updatedAt') return false;
  if (thread === null || thread.id !== entry.member || thread.resourceId !== resourceId)
    return false;
  const recordScore = entryOf(thread, field).score;
  const writtenAt = (entry.metadata as Partial<ThreadEntryMetadata> | undefined)?.writtenAt ?? 0;
  return entry.score < recordScore && writtenAt < recordScore;
}

function changedFields(previous: StoredThread | null, next: StoredThread): ThreadOrderField[] {
  return FIELDS.filter((field) => previous === null || !sameEntry(previous, next, field));
}

function sameEntry(previous: StoredThread, next: StoredThread, field: ThreadOrderField): boolean {
  const before = entryOf(previous, field);
  const after = entryOf(next, field);
  return (
    previous.resourceId === next.resourceId &&
    before.score === after.score &&
    before.tiebreak === after.tiebreak
  );
}

/** Returns true for a 429, also when it failed part of a multi-key write. */
export function isRateLimited(error: unknown): boolean {
  if (isCfkvError(error, 'RATE_LIMITED')) return true;
  return isCfkvError(error, 'PARTIAL_WRITE') && isCfkvError(error.cause, 'RATE_LIMITED');
}
