import { CfkvError } from '@cfkv/core';

interface BatchContext {
  table: string;
  operation: string;
}

/**
 * Runs `write` once per key with at most `limit` calls in flight. After the first failure no
 * new call starts and the calls already in flight finish. KV bindings have no multi-key
 * transaction to roll back, so when some keys were written the error is PARTIAL_WRITE listing the
 * keys written and not written. When none were, the first error is thrown unchanged.
 */
export async function runWithConcurrency(
  keys: readonly string[],
  limit: number,
  write: (key: string, index: number) => Promise<void>,
  context: BatchContext,
): Promise<void> {
  const written = new Set<string>();
  let nextIndex = 0;
  let failure: unknown;

  const worker = async (): Promise<void> => {
    while (failure === undefined && nextIndex < keys.length) {
      const index = nextIndex++;
      const key = keys[index] as string;
      try {
        await write(key, index);
        written.add(key);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  const workerCount = Math.min(limit, keys.length);
  await Promise.all(Array.from({ length: workerCount }, worker));

  if (failure === undefined) return;
  if (written.size === 0) throw failure;
  throw partialWriteError(keys, written, failure, context);
}

function partialWriteError(
  keys: readonly string[],
  written: ReadonlySet<string>,
  failure: unknown,
  context: BatchContext,
): CfkvError {
  const writtenKeys = keys.filter((key) => written.has(key));
  const unwrittenKeys = keys.filter((key) => !written.has(key));
  return new CfkvError(
    'PARTIAL_WRITE',
    `${context.operation} in ${context.table} failed after ${writtenKeys.length} of ` +
      `${keys.length} keys; the error lists the keys written and not written.`,
    { table: context.table, operation: context.operation, writtenKeys, unwrittenKeys },
    { cause: failure },
  );
}
