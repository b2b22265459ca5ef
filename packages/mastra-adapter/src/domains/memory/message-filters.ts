import { CfkvError, type SortedSetEntry } from '@cfkv/core';
import type { StorageListMessagesInput, StorageMetadataFilter } from '@mastra/core/storage';
import { entryResourceId } from './message-order.js';

type DateRange = NonNullable<NonNullable<StorageListMessagesInput['filter']>['dateRange']>;

const SAFE_METADATA_KEY = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MAX_METADATA_KEY_LENGTH = 128;
const DISALLOWED_METADATA_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** Accepts an order entry by createdAt range and resource, from the list alone. */
export function entryFilter(
  dateRange: DateRange | undefined,
  resourceId: string | undefined,
): (entry: SortedSetEntry) => boolean {
  const start = dateRange?.start === undefined ? undefined : new Date(dateRange.start).getTime();
  const end = dateRange?.end === undefined ? undefined : new Date(dateRange.end).getTime();
  return (entry) => {
    if (
      start !== undefined &&
      (dateRange?.startExclusive ? entry.score <= start : entry.score < start)
    )
      return false;
    if (end !== undefined && (dateRange?.endExclusive ? entry.score >= end : entry.score > end))
      return false;
    return !resourceId || entryResourceId(entry) === resourceId;
  };
}

/**
 * Checks a message metadata filter the way Mastra's stores do: keys are identifiers of at most
 * 128 characters, values are strings, finite numbers, booleans or null. Returns undefined for
 * an empty filter.
 */
export function validateMetadataFilter(
  metadata: StorageMetadataFilter | undefined,
): StorageMetadataFilter | undefined {
  if (metadata === undefined) return undefined;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw invalidFilter('filter.metadata must be an object.');
  }

  const entries = Object.entries(metadata);
  for (const [key, value] of entries) {
    const validKey =
      key.length <= MAX_METADATA_KEY_LENGTH &&
      SAFE_METADATA_KEY.test(key) &&
      !DISALLOWED_METADATA_KEYS.has(key);
    if (!validKey)
      throw invalidFilter(`filter.metadata has an invalid key ${JSON.stringify(key)}.`);
    if (!isScalar(value)) {
      throw invalidFilter(
        `filter.metadata.${key} must be a string, finite number, boolean or null.`,
      );
    }
  }
  return entries.length > 0 ? metadata : undefined;
}

/** True when the message content's metadata has every key of `filter` with an equal value. */
export function contentMatchesMetadata(content: unknown, filter: StorageMetadataFilter): boolean {
  if (content === null || typeof content !== 'object' || Array.isArray(content)) return false;
  const metadata = (content as { metadata?: unknown }).metadata;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) return false;

  const record = metadata as Record<string, unknown>;
  return Object.entries(filter).every(
    ([key, expected]) => Object.hasOwn(record, key) && record[key] === expected,
  );
}

function isScalar(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  return typeof value === 'number' && Number.isFinite(value);
}

function invalidFilter(message: string): CfkvError {
  return new CfkvError('INVALID_ARGUMENT', message, { field: 'filter.metadata' });
}
