import { collectAllKeys, decodeScore, encodeScore, utf8ByteLength, type KvEntry } from '@cfkv/core';
import { TABLE_SPANS, type SpanRecord } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';
import { isRootSpan, readSpans } from './span-records.js';

/**
 * Root-span fields that `listTraces` filters by equality through an index. Each value of each
 * field owns a set of traces, so a filter reads only the traces that have that value.
 */
export const INDEXED_FILTER_FIELDS = [
  'entityType',
  'entityId',
  'entityName',
  'entityVersionId',
  'spanType',
  'userId',
  'organizationId',
  'resourceId',
  'runId',
  'sessionId',
  'threadId',
  'requestId',
  'environment',
  'serviceName',
  'source',
  'experimentId',
] as const;

export type IndexedFilterField = (typeof INDEXED_FILTER_FIELDS)[number];

/** The owner of the set that contains every trace. */
export const ALL_TRACES_OWNER = 'all';

/**
 * Values up to this many UTF-8 bytes name their owner set as they are, and longer ones by their
 * SHA-256. So no filter value can push an index key past KV's 512-byte key limit.
 */
const MAX_LITERAL_OWNER_VALUE_BYTES = 128;

/** One trace in an owner's set, read from the key name and its list metadata alone. */
export interface TraceIndexEntry {
  traceId: string;
  rootSpanId: string;
  startedAtMs: number;
  endedAtMs: number | null;
  hasError: boolean;
}

interface TraceEntryMetadata {
  endedAt: number | null;
  error: boolean;
}

/** Names the owner set of one filter value, such as `entityId=weather-agent`. */
export async function ownerOf(field: IndexedFilterField | 'tags', value: string): Promise<string> {
  if (utf8ByteLength(value) <= MAX_LITERAL_OWNER_VALUE_BYTES) return `${field}=${value}`;
  return `${field}#${await sha256Hex(value)}`;
}

/** Lists the owner sets of a root span: all traces, each indexed field value and each tag. */
export async function ownersOfRoot(span: SpanRecord): Promise<string[]> {
  const owners = [ALL_TRACES_OWNER];
  for (const field of INDEXED_FILTER_FIELDS) {
    const value = span[field];
    if (typeof value === 'string') owners.push(await ownerOf(field, value));
  }
  for (const tag of new Set(span.tags ?? [])) owners.push(await ownerOf('tags', tag));
  return owners;
}

/** Builds a root span's index entries, one per owner set, each with its status in metadata. */
export async function indexEntriesOf(context: StoreContext, root: SpanRecord): Promise<KvEntry[]> {
  const metadata: TraceEntryMetadata = {
    endedAt: root.endedAt ? new Date(root.endedAt).getTime() : null,
    error: root.error !== null && root.error !== undefined,
  };
  const owners = await ownersOfRoot(root);
  return owners.map((owner) => ({ key: indexKey(context, owner, root), value: '', metadata }));
}

export async function indexKeysOf(context: StoreContext, root: SpanRecord): Promise<string[]> {
  return (await indexEntriesOf(context, root)).map((entry) => entry.key);
}

/**
 * Reads spans by key again and builds the index entries of those that are root spans now: bulk
 * gets of 100, for writing back entries that a delete removed but a concurrent write needs.
 */
export async function readCurrentIndexEntries(
  context: StoreContext,
  spanKeys: readonly string[],
): Promise<KvEntry[]> {
  const reads = await readSpans(context, spanKeys);
  const roots = reads.flatMap((read) => (read && isRootSpan(read.span) ? [read.span] : []));
  return (await Promise.all(roots.map((root) => indexEntriesOf(context, root)))).flat();
}

/** Reads an owner's whole set: one list call per 1000 traces. */
export async function listOwner(context: StoreContext, owner: string): Promise<TraceIndexEntry[]> {
  const prefix = context.keys.prefix(TABLE_SPANS, ['index', owner]);
  const listed = await collectAllKeys(context.transport, TABLE_SPANS, prefix);

  return listed.map((key) => {
    const [, , score, traceId, rootSpanId] = context.keys.parse(TABLE_SPANS, key.name);
    const metadata = key.metadata as TraceEntryMetadata | null | undefined;
    return {
      traceId: traceId as string,
      rootSpanId: rootSpanId as string,
      startedAtMs: decodeScore(score as string),
      endedAtMs: metadata?.endedAt ?? null,
      hasError: metadata?.error === true,
    };
  });
}

/** Builds the entry of a root span record, for filtering a trace read by id. */
export function entryOfRoot(root: SpanRecord): TraceIndexEntry {
  return {
    traceId: root.traceId,
    rootSpanId: root.spanId,
    startedAtMs: new Date(root.startedAt).getTime(),
    endedAtMs: root.endedAt ? new Date(root.endedAt).getTime() : null,
    hasError: root.error !== null && root.error !== undefined,
  };
}

/**
 * Returns the key that marks a trace in which some span has an error. Writing it needs no read, so spans of
 * one trace written by different batches never overwrite each other's state.
 */
export function errorMarkerKey(context: StoreContext, traceId: string): string {
  return context.keys.key(TABLE_SPANS, ['errors', traceId], 'traceId');
}

/** Lists the ids of every trace with an error marker: one list call per 1000 such traces. */
export async function listTracesWithErrors(context: StoreContext): Promise<Set<string>> {
  const prefix = context.keys.prefix(TABLE_SPANS, ['errors']);
  const listed = await collectAllKeys(context.transport, TABLE_SPANS, prefix);
  return new Set(listed.map((key) => context.keys.parse(TABLE_SPANS, key.name)[1] as string));
}

function indexKey(context: StoreContext, owner: string, root: SpanRecord): string {
  const score = encodeScore(new Date(root.startedAt).getTime());
  return context.keys.key(
    TABLE_SPANS,
    ['index', owner, score, root.traceId, root.spanId],
    'traceId',
  );
}

async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
