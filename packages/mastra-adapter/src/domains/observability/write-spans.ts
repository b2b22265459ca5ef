import {
  chunk,
  MAX_BULK_DELETE_KEYS,
  putLargeValue,
  utf8ByteLength,
  type KvEntry,
} from '@cfkv/core';
import { ErrorCategory, ErrorDomain, MastraError } from '@mastra/core/error';
import {
  TABLE_SPANS,
  type CreateSpanRecord,
  type SpanRecord,
  type UpdateSpanRecord,
} from '@mastra/core/storage';
import { putBackNeededKeys } from '../../put-back-needed-keys.js';
import type { StoreContext } from '../../store-context.js';
import { assertArray, assertSpanIds, assertStartedAt, assertTags } from './span-input.js';
import {
  assertTraceIdFits,
  encodeSpan,
  INLINE_SPAN_MAX_BYTES,
  isRootSpan,
  readSpans,
  spanKey,
  type ReadSpan,
  type SpanKeyMetadata,
} from './span-records.js';
import {
  errorMarkerKey,
  indexEntriesOf,
  indexKeysOf,
  readCurrentIndexEntries,
} from './trace-index.js';

export interface SpanUpdate {
  traceId: string;
  spanId: string;
  updates: Partial<UpdateSpanRecord>;
}

/**
 * Creates spans, replacing any span with the same trace and span id. Spans, index entries and
 * error markers go out in one `putMany` (one bulk write over REST); only a span over
 * {@link INLINE_SPAN_MAX_BYTES}, or one that replaces a span stored in chunks, is written on its
 * own by `putLargeValue`. The previous version of every span is read first, in bulk gets of 100,
 * so that a replaced span loses the index entries and chunks of its old version (see
 * {@link persistSpans} for a concurrent write of the same span).
 */
export async function createSpans(
  context: StoreContext,
  records: readonly CreateSpanRecord[],
  pathOf: (index: number) => string = (index) => `records[${index}]`,
): Promise<void> {
  assertArray(records, 'records');
  records.forEach((record, index) => {
    const path = pathOf(index);
    assertSpanIds(record, path);
    assertTraceIdFits(context, record.traceId, `${path}.traceId`);
    assertStartedAt(record.startedAt, `${path}.startedAt`);
    assertTags(record.tags, `${path}.tags`);
  });
  const now = new Date();
  const latest = latestByKey(context, records);
  const spans = [...latest.values()].map((record): SpanRecord => ({
    ...record,
    createdAt: now,
    updatedAt: now,
  }));

  const previous = await readPrevious(context, [...latest.keys()]);
  await persistSpans(context, spans, previous);
}

/**
 * Applies partial updates to existing spans: read, merge, write. Every span is read before any
 * is written, so an update of a span that does not exist fails without writing anything.
 */
export async function updateSpans(
  context: StoreContext,
  updates: readonly SpanUpdate[],
  pathOf: (index: number) => string = (index) => `records[${index}]`,
): Promise<void> {
  assertArray(updates, 'records');
  updates.forEach((update, index) => assertUpdate(context, update, pathOf(index)));
  const merged = mergeUpdates(context, updates);
  const keys = [...merged.keys()];

  const reads = await readSpans(context, keys);
  const previous = new Map<string, ReadSpan>();
  const now = new Date();
  const spans = keys.map((key, position) => {
    const read = reads[position];
    const update = merged.get(key) as SpanUpdate;
    if (!read) throw spanNotFound(update);
    previous.set(key, read);
    return { ...read.span, ...update.updates, ...identityOf(update), updatedAt: now };
  });

  await persistSpans(context, spans, previous);
}

/** Rejects an update with bad ids, tags or startedAt before any KV call, naming the field. */
function assertUpdate(context: StoreContext, update: SpanUpdate, path: string): void {
  assertSpanIds(update, path);
  assertTraceIdFits(context, update.traceId, `${path}.traceId`);

  const fields: Partial<UpdateSpanRecord> | undefined = update.updates;
  assertTags(fields?.tags, `${path}.updates.tags`);
  if (fields?.startedAt !== undefined) {
    assertStartedAt(fields.startedAt, `${path}.updates.startedAt`);
  }
}

/**
 * Writes spans with their index entries and error markers, then deletes the index entries of
 * previous root versions that the new versions no longer have. A concurrent write of the same
 * span may have written some of those entries again for its own version and won. So after a
 * delete the spans that lost entries are read again (bulk gets of 100), and the deleted entries
 * that their current versions still need are written back. Until then a list can miss the trace.
 */
async function persistSpans(
  context: StoreContext,
  spans: readonly SpanRecord[],
  previous: ReadonlyMap<string, ReadSpan>,
): Promise<void> {
  const { inline, large } = splitBySize(context, spans, previous);
  const index = await planIndexChanges(context, spans, previous);
  const entries = [...inline, ...index.entries, ...errorMarkers(context, spans)];

  if (entries.length > 0) await context.transport.putMany(TABLE_SPANS, entries);
  for (const span of large) {
    await putLargeValue(context.transport, TABLE_SPANS, span.key, span.value, {
      ...(span.metadata === undefined ? {} : { metadata: span.metadata }),
      chunkBytes: INLINE_SPAN_MAX_BYTES,
    });
  }
  for (const batch of chunk(index.staleKeys, MAX_BULK_DELETE_KEYS)) {
    await context.transport.deleteMany(TABLE_SPANS, batch);
  }
  // NOTE: the entries stay lost when this read does not see the winning span yet. That happens
  // while its write is still running, and after a write made in another location, whose older
  // version KV can return for 60 seconds or more.
  await putBackNeededKeys(context.transport, TABLE_SPANS, index.staleKeys, () =>
    readCurrentIndexEntries(context, index.spansWithStaleKeys),
  );
}

