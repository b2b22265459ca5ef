import { CfkvError } from './errors.js';
import { MAX_BULK_DELETE_KEYS } from './limits.js';
import { listAllKeys, type ListAllKeysOptions } from './list-all-keys.js';
import type { Transport } from './transport.js';

export interface DeleteAllKeysOptions extends ListAllKeysOptions {
  /** Keys per `deleteMany` call, 1 to 10,000 (the REST bulk delete limit, and the default). */
  keysPerDelete?: number;
}

/**
 * Deletes every key under `prefix` and returns how many it deleted. Keys are deleted in
 * `deleteMany` calls of `keysPerDelete` keys (one REST bulk delete each) while the listing goes on,
 * so memory stays bounded whatever the number of keys. A key written under `prefix` after the
 * listing has passed its position is not deleted.
 *
 * NOTE: the listing resumes from cursors issued before the keys they follow were deleted. This
 * works on Miniflare and @cfkv/rest-local, but Cloudflare's cursors are opaque and it has not
 * been run against production KV. A rejected cursor fails the call, and calling again is safe
 * because deletes are idempotent.
 */
export async function deleteAllKeys(
  transport: Transport,
  table: string,
  prefix: string,
  options: DeleteAllKeysOptions = {},
): Promise<number> {
  const { keysPerDelete = MAX_BULK_DELETE_KEYS, ...listOptions } = options;
  assertKeysPerDelete(keysPerDelete);
  let deletedCount = 0;
  let batch: string[] = [];

  for await (const listed of listAllKeys(transport, table, prefix, listOptions)) {
    batch.push(listed.name);
    if (batch.length < keysPerDelete) continue;
    await transport.deleteMany(table, batch);
    deletedCount += batch.length;
    batch = [];
  }

  if (batch.length > 0) await transport.deleteMany(table, batch);
  return deletedCount + batch.length;
}

function assertKeysPerDelete(keysPerDelete: number): void {
  const isValid =
    Number.isInteger(keysPerDelete) && keysPerDelete >= 1 && keysPerDelete <= MAX_BULK_DELETE_KEYS;
  if (isValid) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `keysPerDelete must be an integer from 1 to ${MAX_BULK_DELETE_KEYS}, got ${keysPerDelete}.`,
    { field: 'keysPerDelete', limit: MAX_BULK_DELETE_KEYS, actual: keysPerDelete },
  );
}
