import { fileURLToPath } from 'node:url';
import { ErrorCategory, ErrorDomain, MastraError } from '@mastra/core/error';
import { InMemoryStore } from '@mastra/core/storage';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  failedRules,
  failedSteps,
  runBenchmark,
  type StepSummary,
  type TargetResult,
} from '../src/benchmark.js';
import { bindingTarget, moduleTarget, type StoreTarget } from '../src/store-targets.js';
import { WORKLOAD } from '../src/workload.js';
import type { WorkloadBase } from '../src/workload-sizes.js';
import type { WorkloadStep } from '../src/workload-step.js';

/** Small enough for a test run; the steps and their checks are the same at any size. */
const TINY_BASE: WorkloadBase = {
  resources: 2,
  threadsPerResource: 3,
  longThreadMessages: 12,
  growBatchSize: 6,
  workflowRuns: 2,
  scores: 4,
  traces: 2,
};

const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));

async function runOne(
  target: StoreTarget,
  scales = [1],
  workload?: readonly WorkloadStep[],
): Promise<TargetResult> {
  const [result] = await runBenchmark({ targets: [target], scales, base: TINY_BASE, workload });
  return result!;
}

/** The steps that seed and read memory, enough to exercise counting and every kind of check. */
const COUNTED_STEPS = ['seed-threads', 'grow-thread', 'last-10', 'include-context'];

function statusOf(result: TargetResult, step: string): string {
  return summaryOf(result, step).measurements[0]!.status;
}

function summaryOf(result: TargetResult, step: string): StepSummary {
  const summary = result.steps.find((candidate) => candidate.step === step);
  if (summary === undefined) throw new Error(`No result for step ${step}.`);
  return summary;
}

/** InMemoryStore with one domain changed, to drive the runner through each outcome. */
function inMemoryTarget(name: string, change: (storage: InMemoryStore) => void): StoreTarget {
  return {
    name,
    async open() {
      const storage = new InMemoryStore();
      await storage.init();
      change(storage);
      return { storage, probe: undefined, keyPrefix: '', close: async () => {} };
    },
  };
}

describe('runner: step outcomes', () => {
  it('runWorkload: runs every step on Mastra InMemoryStore', async () => {
    const result = await runOne(moduleTarget('in-memory-store.mjs', [EXAMPLES]));
    for (const step of WORKLOAD) {
      const measurement = summaryOf(result, step.name).measurements[0]!;
      expect(measurement.status, `${step.name}: ${measurement.reason}`).toBe('ok');
    }
    expect(result.counted).toBe(false);
  });

  it('runWorkload: marks the steps of a missing domain not supported', async () => {
    const target = inMemoryTarget('no scores', (storage) => {
      delete (storage.stores as Record<string, unknown>).scores;
    });
    const result = await runOne(target);
    expect(statusOf(result, 'save-scores')).toBe('not supported');
    expect(statusOf(result, 'list-scores')).toBe('not supported');
    expect(statusOf(result, 'list-runs')).toBe('ok');
    expect(failedSteps([result])).toEqual([]);
  });

  it('runWorkload: reads a NOT_IMPLEMENTED Mastra error as not supported', async () => {
    const target = inMemoryTarget('no run listing', (storage) => {
      storage.stores.workflows!.listWorkflowRuns = async () => {
        throw new MastraError({
          id: 'STORAGE_LIST_WORKFLOW_RUNS_NOT_IMPLEMENTED',
          domain: ErrorDomain.STORAGE,
          category: ErrorCategory.SYSTEM,
        });
      };
    });
    const result = await runOne(target);
    expect(statusOf(result, 'list-runs')).toBe('not supported');
    expect(failedSteps([result])).toEqual([]);
  });

  it('runWorkload: reports a failing step and skips the steps needing it', async () => {
    const target = inMemoryTarget('broken snapshots', (storage) => {
      storage.stores.workflows!.persistWorkflowSnapshot = async () => {
        throw new Error('disk full');
      };
    });
    const result = await runOne(target);
    expect(statusOf(result, 'persist-snapshots')).toBe('failed');
    expect(statusOf(result, 'list-runs')).toBe('skipped');
    expect(failedSteps([result])).toEqual([
      'broken snapshots persist-snapshots scale 1: disk full',
    ]);
  });
});

describe('binding: counted workload', () => {
  let result: TargetResult;

  beforeAll(async () => {
    const steps = WORKLOAD.filter((step) => COUNTED_STEPS.includes(step.name));
    result = await runOne(bindingTarget, [1, 2], steps);
  }, 120_000);

  it('runBenchmark: counts every step at each scale', () => {
    expect(result.steps.map((summary) => summary.step)).toEqual(COUNTED_STEPS);
    for (const summary of result.steps) {
      for (const measurement of summary.measurements) {
        const label = `${summary.step} at scale ${measurement.scale}: ${measurement.reason}`;
        expect(measurement.status, label).toBe('ok');
        expect(measurement.counts?.kv.total, label).toBeGreaterThan(0);
        expect(measurement.counts?.maxInFlight, label).toBeGreaterThan(0);
      }
    }
  });

  it('runBenchmark: checks the budgets of each step at each scale', () => {
    const lastTen = summaryOf(result, 'last-10');
    for (const measurement of lastTen.measurements) {
      const budgets = new Set(measurement.rules.map((rule) => rule.budget));
      expect([...budgets]).toEqual(['last-n', 'no-table-scan']);
    }
    expect(lastTen.acrossScales.map((rule) => rule.budget)).toEqual(['flat']);
  });

  it('runBenchmark: divides the largest scale by the smallest for the ratio', () => {
    const seed = summaryOf(result, 'seed-threads');
    const [smallest, largest] = seed.measurements.map((entry) => entry.counts!.kv.total);
    expect(seed.ratio).toBe(largest! / smallest!);
    expect(seed.ratio).toBeGreaterThan(1);
  });

  it('failedRules: lists exactly the rules that did not pass', () => {
    const failed = result.steps.flatMap((summary) => [
      ...summary.measurements.flatMap((measurement) => measurement.rules),
      ...summary.acrossScales,
    ]);
    const expected = failed.filter((rule) => !rule.passed).length;
    expect(failedRules([result])).toHaveLength(expected);
  });
});
