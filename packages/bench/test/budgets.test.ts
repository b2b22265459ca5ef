import { beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark, type StepSummary, type TargetResult } from '../src/benchmark.js';
import { budgetsForStep } from '../src/budgets.js';
import { bindingTarget } from '../src/store-targets.js';
import { WORKLOAD } from '../src/workload.js';
import type { WorkloadBase } from '../src/workload-sizes.js';

/** Small enough for a test run; the budget formulas hold at any size. */
const TINY_BASE: WorkloadBase = {
  resources: 2,
  threadsPerResource: 6,
  longThreadMessages: 30,
  growBatchSize: 10,
  workflowRuns: 3,
  scores: 4,
  traces: 2,
};
const SCALES = [1, 3];

describe('binding: workload budgets', () => {
  let result: TargetResult;

  beforeAll(async () => {
    [result] = (await runBenchmark({
      targets: [bindingTarget],
      scales: SCALES,
      base: TINY_BASE,
    })) as [TargetResult];
  }, 120_000);

  function summaryOf(step: string): StepSummary {
    const summary = result.steps.find((candidate) => candidate.step === step);
    if (summary === undefined) throw new Error(`No result for step ${step}.`);
    return summary;
  }

  function totalAt(step: string, scale: number): number {
    const measurement = summaryOf(step).measurements.find((entry) => entry.scale === scale);
    expect(measurement?.status, `${step} at scale ${scale}`).toBe('ok');
    return measurement!.counts!.kv.total;
  }

  for (const step of WORKLOAD) {
    const budgets = budgetsForStep(step.name);
    if (budgets.length === 0) continue;

    it(`${step.name}: stays within ${budgets.map((budget) => budget.name).join(', ')}`, (context) => {
      const summary = summaryOf(step.name);
      if (summary.measurements.every((entry) => entry.status === 'not supported')) context.skip();

      for (const measurement of summary.measurements) {
        expect(measurement.status, `scale ${measurement.scale}: ${measurement.reason}`).toBe('ok');
        for (const rule of measurement.rules) {
          const label = `scale ${measurement.scale}: ${rule.budget} ${rule.rule}`;
          expect(rule.actual, label).toBeLessThanOrEqual(rule.limit);
        }
      }
      for (const rule of summary.acrossScales) {
        expect(rule.actual, `${rule.budget} ${rule.rule}`).toBeLessThanOrEqual(rule.limit);
      }
    });
  }

  it('last-100: costs at most 3 operations plus 1 bulk get', () => {
    for (const scale of SCALES) expect(totalAt('last-100', scale)).toBeLessThanOrEqual(4);
  });

  it('threads-first-page: costs at most 2 lists plus 1 bulk get', () => {
    for (const scale of SCALES) {
      const kv = summaryOf('threads-first-page').measurements.find((m) => m.scale === scale)!
        .counts!.kv;
      expect(kv.list, `scale ${scale} lists`).toBeLessThanOrEqual(2);
      expect(kv.total, `scale ${scale} operations`).toBeLessThanOrEqual(3);
    }
  });

  it('include-context: costs the same at every thread length', () => {
    expect(totalAt('include-context', SCALES[1]!)).toBe(totalAt('include-context', SCALES[0]!));
  });

  it('save-batch: puts at most 3 keys per message', () => {
    for (const measurement of summaryOf('save-batch').measurements) {
      const puts = measurement.counts!.kv.put;
      expect(puts, `scale ${measurement.scale}`).toBeLessThanOrEqual(
        3 * measurement.params!.B! + 6,
      );
    }
  });

  it('save-batch: keeps binding calls in flight bounded', () => {
    for (const measurement of summaryOf('save-batch').measurements) {
      expect(measurement.counts!.maxInFlight, `scale ${measurement.scale}`).toBeLessThanOrEqual(6);
    }
  });
});
