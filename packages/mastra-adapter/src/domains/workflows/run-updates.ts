import {
  createEmptyWorkflowSnapshot,
  matchesExpectedWorkflowStatus,
  mergeWorkflowStepResult,
  type UpdateWorkflowStateOptions,
} from '@mastra/core/storage';
import type { StepResult, WorkflowRunState } from '@mastra/core/workflows';
import type { StoreContext } from '../../store-context.js';
import type { RunIndex } from './run-index.js';
import { saveRun } from './run-writes.js';
import { readRun, type RunRef } from './snapshot-records.js';

type AnyStepResult = StepResult<unknown, unknown, unknown, unknown>;

export interface StepResultUpdate extends RunRef {
  stepId: string;
  result: AnyStepResult;
  requestContext: Record<string, unknown>;
}

/**
 * Merges one step's result into the stored snapshot with Mastra's merge rules and returns the
 * snapshot's step results, or `{}` for a missing run. The record is read, changed and written
 * back, and KV has no transactions, so two concurrent updates of one run can lose one of them.
 */
export async function updateStepResult(
  context: StoreContext,
  index: RunIndex,
  update: StepResultUpdate,
): Promise<Record<string, AnyStepResult>> {
  const run = await readRun(context, update);
  if (run === null) return {};

  const snapshot = run.snapshot ?? createEmptyWorkflowSnapshot(run.runId);
  const stepResults = mergeWorkflowStepResult({
    snapshot,
    stepId: update.stepId,
    result: update.result,
    requestContext: update.requestContext,
  });
  await saveRun(context, index, run, { ...run, snapshot, updatedAt: new Date() });
  return stepResults as Record<string, AnyStepResult>;
}

/**
 * Sets fields of the run's state (status, result, error, paths) and returns the new snapshot.
 * A missing run, or a run whose status is not `expectedStatus`, is left alone and returns
 * undefined. The guard is checked on the record just read, not atomically with the write,
 * because KV has no compare-and-set. A status change moves the run between status indexes.
 */
export async function updateRunState(
  context: StoreContext,
  index: RunIndex,
  ref: RunRef,
  options: UpdateWorkflowStateOptions,
): Promise<WorkflowRunState | undefined> {
  const run = await readRun(context, ref);
  if (run === null) return undefined;

  const current = run.snapshot ?? createEmptyWorkflowSnapshot(run.runId);
  const { expectedStatus, ...state } = options;
  if (!matchesExpectedWorkflowStatus(current.status, expectedStatus)) return undefined;

  const snapshot: WorkflowRunState = { ...current, ...state };
  const saved = await saveRun(context, index, run, { ...run, snapshot, updatedAt: new Date() });
  return saved.snapshot;
}
