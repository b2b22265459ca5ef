import { CfkvError } from '@cfkv/core';
import { describeValue } from '../../describe-value.js';

/** Rejects an id that is not a string with at least one non-blank character, before any KV call. */
export function assertId(value: unknown, field: string): asserts value is string {
  if (typeof value === 'string' && value.trim() !== '') return;
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${field} must be a non-empty string, got ${describeValue(value)}.`,
    { field },
  );
}

/** Normalizes `threadId: string | string[]` to a non-empty list of non-blank ids, or rejects it. */
export function threadIdList(threadId: unknown): string[] {
  const ids = Array.isArray(threadId) ? (threadId as unknown[]) : [threadId];
  if (ids.length === 0) {
    throw new CfkvError('INVALID_ARGUMENT', 'threadId must not be an empty list.', {
      field: 'threadId',
    });
  }
  for (const id of ids) assertId(id, 'threadId');
  return [...new Set(ids as string[])];
}

/** Rejects a page number that is not a non-negative integer. */
export function assertPage(page: number): void {
  if (Number.isInteger(page) && page >= 0) return;
  throw new CfkvError('INVALID_ARGUMENT', `page must be an integer >= 0, got ${page}.`, {
    field: 'page',
  });
}

/** Rejects a perPage that is neither `false` (every item) nor a non-negative integer. */
export function assertPerPage(perPage: unknown): void {
  if (perPage === undefined || perPage === false) return;
  if (typeof perPage === 'number' && Number.isInteger(perPage) && perPage >= 0) return;
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `perPage must be false or an integer >= 0, got ${describeValue(perPage)}.`,
    { field: 'perPage' },
  );
}

/** Rejects a value that is not an array, naming the argument. */
export function assertArray(value: unknown, field: string): asserts value is unknown[] {
  if (Array.isArray(value)) return;
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${field} must be an array, got ${describeValue(value)}.`,
    {
      field,
    },
  );
}

/** Rejects an argument object that is missing or not an object. */
export function assertArguments(value: unknown, field: string): asserts value is object {
  if (typeof value === 'object' && value !== null) return;
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${field} must be an object, got ${describeValue(value)}.`,
    { field },
  );
}

/** Rejects a value that is neither absent (undefined or null) nor a string, naming `field`. */
export function assertOptionalText(value: unknown, field: string): void {
  if (value === undefined || value === null || typeof value === 'string') return;
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${field} must be a string, got ${describeValue(value)}.`,
    { field },
  );
}

/** Rejects a value that is neither absent (undefined or null) nor a plain object. */
export function assertOptionalRecord(value: unknown, field: string): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) return;
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${field} must be an object, got ${describeValue(value)}.`,
    { field },
  );
}

/** Rejects a timestamp that is missing or not a valid date (a Date, ISO string or milliseconds). */
export function assertTimestamp(value: unknown, field: string): void {
  const isDateInput =
    value instanceof Date || typeof value === 'string' || typeof value === 'number';
  if (isDateInput && !Number.isNaN(new Date(value).getTime())) return;
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${field} must be a valid date, got ${describeValue(value)}.`,
    { field },
  );
}

/** Rejects an include item whose id or context counts are invalid. */
export function assertIncludeItems(include: unknown): void {
  if (include === undefined || include === null) return;
  assertArray(include, 'include');
  for (const item of include) {
    assertArguments(item, 'include[]');
    const { id, withPreviousMessages, withNextMessages } = item as Record<string, unknown>;
    assertId(id, 'include[].id');
    assertOptionalCount(withPreviousMessages, 'include[].withPreviousMessages');
    assertOptionalCount(withNextMessages, 'include[].withNextMessages');
  }
}

/** Rejects a date range bound that is present but not a valid date. */
export function assertDateRange(dateRange: { start?: unknown; end?: unknown } | undefined): void {
  if (dateRange === undefined || dateRange === null) return;
  if (dateRange.start !== undefined) assertTimestamp(dateRange.start, 'filter.dateRange.start');
  if (dateRange.end !== undefined) assertTimestamp(dateRange.end, 'filter.dateRange.end');
}

function assertOptionalCount(value: unknown, field: string): void {
  if (value === undefined) return;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return;
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${field} must be an integer >= 0, got ${describeValue(value)}.`,
    { field },
  );
}
