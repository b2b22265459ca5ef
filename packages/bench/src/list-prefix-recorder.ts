import type { ListOptions, Transport } from '@cfkv/core';

/** One `list` call: the table and the prefix it listed. */
export interface ListCall {
  table: string;
  prefix: string;
}

/**
 * Wraps a transport to record the prefix of every `list` call, which the transport events of
 * `observeTransport` do not carry, so a budget can tell a whole-table listing from an owner's.
 */
export function recordListPrefixes(transport: Transport, calls: ListCall[]): Transport {
  return {
    name: transport.name,
    get: (table, key) => transport.get(table, key),
    getMany: (table, keys) => transport.getMany(table, keys),
    getWithMetadata: (table, key) => transport.getWithMetadata(table, key),
    put: (table, key, value, options) => transport.put(table, key, value, options),
    putMany: (table, entries) => transport.putMany(table, entries),
    delete: (table, key) => transport.delete(table, key),
    deleteMany: (table, keys) => transport.deleteMany(table, keys),
    list(table: string, options?: ListOptions) {
      calls.push({ table, prefix: options?.prefix ?? '' });
      return transport.list(table, options);
    },
  };
}
