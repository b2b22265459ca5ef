import { chunk, collectAllKeys, MAX_BULK_DELETE_KEYS } from '@cfkv/core';
import type { StoreContext } from './store-context.js';

/** Deletes every key of this store's key prefix in `tables`; other prefixes are untouched. */
export async function clearTables(context: StoreContext, tables: readonly string[]): Promise<void> {
  for (const table of tables) {
    const listed = await collectAllKeys(context.transport, table, context.keys.prefix(table));
    const names = listed.map((key) => key.name);
    for (const batch of chunk(names, MAX_BULK_DELETE_KEYS)) {
      await context.transport.deleteMany(table, batch);
    }
  }
}
