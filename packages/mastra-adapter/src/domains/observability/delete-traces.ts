import { chunk, mapWithConcurrency, MAX_BULK_DELETE_KEYS } from '@cfkv/core';
import { TABLE_SPANS, type BatchDeleteTracesArgs, type SpanRecord } from '@mastra/core/storage';
import { putBackNeededKeys } from '../../put-back-needed-keys.js';
import type { StoreContext } from '../../store-context.js';
import {
  assertTraceIdFits,
  isRootKey,
  listTraceKeys,
  readSpans,
  spanKeysOf,
} from './span-records.js';
import { errorMarkerKey, indexKeysOf, readCurrentIndexEntries } from './trace-index.js';

/** Traces whose keys are listed at once. Each listing is one KV call per 1000 keys. */
const TRACE_LIST_CONCURRENCY = 6;

/**
 * Deletes traces with every key they have: span keys and the chunks of large spans (found by
 * listing the trace's prefix), the index entries of its root spans and its error marker. With
 * `organizationId` or `resourceId`, a trace is deleted only when its root span (or, without one,
 * its first span) has those values, like Mastra's in-memory store.
 *
 * Bindings delete key by key, and REST in calls of 10,000 keys. So a concurrent update that read
 * a root span before the delete can write the span again between the delete of its span key and
 * the delete of its index keys. The root spans are therefore read again afterwards (bulk gets of
 * 100), and the deleted index keys that a root span written again still needs are written back.
 */
export async function deleteTraces(
  context: StoreContext,
  args: BatchDeleteTracesArgs,
): Promise<void> {
  args.traceIds.forEach((traceId, index) => {
    assertTraceIdFits(context, traceId, `traceIds[${index}]`);
  });
  const traceIds = [...new Set(args.traceIds)];
  const keySets = await mapWithConcurrency(traceIds, TRACE_LIST_CONCURRENCY, (traceId) =>
    keysOfTrace(context, traceId, args),
  );
  const keys = [...new Set(keySets.flatMap((keySet) => keySet.keys))];
  const rootKeys = keySets.flatMap((keySet) => keySet.rootKeys);

  for (const batch of chunk(keys, MAX_BULK_DELETE_KEYS)) {
    await context.transport.deleteMany(TABLE_SPANS, batch);
  }
  await putBackNeededKeys(context.transport, TABLE_SPANS, keys, () =>
    readCurrentIndexEntries(context, rootKeys),
  );
}

/** The keys of one trace to delete, and the span keys of its root spans among them. */
interface TraceKeys {
  keys: string[];
  rootKeys: string[];
}

async function keysOfTrace(
  context: StoreContext,
  traceId: string,
  scope: BatchDeleteTracesArgs,
): Promise<TraceKeys> {
  const listed = await listTraceKeys(context, traceId);
  const spanKeys = spanKeysOf(listed);
  const rootKeys = spanKeys.filter(isRootKey).map((key) => key.name);
  const roots = (await readSpans(context, rootKeys)).flatMap((read) => (read ? [read.span] : []));

  if (isScoped(scope)) {
    const reference =
      roots[0] ??
      (await firstSpan(
        context,
        spanKeys.map((key) => key.name),
      ));
    if (reference !== null && !matchesScope(reference, scope)) return { keys: [], rootKeys: [] };
  }
  const indexKeys = await Promise.all(roots.map((root) => indexKeysOf(context, root)));
  const keys = [
    ...listed.map((key) => key.name),
    ...indexKeys.flat(),
    errorMarkerKey(context, traceId),
  ];
  return { keys, rootKeys };
}

function isScoped(scope: BatchDeleteTracesArgs): boolean {
  return scope.organizationId !== undefined || scope.resourceId !== undefined;
}

function matchesScope(span: SpanRecord, scope: BatchDeleteTracesArgs): boolean {
  if (scope.organizationId !== undefined && span.organizationId !== scope.organizationId) {
    return false;
  }
  return scope.resourceId === undefined || span.resourceId === scope.resourceId;
}

async function firstSpan(
  context: StoreContext,
  keys: readonly string[],
): Promise<SpanRecord | null> {
  const first = keys[0];
  if (first === undefined) return null;
  const [read] = await readSpans(context, [first]);
  return read?.span ?? null;
}
