import { assertKeySize, CfkvError, MAX_BULK_GET_KEYS, MAX_LIST_LIMIT } from '@cfkv/core';

/** Key names the REST API cannot address whatever their size: `.` and `..` are path segments. */
const RESERVED_KEY_NAMES = new Set(['', '.', '..']);

/** Rejects a key KV cannot store (empty, `.`, `..` or over 512 bytes) before any request. */
export function assertValidKey(table: string, key: string): void {
  assertKeySize(key, { table });
  if (!RESERVED_KEY_NAMES.has(key)) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `Key ${JSON.stringify(key)} in ${table} is invalid; KV keys cannot be empty, "." or "..".`,
    { table, key, field: 'key' },
  );
}

export function assertBulkGetSize(table: string, keys: readonly string[]): void {
  if (keys.length <= MAX_BULK_GET_KEYS) return;

  throw new CfkvError(
    'BATCH_TOO_LARGE',
    `getMany in ${table} was given ${keys.length} keys; a KV bulk get reads at most ` +
      `${MAX_BULK_GET_KEYS} keys, so split the keys into batches.`,
    { table, field: 'keys', limit: MAX_BULK_GET_KEYS, actual: keys.length },
  );
}

export function assertListLimit(table: string, limit: number): void {
  if (Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIST_LIMIT) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `list limit in ${table} is ${limit}; KV list pages hold a whole number of 1 to ` +
      `${MAX_LIST_LIMIT} keys.`,
    { table, field: 'limit', limit: MAX_LIST_LIMIT, actual: limit },
  );
}
