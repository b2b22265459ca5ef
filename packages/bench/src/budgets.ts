import { DEFAULT_MAX_CONCURRENCY } from '@cfkv/binding';
import { MAX_BULK_GET_KEYS, MAX_BULK_WRITE_PAIRS } from '@cfkv/core';
import { TABLE_MESSAGES, TABLE_THREADS } from '@mastra/core/storage';
import type { TransportKind } from './kv-operations.js';
import type { StepCounts } from './operation-probe.js';
import { countWholeTableLists } from './whole-table-lists.js';
import type { StepParams } from './workload-step.js';

/** What a per-scale budget sees of one step at one scale. */
export interface BudgetInput {
  counts: StepCounts;
  params: StepParams;
  kind: TransportKind;
  keyPrefix: string;
}

/** One limit of a budget, with the count it was checked against. */
export interface BudgetRule {
  rule: string;
  limit: number;
  actual: number;
}

export interface Budget {
  name: string;
  /** The budget as printed next to each step that is held to it. */
  formula: string;
  /** Checks one scale; absent for a budget that compares scales. */
  check?(input: BudgetInput): BudgetRule[];
  /** Checks the total KV operations of one step at each scale, smallest scale first. */
  checkAcrossScales?(totals: readonly number[]): BudgetRule[];
}

/**
 * A fixed-size read may cost a little more at a larger scale (one more list page when a
 * boundary moves), but never in proportion to the data.
 */
export const FLAT_RATIO_MAX = 1.25;

/**
 * Thread update inside saveMessages: a read of the thread, its record write, and the move of
 * its updatedAt index entry (one ascending and one descending key added and removed). Over
 * bindings the four index keys are four calls; over REST one bulk write and one bulk delete.
 */
const THREAD_UPDATE_OPERATIONS: Record<TransportKind, number> = { binding: 6, rest: 4 };

/** A sorted-set member has one ascending and one descending index key. */
const INDEX_KEYS_PER_MESSAGE = 2;

export const BUDGETS = {
  lastMessages: {
    name: 'last-n',
    formula: 'KV operations <= 3 + ceil(N / 100), at any thread length',
    check: ({ counts, params }) => [
      { rule: 'KV operations', limit: 3 + bulkGets(param(params, 'N')), actual: counts.kv.total },
    ],
  },
  threadsPage: {
    name: 'threads-page',
    formula: 'per page of P threads: list <= 2 and KV operations <= 2 + ceil(P / 100)',
    check: ({ counts, params }) => {
      const pages = param(params, 'pages');
      return [
        { rule: 'list', limit: 2 * pages, actual: counts.kv.list },
        {
          rule: 'KV operations',
          limit: pages * (2 + bulkGets(param(params, 'P'))),
          actual: counts.kv.total,
        },
      ];
    },
  },
  saveMessages: {
    name: 'save-messages',
    formula:
      'per batch of B: REST 1 bulk write per 10,000 pairs; bindings puts <= 3B with at most ' +
      `${DEFAULT_MAX_CONCURRENCY} in flight; ceil(B / 100) bulk gets; thread update ` +
      `<= ${THREAD_UPDATE_OPERATIONS.rest} (REST) or ${THREAD_UPDATE_OPERATIONS.binding} (bindings)`,
    check: checkSaveMessages,
  },
  noTableScan: {
    name: 'no-table-scan',
    formula: 'no list of a whole table or index for a question about one owner',
    check: ({ counts, keyPrefix }) => [
      {
        rule: 'whole-table lists',
        limit: 0,
        actual: countWholeTableLists(counts.listCalls, keyPrefix),
      },
    ],
  },
  flat: {
    name: 'flat',
    formula: `KV operations at the largest scale <= ceil(${FLAT_RATIO_MAX} x the smallest scale's)`,
    checkAcrossScales: (totals) => [
      {
        rule: 'KV operations at the largest scale',
        limit: Math.ceil(FLAT_RATIO_MAX * (totals[0] ?? 0)),
        actual: totals.at(-1) ?? 0,
      },
    ],
  },
} satisfies Record<string, Budget>;

