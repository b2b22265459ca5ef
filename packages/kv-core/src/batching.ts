import { CfkvError } from './errors.js';
import { MAX_BULK_GET_KEYS } from './limits.js';
import type { Transport } from './transport.js';

/**
 * Simultaneous bulk gets when none is given. A Worker may keep six connections open at once, so
 * more would only queue.
 */
export const DEFAULT_GET_CONCURRENCY = 6;

/** Splits `items` into consecutive arrays of at most `size` items. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  assertPositiveInteger(size, 'size');

  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping input order in the
 * result. The first failure rejects the whole call and no further item is started.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  assertPositiveInteger(limit, 'limit');

  const results = new Array<R>(items.length);
  let nextIndex = 0;
  let failed = false;
  const runWorker = async (): Promise<void> => {
    while (!failed && nextIndex < items.length) {
      const index = nextIndex;
      nextIndex += 1;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };

  const workerCount = Math.min(limit, items.length);
  await Promise.all(Array.from({ length: workerCount }, runWorker));
  return results;
}

export interface GetManyInBatchesOptions {
  /** Bulk gets in flight at once. Default {@link DEFAULT_GET_CONCURRENCY}. */
  concurrency?: number;
  /** Keys per bulk get, at most {@link MAX_BULK_GET_KEYS} (the default). */
  keysPerCall?: number;
}

/**
 * Reads any number of keys in bulk gets of at most {@link MAX_BULK_GET_KEYS} (Cloudflare's bulk
 * read limit). The result is aligned with `keys`, with null for a missing key.
 */
export async function getManyInBatches(
  transport: Transport,
  table: string,
  keys: readonly string[],
  options: GetManyInBatchesOptions = {},
): Promise<(string | null)[]> {
  const batches = chunk(
    keys,
    Math.min(options.keysPerCall ?? MAX_BULK_GET_KEYS, MAX_BULK_GET_KEYS),
  );
  const concurrency = options.concurrency ?? DEFAULT_GET_CONCURRENCY;

  const values = await mapWithConcurrency(batches, concurrency, (batch) =>
    transport.getMany(table, batch),
  );
  return values.flat();
}

function assertPositiveInteger(value: number, field: string): void {
  if (Number.isInteger(value) && value >= 1) return;

  throw new CfkvError('INVALID_ARGUMENT', `${field} must be a positive integer, got ${value}.`, {
    field,
    actual: value,
  });
}
