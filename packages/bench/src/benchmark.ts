import { budgetsForStep } from './budgets.js';
import type { StoreTarget } from './store-targets.js';
import { runWorkload, type RuleResult, type StepMeasurement } from './workload-runner.js';
import { WORKLOAD } from './workload.js';
import type { WorkloadBase } from './workload-sizes.js';

/** One step across every scale on one store. */
export interface StepSummary {
  step: string;
  /** Budget names the step is held to, in table order. */
  budgets: string[];
  measurements: StepMeasurement[];
  /** KV operations at the largest scale divided by those at the smallest; undefined if uncounted. */
  ratio: number | undefined;
  /** Rules that compare scales, such as the flat budget of fixed-size reads. */
  acrossScales: RuleResult[];
}

export interface TargetResult {
  target: string;
  counted: boolean;
  steps: StepSummary[];
}

export interface BenchmarkOptions {
  targets: readonly StoreTarget[];
  /** Ascending. */
  scales: readonly number[];
  base?: WorkloadBase;
  /** Called before each run, for progress output. */
  onRun?(target: string, scale: number): void;
}

export async function runBenchmark(options: BenchmarkOptions): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  for (const target of options.targets) {
    const runs: StepMeasurement[][] = [];
    for (const scale of options.scales) {
      options.onRun?.(target.name, scale);
      runs.push(await runWorkload(target, scale, options.base));
    }
    results.push(summarizeTarget(target.name, runs));
  }
  return results;
}

function summarizeTarget(target: string, runs: readonly StepMeasurement[][]): TargetResult {
  const steps = WORKLOAD.map((step) => {
    const measurements = runs.map((run) =>
      run.find((measurement) => measurement.step === step.name)!,
    );
    return summarizeStep(step.name, measurements);
  });
  const counted = runs.some((run) => run.some((measurement) => measurement.counts !== undefined));
  return { target, counted, steps };
}

function summarizeStep(step: string, measurements: StepMeasurement[]): StepSummary {
  const budgets = budgetsForStep(step);
  const totals = measurements.map((measurement) => measurement.counts?.kv.total);
  const counted = totals.every((total) => total !== undefined) && measurements.length > 0;
  if (!counted)
    return {
      step,
      budgets: budgets.map((b) => b.name),
      measurements,
      ratio: undefined,
      acrossScales: [],
    };

  const known = totals as number[];
  const smallest = known[0]!;
  const largest = known.at(-1)!;
  const ratio = smallest === 0 ? (largest === 0 ? 1 : Infinity) : largest / smallest;
  const acrossScales =
    measurements.length < 2
      ? []
      : budgets.flatMap((budget) =>
          (budget.checkAcrossScales?.(known) ?? []).map((rule) => ({
            ...rule,
            budget: budget.name,
            passed: rule.actual <= rule.limit,
          })),
        );
  return { step, budgets: budgets.map((budget) => budget.name), measurements, ratio, acrossScales };
}

/** Every rule that failed, over every step, scale and store. */
export function failedRules(results: readonly TargetResult[]): string[] {
  const failures: string[] = [];
  for (const result of results) {
    for (const summary of result.steps) {
      for (const measurement of summary.measurements) {
        for (const rule of measurement.rules.filter((candidate) => !candidate.passed)) {
          failures.push(
            `${result.target} ${summary.step} scale ${measurement.scale}: ${rule.budget} ` +
              `${rule.rule} ${rule.actual} > ${rule.limit}`,
          );
        }
      }
      for (const rule of summary.acrossScales.filter((candidate) => !candidate.passed)) {
        failures.push(
          `${result.target} ${summary.step}: ${rule.budget} ${rule.rule} ${rule.actual} > ${rule.limit}`,
        );
      }
    }
  }
  return failures;
}

/** Steps that threw for a reason other than "not supported". */
export function failedSteps(results: readonly TargetResult[]): string[] {
  return results.flatMap((result) =>
    result.steps.flatMap((summary) =>
      summary.measurements
        .filter((measurement) => measurement.status === 'failed')
        .map(
          (measurement) =>
            `${result.target} ${summary.step} scale ${measurement.scale}: ${measurement.reason}`,
        ),
    ),
  );
}
