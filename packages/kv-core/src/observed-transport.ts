import type { Transport } from './transport.js';

export const TRANSPORT_OPERATIONS = [
  'get',
  'getMany',
  'getWithMetadata',
  'put',
  'putMany',
  'delete',
  'deleteMany',
  'list',
] as const;

export type TransportOperation = (typeof TRANSPORT_OPERATIONS)[number];

/** One transport call, reported before it is made. */
export interface TransportEvent {
  operation: TransportOperation;
  table: string;
  /** Keys the call addresses; 0 for `list`, whose keys are not known before it returns. */
  keyCount: number;
}

export type TransportListener = (event: TransportEvent) => void;

/**
 * Wraps `transport` so that `listener` is called with every call before it is made, for logging and
 * for counting KV operations against a cost budget. A listener that throws rejects the call,
 * which is then not made.
 */
export function observeTransport(transport: Transport, listener: TransportListener): Transport {
  const report = (operation: TransportOperation, table: string, keyCount: number): void =>
    listener({ operation, table, keyCount });

  return {
    name: transport.name,
    async get(table, key) {
      report('get', table, 1);
      return transport.get(table, key);
    },
    async getMany(table, keys) {
      report('getMany', table, keys.length);
      return transport.getMany(table, keys);
    },
    async getWithMetadata(table, key) {
      report('getWithMetadata', table, 1);
      return transport.getWithMetadata(table, key);
    },
    async put(table, key, value, options) {
      report('put', table, 1);
      return transport.put(table, key, value, options);
    },
    async putMany(table, entries) {
      report('putMany', table, entries.length);
      return transport.putMany(table, entries);
    },
    async delete(table, key) {
      report('delete', table, 1);
      return transport.delete(table, key);
    },
    async deleteMany(table, keys) {
      report('deleteMany', table, keys.length);
      return transport.deleteMany(table, keys);
    },
    async list(table, options) {
      report('list', table, 0);
      return transport.list(table, options);
    },
  };
}

export interface OperationTotals {
  calls: number;
  keys: number;
  /** Maximum keys addressed by one call. */
  maxKeys: number;
}

export interface OperationCounts extends OperationTotals {
  byOperation: Record<TransportOperation, OperationTotals>;
  byTable: Record<string, OperationTotals>;
  /** Every call in the order it was made. */
  events: TransportEvent[];
}

/**
 * Counts transport calls reported to {@link listener}, in total, by operation and by table.
 * Pass `counter.listener` to {@link observeTransport}.
 */
export class OperationCounter {
  #events: TransportEvent[] = [];

  readonly listener: TransportListener = (event) => {
    this.#events.push({ ...event });
  };

  snapshot(): OperationCounts {
    const byOperation = Object.fromEntries(
      TRANSPORT_OPERATIONS.map((operation) => [operation, emptyTotals()]),
    ) as Record<TransportOperation, OperationTotals>;
    const byTable: Record<string, OperationTotals> = {};
    const total = emptyTotals();

    for (const event of this.#events) {
      addEvent(total, event);
      addEvent(byOperation[event.operation], event);
      byTable[event.table] ??= emptyTotals();
      addEvent(byTable[event.table] as OperationTotals, event);
    }
    return { ...total, byOperation, byTable, events: this.#events.map((event) => ({ ...event })) };
  }

  reset(): void {
    this.#events = [];
  }
}

function emptyTotals(): OperationTotals {
  return { calls: 0, keys: 0, maxKeys: 0 };
}

function addEvent(totals: OperationTotals, event: TransportEvent): void {
  totals.calls += 1;
  totals.keys += event.keyCount;
  totals.maxKeys = Math.max(totals.maxKeys, event.keyCount);
}
