import { CfkvError } from './errors.js';
import { MAX_LIST_LIMIT } from './limits.js';
import type { ListedKey, Transport } from './transport.js';

export interface ListAllKeysOptions {
  /** Keys requested per list call (Cloudflare's `limit`), 1 to 1000. Default 1000. */
  pageLimit?: number;
  /**
   * List calls after which the listing is abandoned with LIST_DID_NOT_END. Default 100,000
   * (100 million keys at full pages), a guard against a store that never reports completion.
   */
  maxPages?: number;
}

export const DEFAULT_MAX_LIST_PAGES = 100_000;

/**
 * Yields every key under `prefix`, page by page, fetching the next page only when the caller
 * asks for more keys. It passes the same prefix with every cursor because Cloudflare's cursors
 * are only valid for the prefix they were issued for. A page may be empty while more remain, so
 * only `complete` ends the listing; a cursor seen before ends it with LIST_DID_NOT_END.
 */
export async function* listAllKeys(
  transport: Transport,
  table: string,
  prefix: string,
  options: ListAllKeysOptions = {},
): AsyncGenerator<ListedKey, void, undefined> {
  const pageLimit = options.pageLimit ?? MAX_LIST_LIMIT;
  const maxPages = options.maxPages ?? DEFAULT_MAX_LIST_PAGES;
  assertPageLimit(pageLimit);
  assertMaxPages(maxPages);

  const seenCursors = new Set<string>();
  let cursor: string | undefined;
  for (let pageCount = 1; ; pageCount += 1) {
    const page = await transport.list(table, { prefix, limit: pageLimit, cursor });
    yield* page.keys;
    if (page.complete) return;

    cursor = nextCursor(table, prefix, page.cursor, seenCursors);
    if (pageCount >= maxPages) throw listDidNotEnd(table, prefix, `after ${maxPages} pages`);
  }
}

/** Collects every key under `prefix` into an array; see {@link listAllKeys}. */
export async function collectAllKeys(
  transport: Transport,
  table: string,
  prefix: string,
  options: ListAllKeysOptions = {},
): Promise<ListedKey[]> {
  const keys: ListedKey[] = [];
  for await (const key of listAllKeys(transport, table, prefix, options)) keys.push(key);
  return keys;
}

function nextCursor(
  table: string,
  prefix: string,
  cursor: string | undefined,
  seenCursors: Set<string>,
): string {
  if (cursor === undefined || cursor === '') {
    throw listDidNotEnd(table, prefix, 'because a page that was not complete had no cursor');
  }
  if (seenCursors.has(cursor)) {
    throw listDidNotEnd(
      table,
      prefix,
      'because the store returned a cursor it had returned before',
    );
  }
  seenCursors.add(cursor);
  return cursor;
}

function listDidNotEnd(table: string, prefix: string, reason: string): CfkvError {
  return new CfkvError(
    'LIST_DID_NOT_END',
    `Listing keys with prefix "${prefix}" in ${table} was abandoned ${reason}.`,
    { table, key: prefix, operation: 'list' },
  );
}

function assertPageLimit(pageLimit: number): void {
  if (Number.isInteger(pageLimit) && pageLimit >= 1 && pageLimit <= MAX_LIST_LIMIT) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `pageLimit must be an integer from 1 to ${MAX_LIST_LIMIT}, got ${pageLimit}.`,
    { field: 'pageLimit', limit: MAX_LIST_LIMIT, actual: pageLimit },
  );
}

function assertMaxPages(maxPages: number): void {
  if (Number.isInteger(maxPages) && maxPages >= 1) return;

  throw new CfkvError('INVALID_ARGUMENT', `maxPages must be a positive integer, got ${maxPages}.`, {
    field: 'maxPages',
    actual: maxPages,
  });
}
