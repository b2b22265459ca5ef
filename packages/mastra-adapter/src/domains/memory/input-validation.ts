import { CfkvError } from '@cfkv/core';

/** Rejects an id that is not a string with at least one non-blank character, before any KV call. */
export function assertId(value: unknown, field: string): asserts value is string {
  if (typeof value === 'string' && value.trim() !== '') return;
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${field} must be a non-empty string, got ${JSON.stringify(value) ?? String(value)}.`,
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
