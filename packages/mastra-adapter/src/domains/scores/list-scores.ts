import type { ListScoresResponse } from '@mastra/core/evals';
import {
  calculatePagination,
  normalizePerPage,
  type ScoreTenancyFilters,
  type StoragePagination,
} from '@mastra/core/storage';
import { repeatedIds } from '../../repeated-ids.js';
import type { StoreContext } from '../../store-context.js';
import {
  filterFieldsOf,
  type ScoreFilterFields,
  type ScoreIndexEntry,
  type ScoreIndexes,
  type ScoreIndexKind,
} from './score-index.js';
import { readScores, toScore, type StoredScore } from './score-records.js';

export interface ScoreQuery {
  kind: ScoreIndexKind;
  owner: string;
  /** The ids the owner is made of, to name the longest in an error. */
  ownerIds: Partial<StoredScore>;
  pagination: StoragePagination;
  /** Keeps an entry by the filter fields in its list metadata; the default keeps all. */
  accept?: (fields: ScoreFilterFields) => boolean;
}

const acceptAll = (): boolean => true;

/**
 * Lists one owner's scores newest first with Mastra's pagination. It lists the owner's whole
 * index, because Mastra's response carries an exact total, filters on the list metadata, and
 * bulk-gets only the records of the requested page.
 */
export async function listScores(
  context: StoreContext,
  indexes: ScoreIndexes,
  query: ScoreQuery,
): Promise<ListScoresResponse> {
  const { page, perPage: perPageInput } = query.pagination;
  const perPage = normalizePerPage(perPageInput, Number.MAX_SAFE_INTEGER);
  const { offset, perPage: perPageForResponse } = calculatePagination(page, perPageInput, perPage);
  const accept = query.accept ?? acceptAll;

  const entries = await indexes.read(query.kind, query.owner, query.ownerIds);
  const current = await keepCurrentEntryOfRepeatedScores(context, indexes, query, entries);
  const matching = current.filter((entry) => accept(entry.fields));
  const end = perPageInput === false ? matching.length : offset + perPage;
  const scores = await readPage(context, indexes, query, matching.slice(offset, end));

  return {
    scores,
    pagination: {
      total: matching.length,
      page,
      perPage: perPageForResponse,
      hasMore: perPageInput === false ? false : matching.length > end,
    },
  };
}

/**
 * Keeps one entry per score. An id is listed more than once when concurrent upserts gave it
 * different createdAt values, or when a first save failed before its record was written and the
 * repeat reserved a new tiebreak. For such ids the records are read (one bulk get per 100 ids)
 * and only the entry the record describes is kept, so `total` counts each score once.
 */
async function keepCurrentEntryOfRepeatedScores(
  context: StoreContext,
  indexes: ScoreIndexes,
  query: ScoreQuery,
  entries: readonly ScoreIndexEntry[],
): Promise<ScoreIndexEntry[]> {
  const repeated = repeatedIds(entries, (entry) => entry.scoreId);
  if (repeated.length === 0) return [...entries];

  const records = await readScores(context, repeated);
  const recordOf = new Map(repeated.map((scoreId, position) => [scoreId, records[position]]));
  return entries.filter((entry) => {
    if (!recordOf.has(entry.scoreId)) return true;
    const record = recordOf.get(entry.scoreId) ?? null;
    return record !== null && indexes.matches(query.kind, query.owner, entry, record);
  });
}

/**
 * Reads the records of a page, skipping entries left behind by a save that moved the score. The
 * filter is checked again on each record: concurrent upserts of one id write the same index keys,
 * so an entry's metadata can come from one save and the record from another.
 */
async function readPage(
  context: StoreContext,
  indexes: ScoreIndexes,
  query: ScoreQuery,
  entries: readonly ScoreIndexEntry[],
): Promise<ListScoresResponse['scores']> {
  const records = await readScores(
    context,
    entries.map((entry) => entry.scoreId),
  );
  return entries.flatMap((entry, position) => {
    const record = records[position] ?? null;
    if (record === null || !indexes.matches(query.kind, query.owner, entry, record)) return [];
    if (!(query.accept ?? acceptAll)(filterFieldsOf(record))) return [];
    return [toScore(record)];
  });
}

/** Mastra's tenancy filter: each given id must equal the score's. */
export function matchesTenancy(
  fields: ScoreFilterFields,
  filters: ScoreTenancyFilters | undefined,
): boolean {
  if (filters === undefined) return true;
  if (filters.organizationId !== undefined && fields.organizationId !== filters.organizationId) {
    return false;
  }
  return filters.projectId === undefined || fields.projectId === filters.projectId;
}
