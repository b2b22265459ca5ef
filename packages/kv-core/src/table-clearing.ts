import { deleteAllKeys, type DeleteAllKeysOptions } from './delete-all-keys.js';
import type { TableContext } from './table-records.js';

/**
 * Deletes every key of the context's key prefix in `table` and returns how many it deleted:
 * records, index keys and the chunks of large values alike. The listing prefix is
 * `{escaped keyPrefix}{table}:`. Because escaped prefixes contain no `:`, no other key prefix
 * builds a key of `table` that starts with it, so other prefixes' data is never listed or deleted.
 */
export async function clearTable(
  context: TableContext,
  table: string,
  options: DeleteAllKeysOptions = {},
): Promise<number> {
  return deleteAllKeys(context.transport, table, context.keys.prefix(table), options);
}

/**
 * Removes the table's data for the context's key prefix, exactly as {@link clearTable} does.
 * The KV namespace itself stays, because the transport contract has no namespace operations, a
 * Worker cannot delete a namespace through its binding, and the namespace may contain other
 * prefixes' data. Delete a namespace in the Cloudflare dashboard, with
 * `wrangler kv namespace delete` or through the REST API.
 */
export async function dropTable(
  context: TableContext,
  table: string,
  options: DeleteAllKeysOptions = {},
): Promise<number> {
  return clearTable(context, table, options);
}
