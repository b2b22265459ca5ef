import { KeySchema } from '@cfkv/core';
import type { ListCall } from './list-prefix-recorder.js';

/**
 * Counts list calls that cover a whole table or a whole index. Keys are
 * `{keyPrefix}{table}:{index or kind}:{owner}:...`, so a prefix that names no owner (fewer than
 * two parts after the table) reads every owner's keys.
 */
export function countWholeTableLists(calls: readonly ListCall[], keyPrefix: string): number {
  const keys = new KeySchema(keyPrefix);
  return calls.filter((call) => partsAfterTable(keys, call) < 2).length;
}

function partsAfterTable(keys: KeySchema, call: ListCall): number {
  const tablePrefix = keys.prefix(call.table);
  if (!call.prefix.startsWith(tablePrefix)) return 0;

  const rest = call.prefix.slice(tablePrefix.length);
  return rest.split(':').filter((part, index, parts) => part !== '' || index < parts.length - 1)
    .length;
}
