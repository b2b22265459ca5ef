import {
  toTraceSpans,
  type ListTracesArgs,
  type ListTracesResponse,
  type SpanRecord,
} from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';
import { readRootSpan } from './read-traces.js';
import { parseListTracesArgs, type ParsedListTracesArgs, type TraceFilters } from './span-input.js';
import { assertTraceIdFits, isRootSpan, readSpans, spanKey } from './span-records.js';
import { matchesRanges, orderEntries } from './trace-entry-order.js';
import {
  ALL_TRACES_OWNER,
  entryOfRoot,
  INDEXED_FILTER_FIELDS,
  listOwner,
  listTracesWithErrors,
  ownerOf,
  ownersOfRoot,
  type TraceIndexEntry,
} from './trace-index.js';

/**
 * Lists root spans with Mastra's filters and page pagination. Each equality filter reads its
 * owner set (one list call per 1000 traces of that value), and the sets are intersected. Dates,
 * status and order come from the index keys and their metadata, so only the page's root spans
 * are read, in one bulk get.
 */
export async function listTraces(
  context: StoreContext,
  args: ListTracesArgs | undefined,
): Promise<ListTracesResponse> {
  const parsed = parseListTracesArgs(args);
  const filters = parsed.filters ?? {};
  if (typeof filters.traceId === 'string') {
    assertTraceIdFits(context, filters.traceId, 'filters.traceId');
  }

  const owners = await requestedOwners(filters);
  const candidates = await findCandidates(context, filters, owners);
  const withErrors =
    filters.hasChildError === undefined ? null : await listTracesWithErrors(context);
  const matching = candidates.filter(
    (entry) =>
      matchesRanges(entry, filters) &&
      (withErrors === null || withErrors.has(entry.traceId) === filters.hasChildError),
  );
  const ordered = orderEntries(uniqueTraces(matching), parsed.orderBy);

  return readPage(context, ordered, parsed.pagination, owners, filters);
}

async function findCandidates(
  context: StoreContext,
  filters: TraceFilters,
  owners: readonly string[],
): Promise<TraceIndexEntry[]> {
  if (filters.traceId !== undefined) return readTraceById(context, filters.traceId, owners);

  const sets = await Promise.all(
    (owners.length > 0 ? owners : [ALL_TRACES_OWNER]).map((owner) => listOwner(context, owner)),
  );
  return intersect(sets);
}

/** Names the owner sets of the equality filters. A listed trace must be in each of them. */
async function requestedOwners(filters: TraceFilters): Promise<string[]> {
  const owners: string[] = [];
  for (const field of INDEXED_FILTER_FIELDS) {
    const value = filters[field];
    if (typeof value === 'string') owners.push(await ownerOf(field, value));
  }
  for (const tag of new Set(filters.tags ?? [])) owners.push(await ownerOf('tags', tag));
  return owners;
}

/** Reads the root span of one trace and keeps it when it is in every requested owner set. */
async function readTraceById(
  context: StoreContext,
  traceId: string,
  owners: readonly string[],
): Promise<TraceIndexEntry[]> {
  const root = await readRootSpan(context, traceId);
  if (root === null) return [];

  const own = new Set(await ownersOfRoot(root));
  return owners.every((owner) => own.has(owner)) ? [entryOfRoot(root)] : [];
}

function intersect(sets: readonly TraceIndexEntry[][]): TraceIndexEntry[] {
  const [smallest, ...others] = [...sets].sort((left, right) => left.length - right.length);
  if (smallest === undefined) return [];

  const otherKeys = others.map((set) => new Set(set.map(entryKey)));
  return smallest.filter((entry) => otherKeys.every((keys) => keys.has(entryKey(entry))));
}

/** Keeps one entry per trace, so a trace with two root spans is listed once. */
function uniqueTraces(entries: readonly TraceIndexEntry[]): TraceIndexEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    if (seen.has(entry.traceId)) return false;
    seen.add(entry.traceId);
    return true;
  });
}

async function readPage(
  context: StoreContext,
  ordered: readonly TraceIndexEntry[],
  pagination: ParsedListTracesArgs['pagination'],
  owners: readonly string[],
  filters: TraceFilters,
): Promise<ListTracesResponse> {
  const { page, perPage } = pagination;
  const start = page * perPage;
  const pageEntries = ordered.slice(start, start + perPage);

  const keys = pageEntries.map((entry) => spanKey(context, entry.traceId, entry.rootSpanId));
  const reads = await readSpans(context, keys);
  const current = await Promise.all(
    reads.map(async (read) =>
      read && (await rootStillMatches(read.span, owners, filters)) ? read.span : null,
    ),
  );
  const roots = current.filter((root): root is SpanRecord => root !== null);

  return {
    spans: toTraceSpans(roots),
    pagination: { total: ordered.length, page, perPage, hasMore: start + perPage < ordered.length },
  };
}

/**
 * True when the span an index entry points to still matches the query: it is a root span, in
 * every requested owner set, and its current times and status match the range filters. An
 * update that failed before it deleted the entries of the old values leaves entries that fail
 * this, and their trace is skipped on this page.
 */
async function rootStillMatches(
  root: SpanRecord,
  owners: readonly string[],
  filters: TraceFilters,
): Promise<boolean> {
  if (!isRootSpan(root) || !matchesRanges(entryOfRoot(root), filters)) return false;
  const own = new Set(await ownersOfRoot(root));
  return owners.every((owner) => own.has(owner));
}

function entryKey(entry: TraceIndexEntry): string {
  return `${entry.traceId.length}:${entry.traceId}:${entry.rootSpanId}`;
}
