import { CfkvError, type SortDirection, type SortedSetEntry } from '@cfkv/core';
import {
  calculatePagination,
  normalizePerPage,
  type StorageListMessagesInput,
  type StorageListMessagesOutput,
} from '@mastra/core/storage';
import { cleanUpWhileReading } from '../../read-cleanup.js';
import type { StoreContext } from '../../store-context.js';
import { resolveIncludedMessages } from './include-window.js';
import { assertPage, threadIdList } from './input-validation.js';
import { contentMatchesMetadata, entryFilter, validateMetadataFilter } from './message-filters.js';
import { entryMatchesMessage, type MessageOrder } from './message-order.js';
import { readMessages, toMastraMessage, type StoredMessage } from './message-records.js';
import {
  countMessages,
  isSupersededEntry,
  keepOneEntryPerMessage,
  removeSupersededEntries,
  type Candidate,
  type OwnedEntry,
} from './order-entry-check.js';
import { compareEntries, scanSortedSet } from './ordered-scan.js';

/** Mastra's default page size for messages. */
const DEFAULT_MESSAGES_PER_PAGE = 40;

/**
 * Lists messages of one or more threads with Mastra's semantics. Without a total, a metadata
 * filter or `include`, it lists only `offset + perPage + 1` order entries per thread and reads
 * the page's records; otherwise it lists each thread's whole order (one list call per 1000
 * messages). An order entry its record does not describe (left by a concurrent re-save or a
 * write that failed part way) is skipped, and deleted when a later save superseded it.
 */
export async function listMessages(
  context: StoreContext,
  order: MessageOrder,
  input: StorageListMessagesInput,
): Promise<StorageListMessagesOutput> {
  const threadIds = threadIdList(input.threadId);
  const metadataFilter = validateMetadataFilter(input.filter?.metadata);
  const direction: SortDirection = input.orderBy?.direction === 'DESC' ? 'desc' : 'asc';
  const page = input.page ?? 0;
  assertPage(page);
  const perPage = normalizePerPage(input.perPage, DEFAULT_MESSAGES_PER_PAGE);
  // With perPage false Mastra ignores the page and lists from the start.
  if (input.perPage !== false) assertOffset(page, perPage);
  const pagination = calculatePagination(page, input.perPage, perPage);
  const include = input.include ?? [];
  if (perPage === 0 && include.length === 0) {
    return { messages: [], total: 0, page, perPage: pagination.perPage, hasMore: false };
  }

  const needsAll =
    input.perPage === false ||
    input.includeTotal !== false ||
    metadataFilter !== undefined ||
    include.length > 0;
  const wanted = needsAll ? Infinity : pagination.offset + perPage + 1;
  const accept = entryFilter(input.filter?.dateRange, input.resourceId);
  // With perPage 0 only the included messages are returned, and total is 0.
  const entries =
    perPage === 0 ? [] : await scanThreads(order, threadIds, direction, wanted, accept);
  const checked = await keepOneEntryPerMessage(context, entries);
  const superseded = [...checked.superseded];

  let candidates = checked.candidates;
  if (metadataFilter !== undefined) {
    candidates = (await attachMessages(context, candidates, superseded)).filter((candidate) =>
      contentMatchesMetadata(candidate.message?.content, metadataFilter),
    );
  }

  const pageCandidates =
    perPage === 0 ? [] : candidates.slice(pagination.offset, pagination.offset + perPage);
  const pageMessages = (await attachMessages(context, pageCandidates, superseded)).map(
    (candidate) => candidate.message!,
  );
  await cleanUpWhileReading(context, 'delete of superseded order entries', { threadIds }, () =>
    removeSupersededEntries(context, order, superseded),
  );
  const included =
    include.length === 0
      ? []
      : await resolveIncludedMessages(context, order, include, input.resourceId || undefined);
  const messages = mergeMessages(pageMessages, included, direction);

  const total = perPage === 0 ? 0 : candidates.length;
  // A scan that stopped short of `wanted` reached the end, so its count is exact.
  const sawEveryEntry = needsAll || candidates.length < wanted;
  const hasMore = computeHasMore({
    perPage,
    offset: pagination.offset,
    total,
    needsAll,
    pageLength: pageMessages.length,
    metadataFiltered: metadataFilter !== undefined,
    included: include.length > 0,
    resultInThreads: messages.filter((message) => threadIds.includes(message.threadId)).length,
  });
  return {
    messages: messages.map(toMastraMessage),
    total: sawEveryEntry ? total : pagination.offset + pageMessages.length + (hasMore ? 1 : 0),
    page,
    perPage: pagination.perPage,
    hasMore,
  };
}