/**
 * Encodes spans and splits them into those written in the bulk write and those written in
 * chunks: a span over {@link INLINE_SPAN_MAX_BYTES}, or one stored in chunks before, whose old
 * chunks `putLargeValue` removes.
 */
function splitBySize(
  context: StoreContext,
  spans: readonly SpanRecord[],
  previous: ReadonlyMap<string, ReadSpan>,
): { inline: KvEntry[]; large: KvEntry[] } {
  const inline: KvEntry[] = [];
  const large: KvEntry[] = [];
  for (const span of spans) {
    const key = keyOf(context, span);
    const value = encodeSpan(context, span);
    const metadata: SpanKeyMetadata | undefined = isRootSpan(span) ? { root: true } : undefined;
    const entry = metadata === undefined ? { key, value } : { key, value, metadata };

    const wasChunked = previous.get(key)?.chunked === true;
    if (utf8ByteLength(value) > INLINE_SPAN_MAX_BYTES || wasChunked) large.push(entry);
    else inline.push(entry);
  }
  return { inline, large };
}

/** Index changes of one write: the entries to write and the stale keys to delete afterwards. */
interface IndexChanges {
  entries: KvEntry[];
  staleKeys: string[];
  /** Span keys of the spans whose previous versions have keys in `staleKeys`. */
  spansWithStaleKeys: string[];
}

/** Plans the index entries of the new root spans and the stale keys of their previous versions. */
async function planIndexChanges(
  context: StoreContext,
  spans: readonly SpanRecord[],
  previous: ReadonlyMap<string, ReadSpan>,
): Promise<IndexChanges> {
  const entries: KvEntry[] = [];
  const previousKeysBySpan = new Map<string, string[]>();
  for (const span of spans) {
    if (isRootSpan(span)) entries.push(...(await indexEntriesOf(context, span)));

    const key = keyOf(context, span);
    const before = previous.get(key)?.span;
    if (before && isRootSpan(before)) {
      previousKeysBySpan.set(key, await indexKeysOf(context, before));
    }
  }

  const currentKeys = new Set(entries.map((entry) => entry.key));
  const staleKeys = new Set<string>();
  const spansWithStaleKeys: string[] = [];
  for (const [key, previousKeys] of previousKeysBySpan) {
    const stale = previousKeys.filter((previousKey) => !currentKeys.has(previousKey));
    if (stale.length > 0) spansWithStaleKeys.push(key);
    for (const staleKey of stale) staleKeys.add(staleKey);
  }
  return { entries, staleKeys: [...staleKeys], spansWithStaleKeys };
}

/** Builds one marker per trace with an error in this write. Writing a marker again is harmless. */
function errorMarkers(context: StoreContext, spans: readonly SpanRecord[]): KvEntry[] {
  const traceIds = new Set(
    spans
      .filter((span) => span.error !== null && span.error !== undefined)
      .map((span) => span.traceId),
  );
  return [...traceIds].map((traceId) => ({ key: errorMarkerKey(context, traceId), value: '' }));
}

async function readPrevious(
  context: StoreContext,
  keys: readonly string[],
): Promise<Map<string, ReadSpan>> {
  const reads = await readSpans(context, keys);
  const previous = new Map<string, ReadSpan>();
  reads.forEach((read, position) => {
    if (read) previous.set(keys[position] as string, read);
  });
  return previous;
}

/** Keeps the last record of each span, as writing them one after another would. */
function latestByKey(
  context: StoreContext,
  records: readonly CreateSpanRecord[],
): Map<string, CreateSpanRecord> {
  const latest = new Map<string, CreateSpanRecord>();
  for (const record of records) latest.set(keyOf(context, record), record);
  return latest;
}

/** Folds several updates of one span into one, later fields winning, as Mastra applies them. */
function mergeUpdates(
  context: StoreContext,
  updates: readonly SpanUpdate[],
): Map<string, SpanUpdate> {
  const merged = new Map<string, SpanUpdate>();
  for (const update of updates) {
    const key = keyOf(context, update);
    const earlier = merged.get(key)?.updates ?? {};
    merged.set(key, { ...identityOf(update), updates: { ...earlier, ...update.updates } });
  }
  return merged;
}

function identityOf(ids: { traceId: string; spanId: string }): { traceId: string; spanId: string } {
  return { traceId: ids.traceId, spanId: ids.spanId };
}

function keyOf(context: StoreContext, ids: { traceId: string; spanId: string }): string {
  return spanKey(context, ids.traceId, ids.spanId);
}

/**
 * Builds the error for a span that an update names but KV does not return. It is a SYSTEM error like Mastra's own
 * stores raise, because a span created moments ago may not be visible yet at this location.
 */
function spanNotFound(update: SpanUpdate): MastraError {
  return new MastraError({
    id: 'CLOUDFLARE_KV_UPDATE_SPAN_NOT_FOUND',
    domain: ErrorDomain.MASTRA_OBSERVABILITY,
    category: ErrorCategory.SYSTEM,
    text: `Span ${update.spanId} of trace ${update.traceId} was not found for an update.`,
    details: { traceId: update.traceId, spanId: update.spanId },
  });
}
