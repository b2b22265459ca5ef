import {
  assertValueSize,
  decodeRecord,
  encodeRecord,
  getManyInBatches,
  type TableSchema,
} from '@cfkv/core';
import type { ScoreRowData } from '@mastra/core/evals';
import { TABLE_SCORERS } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';

const SCORE_SCHEMA: TableSchema = {
  id: 'text',
  scorerId: 'text',
  entityId: 'text',
  runId: 'text',
  score: 'float',
  source: 'text',
  entityType: 'text',
  traceId: 'text',
  spanId: 'text',
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
  orderTiebreak: 'integer',
};

/** A score as stored: Mastra's score row plus the tiebreak of its index entries. */
export interface StoredScore extends ScoreRowData {
  orderTiebreak: number;
}

export function scoreKey(context: StoreContext, scoreId: string): string {
  return context.keys.key(TABLE_SCORERS, ['record', scoreId], 'id');
}

export async function readScore(
  context: StoreContext,
  scoreId: string,
): Promise<StoredScore | null> {
  const key = scoreKey(context, scoreId);
  const text = await context.transport.get(TABLE_SCORERS, key);
  return text === null ? null : decodeScore(text, key);
}

/** Reads scores in bulk gets of at most 100 keys; the result is aligned with `scoreIds`. */
export async function readScores(
  context: StoreContext,
  scoreIds: readonly string[],
): Promise<(StoredScore | null)[]> {
  const keys = scoreIds.map((scoreId) => scoreKey(context, scoreId));
  const texts = await getManyInBatches(context.transport, TABLE_SCORERS, keys);
  return texts.map((text, position) => (text === null ? null : decodeScore(text, keys[position]!)));
}

/**
 * Encodes a score and checks it against KV's value limit, so a score too large to store is
 * rejected before any of its keys is written.
 */
export function encodeScore(
  context: StoreContext,
  score: StoredScore,
): { key: string; value: string } {
  const key = scoreKey(context, score.id);
  const value = encodeRecord(SCORE_SCHEMA, score, { table: TABLE_SCORERS, key });
  assertValueSize(TABLE_SCORERS, key, value);
  return { key, value };
}

/** Strips the index tiebreak, leaving the score in the shape Mastra's score row has. */
export function toScore(stored: StoredScore): ScoreRowData {
  const { orderTiebreak: _orderTiebreak, ...score } = stored;
  return score;
}

export function decodeScore(text: string, key: string): StoredScore {
  return decodeRecord<StoredScore>(SCORE_SCHEMA, text, { table: TABLE_SCORERS, key });
}
