import { DEFAULT_MAX_CONCURRENCY } from '@cfkv/binding';
import { MAX_BULK_GET_KEYS, MAX_BULK_WRITE_PAIRS } from '@cfkv/core';
import { TABLE_THREADS } from '@mastra/core/storage';
import type { BudgetRule } from './budget-rule.js';
import {
  emptyKvOperationCounts,
  sumKvOperationCounts,
  type TransportKind,
} from './kv-operations.js';
import type { StepCounts } from './operation-probe.js';

/**
 * Thread update inside saveMessages: a read of the thread, its record write, and the move of
 * its updatedAt index entry (one ascending and one descending key added and removed). Over
 * bindings the four index keys are four calls; over REST one bulk write and one bulk delete.
 */
export const THREAD_UPDATE_OPERATIONS: Record<TransportKind, number> = { binding: 6, rest: 4 };

/** A message is one record key plus one ascending and one descending index key. */
export const KEYS_PER_MESSAGE = 3;

/** Binding calls in flight that show a save is issued concurrently rather than one by one. */
const MIN_CONCURRENT_CALLS = 2;

export interface SaveShape {
  /** Messages per saveMessages call. */
  batchSize: number;
  /** saveMessages calls in the step. */
  batches: number;
}

/**
 * Checks saveMessages against its budget. Over REST it may make one bulk write per 10,000 pairs
 * plus the thread update. Over bindings it may make one put per key, at most 3 a message, issued
 * concurrently with a bound. Both may read the batch's existing records (ceil(B / 100) bulk gets)
 * because Mastra's saveMessages is an upsert, and a message saved into another thread must leave
 * the old thread's index. Any other call on the message side (a list, a single get, a delete)
 * fails the budget.
 */
export function checkSaveMessages(
  counts: StepCounts,
  kind: TransportKind,
  { batchSize, batches }: SaveShape,
): BudgetRule[] {
  const threads = counts.byTable[TABLE_THREADS] ?? emptyKvOperationCounts();
  const messageSide = sumKvOperationCounts(
    Object.entries(counts.byTable)
      .filter(([table]) => table !== TABLE_THREADS)
      .map(([, tableCounts]) => tableCounts),
  );
  const pairs = Object.entries(counts.writtenKeysByTable)
    .filter(([table]) => table !== TABLE_THREADS)
    .reduce((sum, [, keys]) => sum + keys, 0);

  const rules: BudgetRule[] = [
    {
      rule: 'thread update',
      limit: batches * THREAD_UPDATE_OPERATIONS[kind],
      actual: threads.total,
    },
    {
      rule: 'bulk gets of existing messages',
      limit: batches * Math.ceil(batchSize / MAX_BULK_GET_KEYS),
      actual: messageSide.bulkGet,
    },
    { rule: 'keys written', limit: batches * batchSize * KEYS_PER_MESSAGE, actual: pairs },
  ];
  return rules.concat(kind === 'rest' ? restRules() : bindingRules());

  function restRules(): BudgetRule[] {
    const pairsPerBatch = pairs / batches;
    return [
      {
        rule: 'bulk writes',
        limit: batches * Math.ceil(pairsPerBatch / MAX_BULK_WRITE_PAIRS),
        actual: messageSide.bulkWrite + messageSide.put,
      },
      {
        rule: 'other message operations',
        limit: 0,
        actual: messageSide.list + messageSide.get + messageSide.delete,
      },
    ];
  }

  function bindingRules(): BudgetRule[] {
    const inFlight = counts.maxInFlight ?? 0;
    return [
      {
        rule: 'other message operations',
        limit: 0,
        actual: messageSide.list + messageSide.get + messageSide.delete + messageSide.bulkWrite,
      },
      { rule: 'calls in flight', limit: DEFAULT_MAX_CONCURRENCY, actual: inFlight },
      {
        rule: 'calls in flight',
        limit: Math.min(MIN_CONCURRENT_CALLS, batchSize),
        actual: inFlight,
        bound: 'min',
      },
    ];
  }
}
