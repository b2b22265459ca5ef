import { DEFAULT_MAX_CONCURRENCY } from '@cfkv/binding';
import { MAX_BULK_GET_KEYS, MAX_BULK_WRITE_PAIRS } from '@cfkv/core';
import type { BudgetRule } from './budget-rule.js';
import type { TransportKind } from './kv-operations.js';
import type { StepCounts } from './operation-probe.js';
import {
  checkSaveMessages,
  KEYS_PER_MESSAGE,
  THREAD_UPDATE_OPERATIONS,
} from './save-messages-budget.js';
import { countWholeTableLists } from './whole-table-lists.js';
import type { StepParams } from './workload-step.js';

/** Input of a per-scale budget: one step's counts and sizes at one scale. */
export interface BudgetInput {
  counts: StepCounts;
  params: StepParams;
  kind: TransportKind;
  keyPrefix: string;
}

export interface Budget {
  name: string;
  /** The budget as printed in the README and the JSON report. */
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

/** Operations of a last-N read besides its bulk gets: the index list and thread lookups. */
const LAST_N_OTHER_OPERATIONS = 3;

/**
 * List calls of one include window. The thread's newest page comes first. A message deeper than
 * that adds a bucket on each side, and a side that falls short adds the oldest page and the next
 * bucket.
 */
const INCLUDE_WINDOW_LISTS = 5;

/** A thread is read as its record and its updatedAt stamp. */
const KEYS_PER_THREAD = 2;

/** List pages per page of threads: the resource's index, plus one when a page crosses a boundary. */
const THREAD_PAGE_LISTS = 2;

export const BUDGETS = {
  lastMessages: {
    name: 'last-n',
    formula: `KV operations <= ${LAST_N_OTHER_OPERATIONS} + ceil(N / 100) bulk gets`,
    check: ({ counts, params }) => [
      {
        rule: 'KV operations',
        limit: LAST_N_OTHER_OPERATIONS + bulkGets(param(params, 'N')),
        actual: counts.kv.total,
      },
      {
        rule: 'KV operations besides bulk gets',
        limit: LAST_N_OTHER_OPERATIONS,
        actual: counts.kv.total - counts.kv.bulkGet,
      },
    ],
  },
  threadsPage: {
    name: 'threads-page',
    formula: `per page of P threads: <= ${THREAD_PAGE_LISTS} lists + ceil(2P / 100) bulk gets`,
    check: ({ counts, params }) => {
      const pages = param(params, 'pages');
      const { kv } = counts;
      return [
        { rule: 'list', limit: THREAD_PAGE_LISTS * pages, actual: kv.list },
        {
          rule: 'bulk gets',
          limit: pages * bulkGets(KEYS_PER_THREAD * param(params, 'P')),
          actual: kv.bulkGet,
        },
        {
          rule: 'other operations',
          limit: 0,
          actual: kv.get + kv.put + kv.bulkWrite + kv.delete,
        },
      ];
    },
  },
  saveMessages: {
    name: 'save-messages',
    formula:
      `per batch of B: REST 1 bulk write per ${MAX_BULK_WRITE_PAIRS} pairs; bindings ` +
      `<= ${KEYS_PER_MESSAGE}B puts, 2 to ${DEFAULT_MAX_CONCURRENCY} in flight; ` +
      `ceil(B / ${MAX_BULK_GET_KEYS}) bulk gets; thread update <= ` +
      `${THREAD_UPDATE_OPERATIONS.rest} (REST) or ${THREAD_UPDATE_OPERATIONS.binding} (bindings)`,
    check: ({ counts, params, kind }) =>
      checkSaveMessages(counts, kind, {
        batchSize: param(params, 'B'),
        batches: param(params, 'batches'),
      }),
  },
  includeWindow: {
    name: 'include-window',
    formula:
      `per included message: <= ${INCLUDE_WINDOW_LISTS} lists + 1 bulk get of the message + ` +
      'ceil((2K + 1) / 100) bulk gets of its window, at any thread length',
    check: ({ counts, params }) => {
      const { kv } = counts;
      const windowBulkGets = bulkGets(2 * param(params, 'K') + 1);
      return [
        { rule: 'list', limit: INCLUDE_WINDOW_LISTS, actual: kv.list },
        { rule: 'bulk gets', limit: 1 + windowBulkGets, actual: kv.bulkGet },
        {
          rule: 'other operations',
          limit: 0,
          actual: kv.get + kv.put + kv.bulkWrite + kv.delete,
        },
      ];
    },
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
  'include-context': [BUDGETS.includeWindow, BUDGETS.noTableScan],
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

function bulkGets(keys: number): number {
  return Math.ceil(keys / MAX_BULK_GET_KEYS);
}

function param(params: StepParams, name: string): number {
  const value = params[name];
  if (value === undefined) throw new Error(`The step did not report the budget parameter ${name}.`);
  return value;
}
