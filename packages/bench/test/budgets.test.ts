import type { TransportEvent } from '@cfkv/core';
import { TABLE_MESSAGES, TABLE_THREADS } from '@mastra/core/storage';
import { describe, expect, it } from 'vitest';
import { describeRule, isWithinLimit, type BudgetRule } from '../src/budget-rule.js';
import { BUDGETS, type Budget } from '../src/budgets.js';
import type { TransportKind } from '../src/kv-operations.js';
import { countStep, type StepCounts } from '../src/operation-probe.js';
import type { StepParams } from '../src/workload-step.js';

const KEY_PREFIX = 'bench';

function counts(events: TransportEvent[], kind: TransportKind, maxInFlight?: number): StepCounts {
  return countStep(events, kind, { listCalls: [], httpRequests: undefined, maxInFlight });
}

function failedRules(
  budget: Budget,
  stepCounts: StepCounts,
  params: StepParams,
  kind: TransportKind = 'binding',
): string[] {
  const rules = budget.check!({ counts: stepCounts, params, kind, keyPrefix: KEY_PREFIX });
  return rules.filter((rule) => !isWithinLimit(rule)).map((rule) => rule.rule);
}

function event(
  operation: TransportEvent['operation'],
  table: string,
  keyCount = 1,
): TransportEvent {
  return { operation, table, keyCount };
}

/** The thread update of one save over REST: read, record write, index move. */
const REST_THREAD_UPDATE = [
  event('get', TABLE_THREADS),
  event('put', TABLE_THREADS),
  event('putMany', TABLE_THREADS, 2),
  event('deleteMany', TABLE_THREADS, 2),
];

describe('budget: last-n', () => {
  it('last-n: holds one list and one bulk get for N 100', () => {
    const stepCounts = counts(
      [event('list', TABLE_MESSAGES, 0), event('getMany', TABLE_MESSAGES, 100)],
      'binding',
    );
    expect(failedRules(BUDGETS.lastMessages, stepCounts, { N: 100 })).toEqual([]);
  });

  it('last-n: fails four operations besides bulk gets', () => {
    const stepCounts = counts(
      [
        event('list', TABLE_MESSAGES, 0),
        event('list', TABLE_MESSAGES, 0),
        event('get', TABLE_THREADS),
        event('get', TABLE_THREADS),
        event('getMany', TABLE_MESSAGES, 10),
      ],
      'binding',
    );
    expect(failedRules(BUDGETS.lastMessages, stepCounts, { N: 10 })).toEqual([
      'KV operations',
      'KV operations besides bulk gets',
    ]);
  });

  it('last-n: fails four bulk gets besides the three allowed operations', () => {
    const bulkGets = Array.from({ length: 5 }, () => event('getMany', TABLE_MESSAGES, 20));
    const stepCounts = counts(bulkGets, 'binding');
    expect(failedRules(BUDGETS.lastMessages, stepCounts, { N: 100 })).toEqual(['KV operations']);
  });
});

describe('budget: threads-page', () => {
  const page = [
    event('list', TABLE_THREADS, 0),
    event('list', TABLE_THREADS, 0),
    event('getMany', TABLE_THREADS, 20),
  ];

  it('threads-page: holds two lists and one bulk get a page', () => {
    expect(failedRules(BUDGETS.threadsPage, counts(page, 'rest'), { P: 20, pages: 1 })).toEqual([]);
  });

  it('threads-page: fails a third list', () => {
    const stepCounts = counts([...page, event('list', TABLE_THREADS, 0)], 'rest');
    expect(failedRules(BUDGETS.threadsPage, stepCounts, { P: 20, pages: 1 })).toEqual(['list']);
  });

  it('threads-page: fails single gets of thread records', () => {
    const stepCounts = counts([...page, event('get', TABLE_THREADS)], 'rest');
    expect(failedRules(BUDGETS.threadsPage, stepCounts, { P: 20, pages: 1 })).toEqual([
      'other operations',
    ]);
  });

  it('threads-page: scales its limits with the pages read', () => {
    const stepCounts = counts([...page, ...page, ...page], 'rest');
    expect(failedRules(BUDGETS.threadsPage, stepCounts, { P: 20, pages: 3 })).toEqual([]);
    expect(failedRules(BUDGETS.threadsPage, stepCounts, { P: 20, pages: 2 })).toEqual([
      'list',
      'bulk gets',
    ]);
  });
});

