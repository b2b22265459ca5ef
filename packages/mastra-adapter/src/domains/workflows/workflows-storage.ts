import { CfkvError } from '@cfkv/core';
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
import { ErrorDomain } from '@mastra/core/error';
import { deleteRun, readRun, writeRun } from './snapshot-records.js';
import { assertId } from '../memory/input-validation.js';

export interface PersistSnapshotInput {
  workflowName: string;
  runId: string;
  resourceId?: string;
  snapshot: WorkflowRunState;
  createdAt?: Date;
  updatedAt?: Date;
}

/**
 * Mastra's workflows domain over Workers KV: snapshots are persisted and loaded by workflow
 * name and run id. Listing runs and partial updates are not supported yet and reject with a
 * NOT_SUPPORTED cause.
 */
export class CloudflareWorkflowsStorage extends WorkflowsStorage {
  readonly #context: StoreContext;

  constructor(context: StoreContext) {
    super();
    this.#context = context;
  }

  override supportsConcurrentUpdates(): boolean {
    return false;
  }

  override async dangerouslyClearAll(): Promise<void> {
    await this.#run('CLEAR_WORKFLOWS', {}, () =>
      clearTables(this.#context, [TABLE_WORKFLOW_SNAPSHOT]),
    );
  }

  override async persistWorkflowSnapshot(input: PersistSnapshotInput): Promise<void> {
    const details = { workflowName: input.workflowName, runId: input.runId };
    await this.#run('PERSIST_WORKFLOW_SNAPSHOT', details, async () => {
      assertId(input.workflowName, 'workflowName');
      assertId(input.runId, 'runId');
      const existing = await readRun(this.#context, input.workflowName, input.runId);
      const now = new Date();
      await writeRun(this.#context, {
        workflowName: input.workflowName,
        runId: input.runId,
        resourceId: input.resourceId ?? existing?.resourceId,
        snapshot: input.snapshot,
        createdAt: input.createdAt ?? existing?.createdAt ?? now,
        updatedAt: input.updatedAt ?? now,
      });
    });
  }

  override async loadWorkflowSnapshot(args: {
    workflowName: string;
    runId: string;
  }): Promise<WorkflowRunState | null> {
    const details = { workflowName: args.workflowName, runId: args.runId };
    return this.#run('LOAD_WORKFLOW_SNAPSHOT', details, async () => {
      assertId(args.workflowName, 'workflowName');
      assertId(args.runId, 'runId');
      const run = await readRun(this.#context, args.workflowName, args.runId);
      return run?.snapshot ?? null;
    });
  }

  override async deleteWorkflowRunById(args: {
    runId: string;
    workflowName: string;
  }): Promise<void> {
    await this.#run('DELETE_WORKFLOW_RUN_BY_ID', { ...args }, () =>
      deleteRun(this.#context, args.workflowName, args.runId),
    );
  }

  override async updateWorkflowResults(args: {
    workflowName: string;
    runId: string;
    stepId: string;
    result: StepResult<unknown, unknown, unknown, unknown>;
    requestContext: Record<string, unknown>;
  }): Promise<Record<string, StepResult<unknown, unknown, unknown, unknown>>> {
    return this.#notSupported('UPDATE_WORKFLOW_RESULTS', args.workflowName, args.runId);
  }

  override async updateWorkflowState(args: {
    workflowName: string;
    runId: string;
    opts: UpdateWorkflowStateOptions;
  }): Promise<WorkflowRunState | undefined> {
    return this.#notSupported('UPDATE_WORKFLOW_STATE', args.workflowName, args.runId);
  }

  override async listWorkflowRuns(_args?: StorageListWorkflowRunsInput): Promise<WorkflowRuns> {
    return this.#notSupported('LIST_WORKFLOW_RUNS');
  }

  override async getWorkflowRunById(args: {
    runId: string;
    workflowName?: string;
  }): Promise<WorkflowRun | null> {
    return this.#notSupported('GET_WORKFLOW_RUN_BY_ID', args.workflowName, args.runId);
  }

  #notSupported(name: Uppercase<string>, workflowName?: string, runId?: string): Promise<never> {
    const details = { workflowName: workflowName ?? null, runId: runId ?? null };
    return this.#run(name, details, async () => {
      throw new CfkvError(
        'NOT_SUPPORTED',
        `${name} is not supported by CloudflareStore yet; only workflow snapshots are stored.`,
        { operation: name },
      );
    });
  }

  #run<T>(name: Uppercase<string>, details: ErrorDetails, action: () => Promise<T>): Promise<T> {
    return runStoreOperation(
      { name, domain: ErrorDomain.MASTRA_WORKFLOW, details, logger: this.logger },
      action,
    );
  }
}
