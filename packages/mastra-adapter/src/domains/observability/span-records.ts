import {
  collectAllKeys,
  decodeRecord,
  encodeRecord,
  getLargeValue,
  getManyInBatches,
  isChunkKey,
  MAX_BULK_GET_BYTES,
  MAX_BULK_GET_KEYS,
  type ListedKey,
  type TableSchema,
} from '@cfkv/core';
import { TABLE_SPANS, type SpanRecord } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';

const SPAN_SCHEMA: TableSchema = {
  traceId: 'text',
  spanId: 'text',
  parentSpanId: 'text',
  name: 'text',
  spanType: 'text',
  isEvent: 'boolean',
  startedAt: 'timestamp',
  endedAt: 'timestamp',
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
  attributes: 'jsonb',
  metadata: 'jsonb',
  scope: 'jsonb',
  tags: 'jsonb',
  links: 'jsonb',
  input: 'jsonb',
  output: 'jsonb',
  error: 'jsonb',
  requestContext: 'jsonb',
};

/**
 * Largest span value stored under its own key. Any 100 such values fit in one bulk get, whose
 * responses KV caps at 25 MiB; a larger span is stored in chunks of this size under a manifest.
 */
export const INLINE_SPAN_MAX_BYTES = Math.floor(MAX_BULK_GET_BYTES / MAX_BULK_GET_KEYS);

/** List metadata of a span key; `root` marks the root span, so a listing finds it. */
export interface SpanKeyMetadata {
  root?: true;
}

/** A span read back with how it was stored, so a rewrite can remove its old chunks. */
export interface ReadSpan {
  span: SpanRecord;
  chunked: boolean;
}

/** A one-character span id: the span key it makes is the shortest key of its trace. */
const SHORTEST_SPAN_ID = '_';

export function spanKey(context: StoreContext, traceId: string, spanId: string): string {
  return context.keys.key(TABLE_SPANS, ['span', traceId, spanId], 'spanId');
}

/**
 * Rejects with KEY_TOO_LARGE, naming `field`, a traceId too long for even the shortest span key
 * of its trace. Trace reads list the trace's key prefix, and KV rejects a prefix over 512 bytes
 * as a failed request, so this check must run before the first KV call.
 */
export function assertTraceIdFits(context: StoreContext, traceId: string, field: string): void {
  context.keys.key(TABLE_SPANS, ['span', traceId, SHORTEST_SPAN_ID], field);
}

/** Returns the prefix shared by every key of one trace's spans, and by no other trace's keys. */
export function tracePrefix(context: StoreContext, traceId: string): string {
  return context.keys.prefix(TABLE_SPANS, ['span', traceId]);
}

export function isRootSpan(span: Pick<SpanRecord, 'parentSpanId'>): boolean {
  return span.parentSpanId === null || span.parentSpanId === undefined;
}

export function encodeSpan(context: StoreContext, span: SpanRecord): string {
  const key = spanKey(context, span.traceId, span.spanId);
  return encodeRecord(SPAN_SCHEMA, span, { table: TABLE_SPANS, key });
}

export function decodeSpan(text: string, key: string): SpanRecord {
  return decodeRecord<SpanRecord>(SPAN_SCHEMA, text, { table: TABLE_SPANS, key });
}

/** Lists every key of one trace: span keys with their metadata, and chunk keys of large spans. */
export async function listTraceKeys(context: StoreContext, traceId: string): Promise<ListedKey[]> {
  return collectAllKeys(context.transport, TABLE_SPANS, tracePrefix(context, traceId));
}

/** Keeps the span keys of a trace listing, dropping the chunk keys of large spans. */
export function spanKeysOf(listed: readonly ListedKey[]): ListedKey[] {
  return listed.filter((key) => !isChunkKey(key.name));
}

export function isRootKey(listed: ListedKey): boolean {
  return (listed.metadata as SpanKeyMetadata | null | undefined)?.root === true;
}

/**
 * Reads spans by key in bulk gets, aligned with `keys`, with null for a missing span. A value
 * that is not a JSON record is the manifest of a large span, whose chunks are read separately.
 */
export async function readSpans(
  context: StoreContext,
  keys: readonly string[],
): Promise<(ReadSpan | null)[]> {
  const texts = await getManyInBatches(context.transport, TABLE_SPANS, keys);

  return Promise.all(
    texts.map(async (text, position) => {
      const key = keys[position] as string;
      if (text === null) return null;
      if (text.startsWith('{')) return { span: decodeSpan(text, key), chunked: false };

      const whole = await getLargeValue(context.transport, TABLE_SPANS, key);
      return whole === null ? null : { span: decodeSpan(whole, key), chunked: true };
    }),
  );
}

/** Reads one trace's spans from a listing of its keys, ordered by startedAt. */
export async function readTraceSpans(
  context: StoreContext,
  listed: readonly ListedKey[],
): Promise<SpanRecord[]> {
  const keys = spanKeysOf(listed).map((key) => key.name);
  const spans = (await readSpans(context, keys)).flatMap((read) => (read ? [read.span] : []));
  return spans.sort(
    (left, right) => new Date(left.startedAt).getTime() - new Date(right.startedAt).getTime(),
  );
}
