import type { KvEntry, Transport } from '@cfkv/core';

/**
 * Writes again the deleted keys that the records, as they are now, still need. A write deletes
 * the index keys of the version it read before writing. A concurrent write of the same record
 * may have written those keys again for its own version and won, so the delete would leave the
 * winning record unlisted. Reading the records after the delete finds the winner, and its keys
 * among `deletedKeys` are written again: one read, and a `putMany` only when a key is needed.
 */
export async function putBackNeededKeys(
  transport: Transport,
  table: string,
  deletedKeys: readonly string[],
  readCurrentEntries: () => Promise<readonly KvEntry[]>,
): Promise<void> {
  if (deletedKeys.length === 0) return;

  const deleted = new Set(deletedKeys);
  const needed = (await readCurrentEntries()).filter((entry) => deleted.has(entry.key));
  if (needed.length > 0) await transport.putMany(table, needed);
}
