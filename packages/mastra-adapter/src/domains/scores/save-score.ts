import type { ScoreRowData } from '@mastra/core/evals';
import { TABLE_SCORERS } from '@mastra/core/storage';
import { putBackNeededKeys } from '../../put-back-needed-keys.js';
import type { StoreContext } from '../../store-context.js';
import { reserveTiebreaks } from '../memory/order-tiebreak.js';
import type { ScoreIndexes } from './score-index.js';
import type { SaveScoreInput } from './score-input.js';
import { decodeScore, encodeScore, readScore, toScore, type StoredScore } from './score-records.js';

/**
 * Saves a score, or replaces the score with the same id (Mastra's upsert by caller-supplied id).
 * A replaced score keeps its createdAt and its place among equal createdAt values. The record
 * and its index entries go out in one `putMany`, which is one bulk write over REST. Index
 * entries of the version read before the write that the new version no longer has are deleted
 * afterwards, so without a concurrent save of the same id a reader always finds the score.
 *
 * A concurrent save of the same id may have written some of those entries again for its own
 * version and won. So after a delete the record is read again, and the deleted entries that it
 * still needs are written back: one more `get`, and one more `putMany` when an entry is needed.
 * Until then a list can miss the winning score.
 */
export async function saveScore(
  context: StoreContext,
  indexes: ScoreIndexes,
  input: SaveScoreInput,
): Promise<ScoreRowData> {
  const id = input.payload.id ?? crypto.randomUUID();
  const existing = input.payload.id === undefined ? null : await readScore(context, id);
  const now = new Date();
  const stored: StoredScore = {
    ...input.payload,
    id,
    createdAt: existing?.createdAt ?? input.createdAt ?? now,
    updatedAt: now,
    orderTiebreak: existing?.orderTiebreak ?? reserveTiebreaks(1),
  };

  const record = encodeScore(context, stored);
  const entries = indexes.entriesOf(stored);
  const currentKeys = new Set(entries.map((entry) => entry.key));
  const staleKeys = existing === null ? [] : indexes.keysOf(existing);

  await context.transport.putMany(TABLE_SCORERS, [...entries, record]);
  const removed = staleKeys.filter((key) => !currentKeys.has(key));
  if (removed.length > 0) await context.transport.deleteMany(TABLE_SCORERS, removed);
  // NOTE: the entries stay lost when this read does not see the winning record yet. That happens
  // while its `putMany` is still running, and after a write made in another location, whose
  // older version KV can return for 60 seconds or more.
  await putBackNeededKeys(context.transport, TABLE_SCORERS, removed, async () => {
    const current = await readScore(context, id);
    // A read that returns the replaced version comes from a cache older than this write.
    const isReplaced = JSON.stringify(current) === JSON.stringify(existing);
    return current === null || isReplaced ? [] : indexes.entriesOf(current);
  });

  return toScore(decodeScore(record.value, record.key));
}