/** The budgets each step is held to, by step name. A step missing here has none. */
export const STEP_BUDGETS: Readonly<Record<string, readonly Budget[]>> = {
  'seed-threads': [BUDGETS.noTableScan],
  'grow-thread': [BUDGETS.saveMessages, BUDGETS.noTableScan],
  'save-batch': [BUDGETS.saveMessages, BUDGETS.noTableScan, BUDGETS.flat],
  'equal-timestamps': [BUDGETS.noTableScan, BUDGETS.flat],
  'last-10': [BUDGETS.lastMessages, BUDGETS.noTableScan, BUDGETS.flat],
  'last-100': [BUDGETS.lastMessages, BUDGETS.noTableScan, BUDGETS.flat],
  'include-context': [BUDGETS.noTableScan, BUDGETS.flat],
  'threads-first-page': [BUDGETS.threadsPage, BUDGETS.noTableScan, BUDGETS.flat],
  'threads-all-pages': [BUDGETS.threadsPage, BUDGETS.noTableScan],
  'update-message': [BUDGETS.noTableScan, BUDGETS.flat],
  'update-thread': [BUDGETS.noTableScan, BUDGETS.flat],
  'delete-messages': [BUDGETS.noTableScan, BUDGETS.flat],
  'delete-thread': [BUDGETS.noTableScan, BUDGETS.flat],
  'persist-snapshots': [BUDGETS.noTableScan],
  'load-snapshot': [BUDGETS.noTableScan, BUDGETS.flat],
  'list-runs': [BUDGETS.noTableScan, BUDGETS.flat],
  'get-run': [BUDGETS.noTableScan, BUDGETS.flat],
  'save-scores': [BUDGETS.noTableScan],
  'list-scores': [BUDGETS.noTableScan, BUDGETS.flat],
  'save-traces': [BUDGETS.noTableScan],
  'get-trace': [BUDGETS.noTableScan, BUDGETS.flat],
  'list-traces': [BUDGETS.flat],
};

export function budgetsForStep(stepName: string): readonly Budget[] {
  return STEP_BUDGETS[stepName] ?? [];
}

function checkSaveMessages({ counts, params, kind }: BudgetInput): BudgetRule[] {
  const batchSize = param(params, 'B');
  const batches = param(params, 'batches');
  const messages = counts.byTable[TABLE_MESSAGES];
  const threads = counts.byTable[TABLE_THREADS];
  const rules: BudgetRule[] = [
    {
      rule: 'messages bulk gets',
      limit: batches * bulkGets(batchSize),
      actual: messages?.bulkGet ?? 0,
    },
    {
      rule: 'thread update',
      limit: batches * THREAD_UPDATE_OPERATIONS[kind],
      actual: threads?.total ?? 0,
    },
  ];

  if (kind === 'rest') {
    const pairsPerBatch = (counts.writtenKeysByTable[TABLE_MESSAGES] ?? 0) / batches;
    rules.push({
      rule: 'messages bulk writes',
      limit: batches * Math.ceil(pairsPerBatch / MAX_BULK_WRITE_PAIRS),
      actual: (messages?.bulkWrite ?? 0) + (messages?.put ?? 0),
    });
    return rules;
  }

  rules.push(
    {
      rule: 'messages puts',
      limit: batches * batchSize * (1 + INDEX_KEYS_PER_MESSAGE),
      actual: messages?.put ?? 0,
    },
    { rule: 'calls in flight', limit: DEFAULT_MAX_CONCURRENCY, actual: counts.maxInFlight ?? 0 },
  );
  return rules;
}

function bulkGets(keys: number): number {
  return Math.ceil(keys / MAX_BULK_GET_KEYS);
}

function param(params: StepParams, name: string): number {
  const value = params[name];
  if (value === undefined) throw new Error(`The step did not report the budget parameter ${name}.`);
  return value;
}
