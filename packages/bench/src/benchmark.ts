import { describeRule, isWithinLimit } from './budget-rule.js';
import { budgetsForStep } from './budgets.js';
import type { StoreTarget } from './store-targets.js';
import { runWorkload, type RuleResult, type StepMeasurement } from './workload-runner.js';
import { WORKLOAD } from './workload.js';
import type { WorkloadBase } from './workload-sizes.js';
import type { WorkloadStep } from './workload-step.js';

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
  /** The steps to run, in order. Default: the whole workload. */
  workload?: readonly WorkloadStep[];
  /** Called before each run, for progress output. */
  onRun?(target: string, scale: number): void;
}

export async function runBenchmark(options: BenchmarkOptions): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  const workload = options.workload ?? WORKLOAD;
  for (const target of options.targets) {
    const runs: StepMeasurement[][] = [];
    for (const scale of options.scales) {
      options.onRun?.(target.name, scale);
      runs.push(await runWorkload(target, scale, { base: options.base, workload }));
    }
    results.push(summarizeTarget(target.name, workload, runs));
  }
  return results;
}

function summarizeTarget(
  target: string,
  workload: readonly WorkloadStep[],
  runs: readonly StepMeasurement[][],
): TargetResult {
  const steps = workload.map((step) => {
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
  const ratio = countRatio(smallest, largest);
  const acrossScales =
    measurements.length < 2
      ? []
      : budgets.flatMap((budget) =>
          (budget.checkAcrossScales?.(known) ?? []).map((rule) => ({
            ...rule,
            budget: budget.name,
            passed: isWithinLimit(rule),
          })),
        );
  return { step, budgets: budgets.map((budget) => budget.name), measurements, ratio, acrossScales };
}

function countRatio(smallest: number, largest: number): number {
  if (smallest > 0) return largest / smallest;
  return largest === 0 ? 1 : Infinity;
}

/** Lists every rule that failed, over every step, scale and store, with its budget and counts. */
export function failedRules(results: readonly TargetResult[]): string[] {
  const failures: string[] = [];
  for (const result of results) {
    for (const summary of result.steps) {
      for (const measurement of summary.measurements) {
        for (const rule of measurement.rules.filter((candidate) => !candidate.passed)) {
          const where = `${result.target} ${summary.step} at scale ${measurement.scale}`;
          failures.push(`${where}: budget ${rule.budget} exceeded: ${describeRule(rule)}`);
        }
      }
      for (const rule of summary.acrossScales.filter((candidate) => !candidate.passed)) {
        const where = `${result.target} ${summary.step} across scales ${scaleList(summary)}`;
        failures.push(`${where}: budget ${rule.budget} exceeded: ${describeRule(rule)}`);
      }
    }
  }
  return failures;
}

function scaleList(summary: StepSummary): string {
  return summary.measurements.map((measurement) => measurement.scale).join(', ');
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
