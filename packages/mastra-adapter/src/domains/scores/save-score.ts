import type { ScoreRowData } from '@mastra/core/evals';
import { TABLE_SCORERS } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';
import { reserveTiebreaks } from '../memory/order-tiebreak.js';
import type { ScoreIndexes } from './score-index.js';
import type { SaveScoreInput } from './score-input.js';
import { decodeScore, encodeScore, readScore, toScore, type StoredScore } from './score-records.js';

/**
 * Saves a score, or replaces the score with the same id (Mastra's upsert by caller-supplied id).
 * A replaced score keeps its createdAt and its place among equal createdAt values. The record
 * and its index entries go out in one `putMany`, which is one bulk write over REST. Index
 * entries that the new version no longer has are deleted afterwards, so a reader always finds
 * the score.
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

  return toScore(decodeScore(record.value, record.key));
}
