import {
  collectAllKeys,
  getManyInBatches,
  type SortDirection,
  type SortedSetEntry,
} from '@cfkv/core';
import type { StorageThreadType } from '@mastra/core/memory';
import {
  calculatePagination,
  normalizePerPage,
  TABLE_THREADS,
  type StorageListThreadsInput,
  type StorageListThreadsOutput,
} from '@mastra/core/storage';
import { cleanUpWhileReading } from '../../read-cleanup.js';
import type { StoreContext } from '../../store-context.js';
import { entryMatchesThread, type ThreadIndex, type ThreadOrderField } from './thread-index.js';
import {
  applyThreadStamps,
  decodeThread,
  readThreads,
  toThread,
  type StoredThread,
} from './thread-records.js';
import { jsonValueEquals } from './json-value-equals.js';

/** Mastra's default page size for threads. */
const DEFAULT_THREADS_PER_PAGE = 100;

export interface ThreadListing {
  field: ThreadOrderField;
  direction: SortDirection;
}

/**
 * Lists threads with Mastra's semantics. For one resource without a metadata filter it counts
 * the resource's index (one list call per 1000 threads) and reads one page of records; a
 * metadata filter reads every thread of the resource, and no resource reads every thread.
 */
export async function listThreads(
  context: StoreContext,
  index: ThreadIndex,
  input: StorageListThreadsInput,
  listing: ThreadListing,
): Promise<StorageListThreadsOutput> {
  const page = input.page ?? 0;
  const perPage = normalizePerPage(input.perPage, DEFAULT_THREADS_PER_PAGE);
  const { offset, perPage: perPageForResponse } = calculatePagination(page, input.perPage, perPage);
  const resourceId = input.filter?.resourceId;
  const metadata = input.filter?.metadata;
  const hasMetadataFilter = metadata !== undefined && Object.keys(metadata).length > 0;

  const { threads, total } =
    resourceId && !hasMetadataFilter
      ? await readResourcePage(index, context, resourceId, listing, offset, perPage)
      : paginate(
          filterByMetadata(await readAllMatching(context, index, resourceId, listing), metadata),
          offset,
          perPage,
        );

  return {
    threads: threads.map((thread) => copyThread(toThread(thread))),
    total,
    page,
    perPage: perPageForResponse,
    hasMore: offset + perPage < total,
  };
}

async function readResourcePage(
  index: ThreadIndex,
  context: StoreContext,
  resourceId: string,
  listing: ThreadListing,
  offset: number,
  perPage: number,
): Promise<{ threads: StoredThread[]; total: number }> {
  const limit = perPage >= Number.MAX_SAFE_INTEGER - offset ? undefined : perPage;
  // createdAt entries move only when a thread is re-saved with another createdAt, while every
  // message save moves updatedAt entries, so the createdAt set gives the steadier count.
  const [total, entries] = await Promise.all([
    index.set('createdAt').count(resourceId),
    index.set(listing.field).range(resourceId, { direction: listing.direction, offset, limit }),
  ]);

  const threads = await readEntryThreads(context, index, resourceId, listing.field, entries);
  return { threads, total };
}

async function readAllMatching(
  context: StoreContext,
  index: ThreadIndex,
  resourceId: string | undefined,
  listing: ThreadListing,
): Promise<StoredThread[]> {
  if (resourceId) {
    const entries = await index
      .set(listing.field)
      .range(resourceId, { direction: listing.direction });
    return readEntryThreads(context, index, resourceId, listing.field, entries);
  }
  return sortThreads(await readEveryThread(context), listing);
}

/**
 * Reads the records behind index entries and keeps the threads whose record the entry still
 * describes; stale entries are repaired on the way.
 */
async function readEntryThreads(
  context: StoreContext,
  index: ThreadIndex,
  resourceId: string,
  field: ThreadOrderField,
  entries: readonly SortedSetEntry[],
): Promise<StoredThread[]> {
  const records = await readThreads(
    context,
    entries.map((entry) => entry.member),
  );
  const pairs = entries.map((entry, position) => ({ entry, thread: records[position] ?? null }));
  await cleanUpWhileReading(context, 'thread index repair', { resourceId, field }, () =>
    index.repairEntries(field, resourceId, pairs),
  );

  return pairs.flatMap(({ entry, thread }) =>
    entryMatchesThread(entry, thread, resourceId, field) ? [thread] : [],
  );
}

/** Reads every thread record of this key prefix: the only way to list threads of all resources. */
async function readEveryThread(context: StoreContext): Promise<StoredThread[]> {
  const prefix = context.keys.prefix(TABLE_THREADS, ['record']);
  const keys = (await collectAllKeys(context.transport, TABLE_THREADS, prefix)).map(
    (key) => key.name,
  );
  const texts = await getManyInBatches(context.transport, TABLE_THREADS, keys);
  const records = texts.flatMap((text, position) =>
    text === null ? [] : [decodeThread(text, keys[position]!)],
  );
  return applyThreadStamps(context, records);
}

function sortThreads(threads: StoredThread[], listing: ThreadListing): StoredThread[] {
  const sign = listing.direction === 'asc' ? 1 : -1;
  return threads.sort(
    (left, right) =>
      sign *
      (new Date(left[listing.field]).getTime() - new Date(right[listing.field]).getTime() ||
        left.orderTiebreak - right.orderTiebreak),
  );
}

function filterByMetadata(
  threads: StoredThread[],
  metadata: Record<string, unknown> | undefined,
): StoredThread[] {
  if (metadata === undefined || Object.keys(metadata).length === 0) return threads;
  return threads.filter((thread) => {
    const own = thread.metadata;
    if (!own) return false;
    return Object.entries(metadata).every(([key, value]) => jsonValueEquals(own[key], value));
  });
}

function paginate(
  threads: StoredThread[],
  offset: number,
  perPage: number,
): { threads: StoredThread[]; total: number } {
  return { threads: threads.slice(offset, offset + perPage), total: threads.length };
}

function copyThread(thread: StorageThreadType): StorageThreadType {
  return { ...thread, metadata: thread.metadata ? { ...thread.metadata } : thread.metadata };
}