async function scanThreads(
  order: MessageOrder,
  threadIds: readonly string[],
  direction: SortDirection,
  wanted: number,
  accept: (entry: SortedSetEntry) => boolean,
): Promise<OwnedEntry[]> {
  // A message listed twice (a concurrent re-save) counts once towards the entries wanted.
  const isEnough = Number.isFinite(wanted)
    ? (accepted: readonly SortedSetEntry[]) => countMessages(accepted) >= wanted
    : undefined;
  const scans = await Promise.all(
    threadIds.map(async (threadId) => {
      const options = { direction, wanted, accept, isEnough };
      const { entries } = await scanSortedSet(order.set, threadId, options);
      return entries.map((entry) => ({ ...entry, threadId }));
    }),
  );
  return scans.flat().sort(compareEntries(direction));
}

/**
 * Reads the records of candidates, dropping those whose record moved on or is gone; entries a
 * later save superseded are added to `superseded`.
 */
async function attachMessages(
  context: StoreContext,
  candidates: readonly Candidate[],
  superseded: OwnedEntry[],
): Promise<Candidate[]> {
  const missing = candidates.filter((candidate) => candidate.message === undefined);
  const records = await readMessages(
    context,
    missing.map((candidate) => candidate.entry.member),
  );
  const byCandidate = new Map(missing.map((candidate, index) => [candidate, records[index]]));

  return candidates.flatMap((candidate) => {
    const message = candidate.message ?? byCandidate.get(candidate) ?? null;
    if (entryMatchesMessage(candidate.entry, message, candidate.entry.threadId)) {
      return [{ entry: candidate.entry, message }];
    }
    if (isSupersededEntry(candidate.entry, message)) superseded.push(candidate.entry);
    return [];
  });
}

function mergeMessages(
  pageMessages: readonly StoredMessage[],
  included: readonly StoredMessage[],
  direction: SortDirection,
): StoredMessage[] {
  const byId = new Map(pageMessages.map((message) => [message.id, message]));
  for (const message of included) if (!byId.has(message.id)) byId.set(message.id, message);

  const sign = direction === 'asc' ? 1 : -1;
  return [...byId.values()].sort(
    (left, right) =>
      sign *
      (new Date(left.createdAt).getTime() - new Date(right.createdAt).getTime() ||
        left.orderTiebreak - right.orderTiebreak),
  );
}

interface HasMoreInput {
  perPage: number;
  offset: number;
  total: number;
  needsAll: boolean;
  pageLength: number;
  metadataFiltered: boolean;
  included: boolean;
  resultInThreads: number;
}

/**
 * Mirrors how Mastra's stores report `hasMore`: with `include`, whether messages of the
 * listed threads remain that the result does not contain; otherwise whether a page follows.
 */
function computeHasMore(input: HasMoreInput): boolean {
  if (input.perPage === 0) return false;
  if (input.metadataFiltered) return input.offset + input.pageLength < input.total;
  if (input.included) return input.resultInThreads < input.total;
  return input.offset + input.perPage < input.total;
}

function assertOffset(page: number, perPage: number): void {
  if (page * perPage <= Number.MAX_SAFE_INTEGER / 2) return;
  throw new CfkvError('INVALID_ARGUMENT', `page ${page} is too large for perPage ${perPage}.`, {
    field: 'page',
  });
}
