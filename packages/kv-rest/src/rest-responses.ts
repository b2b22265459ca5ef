import { CfkvError, type ListedKey, type ListPage, type ValueWithMetadata } from '@cfkv/core';
import type { CloudflareEnvelope } from './rest-client.js';
import { describeTarget, type RequestTarget } from './rest-errors.js';

/** Reads the `values` of a bulk get without metadata: each a string, or null when missing. */
export function readBulkGetValues(result: unknown, target: RequestTarget): Map<string, string> {
  const values = new Map<string, string>();
  for (const [key, value] of Object.entries(bulkGetValues(result, target))) {
    if (value === null) continue;
    if (typeof value !== 'string')
      throw malformed(target, `the value of ${JSON.stringify(key)} is not text`);
    values.set(key, value);
  }
  return values;
}

/** Reads the `values` of a bulk get with metadata: each `{ value, metadata }`, or null. */
export function readBulkGetWithMetadata(
  result: unknown,
  target: RequestTarget,
): Map<string, ValueWithMetadata> {
  const entries = new Map<string, ValueWithMetadata>();
  for (const [key, entry] of Object.entries(bulkGetValues(result, target))) {
    if (entry === null) continue;
    const { value, metadata } = (entry ?? {}) as { value?: unknown; metadata?: unknown };
    if (typeof value !== 'string' && value !== null) {
      throw malformed(target, `the entry of ${JSON.stringify(key)} has no text value`);
    }
    entries.set(key, { value, metadata: metadata ?? null });
  }
  return entries;
}

/** Reads a page of `GET keys`; the listing is complete when `result_info.cursor` is empty. */
export function readListPage(
  envelope: CloudflareEnvelope<unknown>,
  target: RequestTarget,
): ListPage {
  if (!Array.isArray(envelope.result))
    throw malformed(target, 'the result is not an array of keys');
  const keys = envelope.result.map((item: unknown) => toListedKey(item, target));

  const cursor = envelope.result_info?.cursor;
  if (typeof cursor !== 'string' || cursor === '') return { keys, complete: true };
  return { keys, cursor, complete: false };
}

/** Reads the keys a bulk write or delete could not process; absent means none. */
export function readUnsuccessfulKeys(result: unknown): string[] {
  const keys = (result as { unsuccessful_keys?: unknown } | null)?.unsuccessful_keys;
  if (!Array.isArray(keys)) return [];
  return keys.filter((key): key is string => typeof key === 'string');
}

function bulkGetValues(result: unknown, target: RequestTarget): Record<string, unknown> {
  const values = (result as { values?: unknown } | null)?.values;
  if (typeof values === 'object' && values !== null && !Array.isArray(values)) {
    return values as Record<string, unknown>;
  }
  throw malformed(target, 'the result has no "values" object');
}

function toListedKey(item: unknown, target: RequestTarget): ListedKey {
  const { name, metadata, expiration } = (item ?? {}) as Record<string, unknown>;
  if (typeof name !== 'string') throw malformed(target, 'a listed key has no name');

  const listed: ListedKey = { name };
  if (metadata !== undefined && metadata !== null) listed.metadata = metadata;
  if (typeof expiration === 'number') listed.expiration = expiration;
  return listed;
}

function malformed(target: RequestTarget, problem: string): CfkvError {
  return new CfkvError(
    'TRANSPORT_FAILED',
    `KV ${describeTarget(target)} failed: the response is malformed because ${problem}.`,
    { table: target.table, key: target.key, operation: target.operation },
  );
}
