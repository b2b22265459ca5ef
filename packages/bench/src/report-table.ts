import type { StepSummary, TargetResult } from './benchmark.js';
import type { BundleReport } from './bundle-sizes.js';
import { BUDGETS } from './budgets.js';
import { formatTable } from './text-table.js';
import type { StepMeasurement } from './workload-runner.js';

/** Renders the whole benchmark as text tables. */
export function formatReport(
  results: readonly TargetResult[],
  bundles: BundleReport | undefined,
  failures: readonly string[],
): string {
  const sections = results.map(formatTarget);
  if (results.length > 1) sections.push(formatComparison(results));
  sections.push(formatBudgetLegend());
  if (bundles !== undefined) sections.push(formatBundles(bundles));
  sections.push(
    failures.length === 0
      ? 'All budgets held.'
      : `Failed (${failures.length}):\n${failures.map((failure) => `- ${failure}`).join('\n')}`,
  );
  return sections.join('\n\n');
}

function formatTarget(result: TargetResult): string {
  if (!result.counted) return formatUncountedTarget(result);

  const title = `${result.target}: KV operations by kind, HTTP requests and wall time per step`;
  const header = ['step', 'scale', 'list', 'get', 'bulk get', 'keys', 'put', 'bulk write'];
  header.push('delete', 'ops', 'http', 'ms', 'status');
  const rows = result.steps.flatMap((summary) =>
    summary.measurements.map((measurement) => measurementRow(summary.step, measurement)),
  );
  return `${title}\n${formatTable(header, rows)}\n\n${formatScaling(result)}`;
}

function formatUncountedTarget(result: TargetResult): string {
  const title = `${result.target}: wall time per step (KV operations are counted for CloudflareStore only)`;
  const rows = result.steps.flatMap((summary) =>
    summary.measurements.map((measurement) => [
      summary.step,
      String(measurement.scale),
      measurement.status === 'ok' ? measurement.wallMs.toFixed(0) : '-',
      measurement.status === 'ok' ? 'ok' : `${measurement.status}: ${measurement.reason ?? ''}`,
    ]),
  );
  return `${title}\n${formatTable(['step', 'scale', 'ms', 'status'], rows)}`;
}

function measurementRow(step: string, measurement: StepMeasurement): string[] {
  const kv = measurement.counts?.kv;
  const cells = kv
    ? [kv.list, kv.get, kv.bulkGet, kv.bulkGetKeys, kv.put, kv.bulkWrite, kv.delete, kv.total]
    : [];
  const counted = cells.length > 0 ? cells.map(String) : Array<string>(8).fill('-');
  const http = measurement.counts?.httpRequests;
  return [
    step,
    String(measurement.scale),
    ...counted,
    http === undefined ? '-' : String(http),
    measurement.status === 'ok' ? measurement.wallMs.toFixed(0) : '-',
    statusText(measurement),
  ];
}

function statusText(measurement: StepMeasurement): string {
  if (measurement.status !== 'ok') return measurement.status;
  const failed = measurement.rules.filter((rule) => !rule.passed);
  return failed.length === 0 ? 'ok' : `over budget: ${failed.map((rule) => rule.rule).join(', ')}`;
}

function formatScaling(result: TargetResult): string {
  const scales = result.steps[0]?.measurements.map((measurement) => measurement.scale) ?? [];
  const header = ['step', ...scales.map((scale) => `ops x${scale}`), 'ratio', 'budgets', 'result'];
  const rows = result.steps.map((summary) => [
    summary.step,
    ...summary.measurements.map((measurement) =>
      measurement.counts === undefined ? '-' : String(measurement.counts.kv.total),
    ),
    summary.ratio === undefined ? '-' : summary.ratio.toFixed(2),
    summary.budgets.join(', ') || '-',
    budgetResult(summary),
  ]);
  return `Scaling (ratio = operations at the largest scale / at the smallest) and budgets\n${formatTable(header, rows)}`;
}

function budgetResult(summary: StepSummary): string {
  const statuses = new Set(summary.measurements.map((measurement) => measurement.status));
  if (!statuses.has('ok')) return [...statuses].join(', ');
  const rules = [
    ...summary.measurements.flatMap((measurement) => measurement.rules),
    ...summary.acrossScales,
  ];
  if (rules.length === 0) return statuses.has('failed') ? 'step failed' : '-';
  const failed = rules.filter((rule) => !rule.passed);
  if (failed.length === 0) return 'held';
  return `FAILED ${[...new Set(failed.map((rule) => rule.budget))].join(', ')}`;
}

function formatComparison(results: readonly TargetResult[]): string {
  const header = ['step', ...results.flatMap((result) => [`${result.target} ms`, 'ops'])];
  const steps = results[0]?.steps.map((summary) => summary.step) ?? [];
  const rows = steps.map((step) => [
    step,
    ...results.flatMap((result) => {
      const largest = result.steps.find((summary) => summary.step === step)?.measurements.at(-1);
      if (largest === undefined || largest.status !== 'ok') return [largest?.status ?? '-', '-'];
      const ops = largest.counts === undefined ? '-' : String(largest.counts.kv.total);
      return [largest.wallMs.toFixed(0), ops];
    }),
  ]);
  return `Side by side at the largest scale\n${formatTable(header, rows)}`;
}

function formatBudgetLegend(): string {
  const rows = Object.values(BUDGETS).map((budget) => [budget.name, budget.formula]);
  return `Budgets\n${formatTable(['budget', 'limit'], rows, { alignRight: false })}`;
}

function formatBundles(bundles: BundleReport): string {
  const rows = bundles.packages.map((size) => [size.name, kib(size.bytes), kib(size.gzipBytes)]);
  const worker = bundles.worker;
  if (worker !== undefined) {
    rows.unshift([
      `${worker.name} (Worker, ${worker.file})`,
      kib(worker.bytes),
      kib(worker.gzipBytes),
    ]);
  }
  const lines = [formatTable(['build', 'KiB', 'gzip KiB'], rows)];
  if (worker?.wranglerUploadKiB !== undefined) {
    lines.push(
      `wrangler deploy --dry-run: total upload ${worker.wranglerUploadKiB} KiB, ` +
        `gzip ${worker.wranglerGzipKiB} KiB`,
    );
  }
  lines.push(restClientLine(bundles));
  return `Bundle sizes (gzip KiB from node:zlib, each file on its own)\n${lines.join('\n')}`;
}

function restClientLine(bundles: BundleReport): string {
  const markers = bundles.restClientMarkersInWorker;
  if (markers === undefined) {
    return `Worker bundle not measured: ${bundles.workerError ?? 'unknown reason'}`;
  }
  const verdict = markers.length === 0 ? 'absent' : `PRESENT (${markers.join(', ')})`;
  return `REST client in the bindings-mode Worker bundle: ${verdict}`;
}

function kib(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}
