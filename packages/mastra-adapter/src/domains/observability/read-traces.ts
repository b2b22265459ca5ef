import type { GetTraceResponse, SpanRecord } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';
import {
  isRootKey,
  listTraceKeys,
  readSpans,
  readTraceSpans,
  spanKey,
  spanKeysOf,
} from './span-records.js';

export async function readSpan(
  context: StoreContext,
  traceId: string,
  spanId: string,
): Promise<SpanRecord | null> {
  const [read] = await readSpans(context, [spanKey(context, traceId, spanId)]);
  return read?.span ?? null;
}

/** Reads the named spans of one trace in bulk gets, leaving out spans that do not exist. */
export async function readSpansById(
  context: StoreContext,
  traceId: string,
  spanIds: readonly string[],
): Promise<SpanRecord[]> {
  const keys = [...new Set(spanIds)].map((spanId) => spanKey(context, traceId, spanId));
  const reads = await readSpans(context, keys);
  return reads.flatMap((read) => (read ? [read.span] : []));
}

/**
 * Finds the root span by listing the trace's keys, whose metadata marks the root, and reads it.
 * When a trace has several root spans, the one written last is returned.
 */
export async function readRootSpan(
  context: StoreContext,
  traceId: string,
): Promise<SpanRecord | null> {
  const listed = await listTraceKeys(context, traceId);
  const rootKeys = spanKeysOf(listed)
    .filter(isRootKey)
    .map((key) => key.name);
  if (rootKeys.length === 0) return null;

  const roots = (await readSpans(context, rootKeys)).flatMap((read) => (read ? [read.span] : []));
  return roots.reduce<SpanRecord | null>(
    (latest, root) => (latest === null || updatedAtOf(root) > updatedAtOf(latest) ? root : latest),
    null,
  );
}

/** Reads a whole trace: one list call per 1000 spans, then bulk gets of 100 spans. */
export async function readTrace(
  context: StoreContext,
  traceId: string,
): Promise<GetTraceResponse | null> {
  const listed = await listTraceKeys(context, traceId);
  const spans = await readTraceSpans(context, listed);
  return spans.length === 0 ? null : { traceId, spans };
}

function updatedAtOf(span: SpanRecord): number {
  return new Date(span.updatedAt ?? span.createdAt).getTime();
}
