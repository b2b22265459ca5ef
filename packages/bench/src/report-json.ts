import type { TargetResult } from './benchmark.js';
import type { BundleReport } from './bundle-sizes.js';
import { BUDGETS } from './budgets.js';

/** The benchmark as JSON, without the raw list calls that only feed the budget checks. */
export function formatJsonReport(
  results: readonly TargetResult[],
  bundles: BundleReport | undefined,
  failures: readonly string[],
): string {
  const targets = results.map((result) => ({
    target: result.target,
    counted: result.counted,
    steps: result.steps.map((summary) => ({
      step: summary.step,
      budgets: summary.budgets,
      ratio: summary.ratio,
      acrossScales: summary.acrossScales,
      scales: summary.measurements.map((measurement) => ({
        scale: measurement.scale,
        status: measurement.status,
        reason: measurement.reason,
        params: measurement.params,
        kv: measurement.counts?.kv,
        kvByTable: measurement.counts?.byTable,
        httpRequests: measurement.counts?.httpRequests,
        maxInFlight: measurement.counts?.maxInFlight,
        wallMs: Math.round(measurement.wallMs),
        rules: measurement.rules,
      })),
    })),
  }));
  const budgets = Object.values(BUDGETS).map(({ name, formula }) => ({ name, formula }));
  return JSON.stringify({ targets, budgets, bundles, failures }, null, 2);
}
