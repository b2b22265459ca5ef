import type { BulkOperation, BulkWorkerWrite } from './bulk-worker-script.js';
import type { KvBinding } from './kv-binding.js';

/** Keys in one dispatch to the worker script, kept small because short requests survive load. */
const KEYS_PER_DISPATCH = 500;
/** Binding calls from Node kept in flight at once when a dispatch to the worker fails. */
const NODE_CONCURRENCY = 32;

/**
 * Runs a bulk operation in chunks through `dispatch` (one request to the worker script each).
 * Under heavy load workerd sometimes resets the connection of a long dispatch (ECONNRESET seen
 * with Miniflare 4.20260730), so a failed chunk is run again key by key from Node. Puts and
 * deletes are idempotent, so running a chunk twice leaves the same state. Returns failed keys.
 */
export async function runBulkInChunks(
  operation: BulkOperation,
  dispatch: (chunk: BulkOperation) => Promise<string[]>,
  binding: () => Promise<KvBinding>,
): Promise<string[]> {
  const failedKeys: string[] = [];
  for (const chunk of splitOperation(operation)) {
    const chunkFailures = await dispatch(chunk).catch(async () =>
      runFromNode(chunk, await binding()),
    );
    failedKeys.push(...chunkFailures);
  }
  return failedKeys;
}

function splitOperation(operation: BulkOperation): BulkOperation[] {
  const chunks: BulkOperation[] = [];
  const items = operation.operation === 'put' ? operation.writes : operation.keys;
  for (let start = 0; start < items.length; start += KEYS_PER_DISPATCH) {
    const end = start + KEYS_PER_DISPATCH;
    chunks.push(
      operation.operation === 'put'
        ? { operation: 'put', writes: operation.writes.slice(start, end) }
        : { operation: 'delete', keys: operation.keys.slice(start, end) },
    );
  }
  return chunks;
}

async function runFromNode(chunk: BulkOperation, binding: KvBinding): Promise<string[]> {
  if (chunk.operation === 'delete') {
    return runForEach(
      chunk.keys,
      (key) => key,
      (key) => binding.delete(key),
    );
  }
  return runForEach(
    chunk.writes,
    (write) => write.key,
    (write) => binding.put(write.key, writeValue(write), write.options),
  );
}

function writeValue(write: BulkWorkerWrite): Uint8Array | string {
  return write.base64 ? Buffer.from(write.value, 'base64') : write.value;
}

/** Runs `task` for each item with bounded concurrency; returns the keys whose task failed. */
async function runForEach<Item>(
  items: Item[],
  keyOf: (item: Item) => string,
  task: (item: Item) => Promise<void>,
): Promise<string[]> {
  const failedKeys: string[] = [];
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < items.length) {
      const item = items[nextIndex++] as Item;
      await task(item).catch(() => failedKeys.push(keyOf(item)));
    }
  };
  await Promise.all(Array.from({ length: Math.min(NODE_CONCURRENCY, items.length) }, worker));
  return failedKeys;
}
