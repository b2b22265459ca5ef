import { isWithinLimit, type BudgetRule } from './budget-rule.js';
import { budgetsForStep } from './budgets.js';
import { isNotSupported } from './not-supported.js';
import type { StepCounts } from './operation-probe.js';
import type { OpenedStore, StoreTarget } from './store-targets.js';
import { WORKLOAD } from './workload.js';
import { sizesForScale, type WorkloadBase } from './workload-sizes.js';
import { createWorkloadState, openWorkloadDomains, type WorkloadState } from './workload-state.js';
import type { StepParams, WorkloadStep } from './workload-step.js';

export type StepStatus = 'ok' | 'not supported' | 'skipped' | 'failed';

/** A budget rule checked on one step, with the budget it belongs to. */
export interface RuleResult extends BudgetRule {
  budget: string;
  passed: boolean;
}

/** One step at one scale on one store. */
export interface StepMeasurement {
  step: string;
  scale: number;
  status: StepStatus;
  /** Reason the step failed or was skipped. */
  reason?: string;
  params?: StepParams;
  /** Undefined for a store whose KV operations are not counted. */
  counts?: StepCounts;
  wallMs: number;
  rules: RuleResult[];
}

export interface WorkloadOptions {
  base?: WorkloadBase;
  /** Default: the whole workload. */
  workload?: readonly WorkloadStep[];
}

/** Runs the steps of the workload in order on a fresh store of `target` at one scale. */
export async function runWorkload(
  target: StoreTarget,
  scale: number,
  { base, workload = WORKLOAD }: WorkloadOptions = {},
): Promise<StepMeasurement[]> {
  const opened = await target.open();
  try {
    const state = createWorkloadState(
      sizesForScale(scale, base),
      await openWorkloadDomains(opened.storage),
    );
    const measurements: StepMeasurement[] = [];
    for (const step of workload) {
      measurements.push(await runStep(step, state, opened, measurements));
    }
    return measurements;
  } finally {
    await opened.close();
  }
}

async function runStep(
  step: WorkloadStep,
  state: WorkloadState,
  opened: OpenedStore,
  earlier: readonly StepMeasurement[],
): Promise<StepMeasurement> {
  const scale = state.sizes.scale;
  const blocked = blockedStatus(step, state, earlier);
  if (blocked !== undefined) return { step: step.name, scale, ...blocked, wallMs: 0, rules: [] };

  opened.probe?.reset();
  const started = performance.now();
  try {
    const params = await step.run(state);
    const wallMs = performance.now() - started;
    const counts = opened.probe?.read();
    const rules = counts === undefined ? [] : checkStep(step, params, counts, opened);
    return { step: step.name, scale, status: 'ok', params, counts, wallMs, rules };
  } catch (error) {
    const wallMs = performance.now() - started;
    const status = isNotSupported(error) ? 'not supported' : 'failed';
    return { step: step.name, scale, status, reason: describeError(error), wallMs, rules: [] };
  }
}

function blockedStatus(
  step: WorkloadStep,
  state: WorkloadState,
  earlier: readonly StepMeasurement[],
): Pick<StepMeasurement, 'status' | 'reason'> | undefined {
  if (state.domains[step.domain] === undefined) {
    return { status: 'not supported', reason: `the store has no ${step.domain} domain` };
  }
  if (step.requires === undefined) return undefined;

  const required = earlier.find((measurement) => measurement.step === step.requires);
  if (required === undefined || required.status === 'ok') return undefined;
  const status = required.status === 'not supported' ? 'not supported' : 'skipped';
  return { status, reason: `${step.requires} did not run (${required.status})` };
}

function checkStep(
  step: WorkloadStep,
  params: StepParams,
  counts: StepCounts,
  opened: OpenedStore,
): RuleResult[] {
  const kind = opened.probe!.kind;
  return budgetsForStep(step.name).flatMap((budget) =>
    (budget.check?.({ counts, params, kind, keyPrefix: opened.keyPrefix }) ?? []).map((rule) => ({
      ...rule,
      budget: budget.name,
      passed: isWithinLimit(rule),
    })),
  );
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
