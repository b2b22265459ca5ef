import { clearTable } from '@cfkv/core';
import type { StoreContext } from './store-context.js';

/**
 * Deletes every key of this store's key prefix in `tables`, chunk keys included, and leaves other
 * prefixes untouched. Tables are cleared one after another, so a Worker's connections and
 * Cloudflare's request rate serve one table's deletes at a time.
 */
export async function clearTables(context: StoreContext, tables: readonly string[]): Promise<void> {
  for (const table of tables) await clearTable(context, table);
}
