import { CfkvError, isCfkvError, MAX_BULK_GET_KEYS, MAX_LIST_LIMIT } from '@cfkv/core';
import { CloudflareCode } from './rest-errors.js';

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

/**
 * A bulk get whose values together exceed 25 MB is rejected with HTTP 413, or with 400 and the
 * validation code 10001 (as the workerd KV behind @cfkv/rest-local reports it). Keys were
 * validated before the call, so a validation error on a bulk read means its size.
 */
export function isBulkReadTooLarge(error: unknown): boolean {
  if (!isCfkvError(error, 'TRANSPORT_FAILED')) return false;
  if (error.status === 413) return true;
  return error.status === 400 && error.cloudflareCode === CloudflareCode.VALIDATION;
}
