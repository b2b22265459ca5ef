import { CfkvError } from '@cfkv/core';
import { ErrorDomain } from '@mastra/core/error';
import {
  TABLE_WORKFLOW_SNAPSHOT,
  WorkflowsStorage,
  type StorageListWorkflowRunsInput,
  type UpdateWorkflowStateOptions,
  type WorkflowRun,
  type WorkflowRuns,
} from '@mastra/core/storage';
import type { StepResult, WorkflowRunState } from '@mastra/core/workflows';
import { clearTables } from '../../clear-tables.js';
import type { StoreContext } from '../../store-context.js';
import { runStoreOperation, type ErrorDetails } from '../../store-errors.js';
import { assertArguments, assertId } from '../memory/input-validation.js';
import { getRunById, listRuns } from './list-runs.js';
import { filterValuesOf, memberOf, RunIndex } from './run-index.js';
import { updateRunState, updateStepResult } from './run-updates.js';
import { persistSnapshot, removeRun } from './run-writes.js';
import { readRun, type RunRef } from './snapshot-records.js';

export interface PersistSnapshotInput {
  workflowName: string;
  runId: string;
  resourceId?: string;
  snapshot: WorkflowRunState;
  createdAt?: Date;
  updatedAt?: Date;
}

type AnyStepResult = StepResult<unknown, unknown, unknown, unknown>;

/**
 * Mastra's workflows domain over Workers KV: run snapshots (chunked past KV's 25 MiB value
 * limit), runs listed newest first through one index per filter combination, and partial
 * updates. KV has no transactions, so concurrent updates of one run are not supported and
 * `supportsConcurrentUpdates()` is false.
 */
export class CloudflareWorkflowsStorage extends WorkflowsStorage {
  readonly #context: StoreContext;
  readonly #index: RunIndex;

  constructor(context: StoreContext) {
    super();
    this.#context = context;
    this.#index = new RunIndex(context);
  }

  /**
   * False: every update reads the run, changes it and writes it back, and KV offers neither
   * transactions nor compare-and-set, so two concurrent updates of one run can lose one.
   * Mastra's default workflow engine works with this; its evented engine requires true.
   */
  override supportsConcurrentUpdates(): boolean {
    return false;
  }

  override async dangerouslyClearAll(): Promise<void> {
    await this.#run('CLEAR_WORKFLOWS', {}, () =>
      clearTables(this.#context, [TABLE_WORKFLOW_SNAPSHOT]),
    );
  }

  override async persistWorkflowSnapshot(input: PersistSnapshotInput): Promise<void> {
    await this.#run('PERSIST_WORKFLOW_SNAPSHOT', detailsOf(input), async () => {
      assertRunRef(input);
      assertOptionalId(input.resourceId, 'resourceId');
      assertSnapshot(input.snapshot);
      this.#index.assertFits(filterValuesOf(input), memberOf(input));
      await persistSnapshot(this.#context, this.#index, input);
    });
  }

  override async loadWorkflowSnapshot(args: RunRef): Promise<WorkflowRunState | null> {
    return this.#run('LOAD_WORKFLOW_SNAPSHOT', detailsOf(args), async () => {
      assertRunRef(args);
      const run = await readRun(this.#context, args);
      return run?.snapshot ?? null;
    });
  }

  override async listWorkflowRuns(args?: StorageListWorkflowRunsInput): Promise<WorkflowRuns> {
    const details = {
      workflowName: idDetail(args?.workflowName),
      resourceId: idDetail(args?.resourceId),
      status: idDetail(args?.status),
    };
    return this.#run('LIST_WORKFLOW_RUNS', details, () =>
      listRuns(this.#context, this.#index, args ?? undefined),
    );
  }

  override async getWorkflowRunById(args: {
    runId: string;
    workflowName?: string;
  }): Promise<WorkflowRun | null> {
    const details = detailsOf(args);
    return this.#run('GET_WORKFLOW_RUN_BY_ID', details, async () => {
      assertArguments(args, 'args');
      assertId(args.runId, 'runId');
      if (args.workflowName !== undefined) assertId(args.workflowName, 'workflowName');
      return getRunById(this.#context, args.runId, args.workflowName);
    });
  }

  override async deleteWorkflowRunById(args: RunRef): Promise<void> {
    await this.#run('DELETE_WORKFLOW_RUN_BY_ID', detailsOf(args), async () => {
      assertRunRef(args);
      await removeRun(this.#context, this.#index, args);
    });
  }

  override async updateWorkflowResults(args: {
    workflowName: string;
    runId: string;
    stepId: string;
    result: AnyStepResult;
    requestContext: Record<string, unknown>;
  }): Promise<Record<string, AnyStepResult>> {
    const details = { ...detailsOf(args), stepId: idDetail(args?.stepId) };
    return this.#run('UPDATE_WORKFLOW_RESULTS', details, async () => {
      assertRunRef(args);
      assertId(args.stepId, 'stepId');
      this.#index.assertFits({ workflowName: args.workflowName }, memberOf(args));
      return updateStepResult(this.#context, this.#index, args);
    });
  }

  override async updateWorkflowState(args: {
    workflowName: string;
    runId: string;
    opts: UpdateWorkflowStateOptions;
  }): Promise<WorkflowRunState | undefined> {
    const details = { ...detailsOf(args), status: idDetail(args?.opts?.status) };
    return this.#run('UPDATE_WORKFLOW_STATE', details, async () => {
      assertRunRef(args);
      assertStateOptions(args.opts);
      const status = args.opts.status;
      this.#index.assertFits({ workflowName: args.workflowName, status }, memberOf(args));
      return updateRunState(this.#context, this.#index, args, args.opts);
    });
  }

  #run<T>(name: Uppercase<string>, details: ErrorDetails, action: () => Promise<T>): Promise<T> {
    return runStoreOperation(
      { name, domain: ErrorDomain.MASTRA_WORKFLOW, details, logger: this.logger },
      action,
    );
  }
}

/** Returns the run's ids as error details, for input of any shape. */
function detailsOf(ref: Partial<RunRef> | undefined): ErrorDetails {
  return { workflowName: idDetail(ref?.workflowName), runId: idDetail(ref?.runId) };
}

function idDetail(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function assertRunRef(ref: RunRef): void {
  assertArguments(ref, 'args');
  assertId(ref.workflowName, 'workflowName');
  assertId(ref.runId, 'runId');
}

/** Rejects an optional id that is given but is not a string; null and '' count as absent. */
function assertOptionalId(value: unknown, field: string): void {
  if (value === undefined || value === null || typeof value === 'string') return;
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${field} must be a string when given, got ${JSON.stringify(value) ?? String(value)}.`,
    { field },
  );
}

function assertSnapshot(snapshot: unknown): void {
  if (typeof snapshot === 'object' && snapshot !== null && !Array.isArray(snapshot)) return;
  throw new CfkvError('INVALID_ARGUMENT', 'snapshot must be a workflow run state object.', {
    field: 'snapshot',
  });
}

function assertStateOptions(options: unknown): void {
  const status = (options as { status?: unknown } | null)?.status;
  if (typeof status === 'string' && status !== '') return;
  throw new CfkvError('INVALID_ARGUMENT', 'opts.status must be a workflow run status string.', {
    field: 'opts.status',
  });
}