describe('budget: save-messages', () => {
  const params = { B: 100, batches: 1 };
  const readExisting = event('getMany', TABLE_MESSAGES, 100);

  it('save-messages: holds one REST bulk write of 300 pairs', () => {
    const events = [readExisting, event('putMany', TABLE_MESSAGES, 300), ...REST_THREAD_UPDATE];
    expect(failedRules(BUDGETS.saveMessages, counts(events, 'rest'), params, 'rest')).toEqual([]);
  });

  it('save-messages: fails two REST bulk writes for one batch', () => {
    const events = [
      readExisting,
      event('putMany', TABLE_MESSAGES, 100),
      event('putMany', TABLE_MESSAGES, 200),
      ...REST_THREAD_UPDATE,
    ];
    expect(failedRules(BUDGETS.saveMessages, counts(events, 'rest'), params, 'rest')).toEqual([
      'bulk writes',
    ]);
  });

  it('save-messages: counts writes to every table but threads', () => {
    const events = [
      readExisting,
      event('putMany', TABLE_MESSAGES, 299),
      event('put', 'mastra_resources'),
      ...REST_THREAD_UPDATE,
    ];
    expect(failedRules(BUDGETS.saveMessages, counts(events, 'rest'), params, 'rest')).toEqual([
      'bulk writes',
    ]);
  });

  it('save-messages: fails a list of the thread during a save', () => {
    const events = [
      readExisting,
      event('list', TABLE_MESSAGES, 0),
      event('putMany', TABLE_MESSAGES, 300),
      ...REST_THREAD_UPDATE,
    ];
    expect(failedRules(BUDGETS.saveMessages, counts(events, 'rest'), params, 'rest')).toEqual([
      'other message operations',
    ]);
  });

  it('save-messages: fails a thread update over four REST operations', () => {
    const events = [
      readExisting,
      event('putMany', TABLE_MESSAGES, 300),
      ...REST_THREAD_UPDATE,
      event('get', TABLE_THREADS),
    ];
    expect(failedRules(BUDGETS.saveMessages, counts(events, 'rest'), params, 'rest')).toEqual([
      'thread update',
    ]);
  });

  it('save-messages: holds 300 binding puts with six in flight', () => {
    const events = [readExisting, event('putMany', TABLE_MESSAGES, 300)];
    expect(failedRules(BUDGETS.saveMessages, counts(events, 'binding', 6), params)).toEqual([]);
  });

  it('save-messages: fails binding puts issued one at a time', () => {
    const events = [readExisting, event('putMany', TABLE_MESSAGES, 300)];
    expect(failedRules(BUDGETS.saveMessages, counts(events, 'binding', 1), params)).toEqual([
      'calls in flight',
    ]);
  });

  it('save-messages: fails seven binding calls in flight', () => {
    const events = [readExisting, event('putMany', TABLE_MESSAGES, 300)];
    expect(failedRules(BUDGETS.saveMessages, counts(events, 'binding', 7), params)).toEqual([
      'calls in flight',
    ]);
  });

  it('save-messages: fails a fourth key a message', () => {
    const events = [readExisting, event('putMany', TABLE_MESSAGES, 400)];
    expect(failedRules(BUDGETS.saveMessages, counts(events, 'binding', 6), params)).toEqual([
      'keys written',
    ]);
  });
});

describe('budget: include-window', () => {
  const target = event('getMany', TABLE_MESSAGES, 1);
  const window = event('getMany', TABLE_MESSAGES, 11);
  const list = event('list', TABLE_MESSAGES, 0);

  it('include-window: holds the newest page and two buckets a side', () => {
    const events = [target, list, list, list, list, list, window];
    expect(failedRules(BUDGETS.includeWindow, counts(events, 'rest'), { K: 5 })).toEqual([]);
  });

  it('include-window: fails a listing that pages through the thread', () => {
    const events = [target, ...Array.from({ length: 6 }, () => list), window];
    expect(failedRules(BUDGETS.includeWindow, counts(events, 'rest'), { K: 5 })).toEqual(['list']);
  });

  it('include-window: allows a bulk get per 100 messages of a wide window', () => {
    const wide = [target, list, ...Array.from({ length: 3 }, () => window)];
    expect(failedRules(BUDGETS.includeWindow, counts(wide, 'rest'), { K: 100 })).toEqual([]);
    expect(failedRules(BUDGETS.includeWindow, counts(wide, 'rest'), { K: 5 })).toEqual([
      'bulk gets',
    ]);
  });

  it('include-window: fails a get per message of the window', () => {
    const events = [
      target,
      list,
      ...Array.from({ length: 11 }, () => event('get', TABLE_MESSAGES)),
    ];
    expect(failedRules(BUDGETS.includeWindow, counts(events, 'binding'), { K: 5 })).toEqual([
      'other operations',
    ]);
  });
});

describe('budget: across scales', () => {
  function acrossScales(budget: Budget, totals: number[]): BudgetRule {
    const [rule] = budget.checkAcrossScales!(totals);
    return rule!;
  }

  it('flat: allows one more operation on a small read', () => {
    expect(isWithinLimit(acrossScales(BUDGETS.flat, [2, 2, 3]))).toBe(true);
  });

  it('flat: fails a read that doubles', () => {
    const rule = acrossScales(BUDGETS.flat, [11, 21]);
    expect(isWithinLimit(rule)).toBe(false);
    expect(describeRule(rule)).toBe('KV operations at the largest scale 21, at most 14');
  });
});

describe('budget: rules', () => {
  it('isWithinLimit: reads a minimum rule as a lower bound', () => {
    const rule: BudgetRule = { rule: 'calls in flight', limit: 2, actual: 1, bound: 'min' };
    expect(isWithinLimit(rule)).toBe(false);
    expect(isWithinLimit({ ...rule, actual: 2 })).toBe(true);
    expect(describeRule(rule)).toBe('calls in flight 1, at least 2');
  });
});
