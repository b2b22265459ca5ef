import { CfkvError, mapWithConcurrency } from '@cfkv/core';

type BatchOutcome =
  { ok: true; unsuccessfulKeys: readonly string[] } | { ok: false; error: unknown };

export interface BulkRequestContext {
  table: string;
  operation: 'putMany' | 'deleteMany';
  concurrency: number;
}

/**
 * Sends one bulk request per batch with bounded concurrency; `send` returns the keys Cloudflare
 * reported in `unsuccessful_keys`. After a failed request no further batch starts. When some
 * keys were written and others were not, the call rejects with PARTIAL_WRITE listing both. When
 * nothing was written, it rejects with the first request's error.
 */
export async function sendBulkBatches(
  batches: readonly (readonly string[])[],
  context: BulkRequestContext,
  send: (batchIndex: number) => Promise<readonly string[]>,
): Promise<void> {
  const outcomes = new Array<BatchOutcome | undefined>(batches.length);
  let failed = false;
  await mapWithConcurrency(batches, context.concurrency, async (_batch, index) => {
    if (failed) return;
    try {
      outcomes[index] = { ok: true, unsuccessfulKeys: await send(index) };
    } catch (error) {
      failed = true;
      outcomes[index] = { ok: false, error };
    }
  });

  const { writtenKeys, unwrittenKeys, firstError } = summarize(batches, outcomes);
  if (unwrittenKeys.length === 0) return;
  if (writtenKeys.length === 0 && firstError !== undefined) throw firstError;

  throw new CfkvError(
    'PARTIAL_WRITE',
    `KV ${context.operation} in ${context.table} confirmed ${writtenKeys.length} of ` +
      `${writtenKeys.length + unwrittenKeys.length} keys; ${unwrittenKeys.length} were not ` +
      `confirmed, the first being ${JSON.stringify(unwrittenKeys[0])}. Retry the unwritten keys.`,
    {
      table: context.table,
      operation: context.operation,
      actual: unwrittenKeys.length,
      writtenKeys,
      unwrittenKeys,
    },
    firstError === undefined ? {} : { cause: firstError },
  );
}

function summarize(
  batches: readonly (readonly string[])[],
  outcomes: readonly (BatchOutcome | undefined)[],
) {
  const writtenKeys: string[] = [];
  const unwrittenKeys: string[] = [];
  let firstError: unknown;

  batches.forEach((keys, index) => {
    const outcome = outcomes[index];
    if (outcome === undefined || !outcome.ok) {
      if (outcome !== undefined && firstError === undefined) firstError = outcome.error;
      unwrittenKeys.push(...keys);
      return;
    }
    const unsuccessful = new Set(outcome.unsuccessfulKeys);
    for (const key of keys) (unsuccessful.has(key) ? unwrittenKeys : writtenKeys).push(key);
  });
  return { writtenKeys, unwrittenKeys, firstError };
}
