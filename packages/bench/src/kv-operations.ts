import {
  MAX_BULK_DELETE_KEYS,
  MAX_BULK_GET_KEYS,
  MAX_BULK_WRITE_PAIRS,
  type TransportEvent,
} from '@cfkv/core';

/** Transport family, which decides how its calls count as KV operations. */
export type TransportKind = 'binding' | 'rest';

/** KV operations of one step, by kind, as Cloudflare counts and bills them. */
export interface KvOperationCounts {
  list: number;
  /** Single-key reads: `get` and `getWithMetadata`. */
  get: number;
  /** Bulk get calls, each of at most 100 keys; a larger call counts once per 100 keys. */
  bulkGet: number;
  bulkGetKeys: number;
  put: number;
  /** REST bulk write requests, each of at most 10,000 pairs. Bindings have none. */
  bulkWrite: number;
  /** Single-key deletes plus REST bulk delete requests. */
  delete: number;
  total: number;
}

export function emptyKvOperationCounts(): KvOperationCounts {
  return { list: 0, get: 0, bulkGet: 0, bulkGetKeys: 0, put: 0, bulkWrite: 0, delete: 0, total: 0 };
}

/**
 * Converts transport calls to KV operations. A binding has no bulk write or bulk delete, so its
 * `putMany` and `deleteMany` are one put or delete per key; over REST they are one request per
 * 10,000 keys.
 */
export function countKvOperations(
  events: readonly TransportEvent[],
  kind: TransportKind,
): KvOperationCounts {
  const counts = emptyKvOperationCounts();
  for (const event of events) addEvent(counts, event, kind);
  counts.total =
    counts.list + counts.get + counts.bulkGet + counts.put + counts.bulkWrite + counts.delete;
  return counts;
}

/** Counts per table, so a budget can hold each table to its own limit. */
export function countKvOperationsByTable(
  events: readonly TransportEvent[],
  kind: TransportKind,
): Record<string, KvOperationCounts> {
  const tables = [...new Set(events.map((event) => event.table))];
  return Object.fromEntries(
    tables.map((table) => [
      table,
      countKvOperations(
        events.filter((event) => event.table === table),
        kind,
      ),
    ]),
  );
}

function addEvent(counts: KvOperationCounts, event: TransportEvent, kind: TransportKind): void {
  switch (event.operation) {
    case 'list':
      counts.list += 1;
      return;
    case 'get':
    case 'getWithMetadata':
      counts.get += 1;
      return;
    case 'getMany':
      counts.bulkGet += Math.max(1, Math.ceil(event.keyCount / MAX_BULK_GET_KEYS));
      counts.bulkGetKeys += event.keyCount;
      return;
    case 'put':
      counts.put += 1;
      return;
    case 'putMany':
      if (kind === 'binding') counts.put += event.keyCount;
      else counts.bulkWrite += Math.ceil(event.keyCount / MAX_BULK_WRITE_PAIRS);
      return;
    case 'delete':
      counts.delete += 1;
      return;
    case 'deleteMany':
      if (kind === 'binding') counts.delete += event.keyCount;
      else counts.delete += Math.ceil(event.keyCount / MAX_BULK_DELETE_KEYS);
      return;
  }
}

/** Adds up the counts of several tables. */
export function sumKvOperationCounts(counts: readonly KvOperationCounts[]): KvOperationCounts {
  const sum = emptyKvOperationCounts();
  for (const entry of counts) {
    for (const kind of Object.keys(sum) as (keyof KvOperationCounts)[]) sum[kind] += entry[kind];
  }
  return sum;
}
