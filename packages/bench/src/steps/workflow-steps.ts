import type { WorkflowRunState } from '@mastra/core/workflows';
import { requireDomain, type WorkloadStep } from '../workload-step.js';
import { FIXED_SIZES } from '../workload-sizes.js';
import { nextDate } from '../workload-state.js';

const WORKFLOW_RESOURCE = 'resource-workflow';

export const persistSnapshots: WorkloadStep = {
  name: 'persist-snapshots',
  summary: 'persistWorkflowSnapshot of every run of one workflow, one call each',
  domain: 'workflows',
  async run(state) {
    const workflows = requireDomain(state, 'workflows');
    for (let run = 0; run < state.sizes.workflowRuns; run += 1) {
      const runId = `run-${String(run).padStart(6, '0')}`;
      const createdAt = nextDate(state);
      await workflows.persistWorkflowSnapshot({
        workflowName: state.workflowName,
        runId,
        resourceId: WORKFLOW_RESOURCE,
        snapshot: buildSnapshot(runId, createdAt),
        createdAt,
        updatedAt: createdAt,
      });
      state.runIds.push(runId);
    }
    return { runs: state.runIds.length };
  },
};

export const loadSnapshot: WorkloadStep = {
  name: 'load-snapshot',
  summary: 'loadWorkflowSnapshot of one run',
  domain: 'workflows',
  requires: 'persist-snapshots',
  async run(state) {
    const workflows = requireDomain(state, 'workflows');
    const runId = state.runIds[Math.floor(state.runIds.length / 2)]!;
    const snapshot = await workflows.loadWorkflowSnapshot({
      workflowName: state.workflowName,
      runId,
    });
    if (snapshot?.runId !== runId) throw new Error(`loadWorkflowSnapshot did not return ${runId}.`);
    return { runs: 1 };
  },
};

export const listRuns: WorkloadStep = {
  name: 'list-runs',
  summary: `listWorkflowRuns of one workflow, page 0 of ${FIXED_SIZES.listPerPage}`,
  domain: 'workflows',
  requires: 'persist-snapshots',
  async run(state) {
    const workflows = requireDomain(state, 'workflows');
    const result = await workflows.listWorkflowRuns({
      workflowName: state.workflowName,
      page: 0,
      perPage: FIXED_SIZES.listPerPage,
    });
    const expected = Math.min(FIXED_SIZES.listPerPage, state.runIds.length);
    if (result.runs.length !== expected) {
      throw new Error(
        `listWorkflowRuns returned ${result.runs.length} runs; expected ${expected}.`,
      );
    }
    return { P: FIXED_SIZES.listPerPage };
  },
};

export const getRun: WorkloadStep = {
  name: 'get-run',
  summary: 'getWorkflowRunById of one run',
  domain: 'workflows',
  requires: 'persist-snapshots',
  async run(state) {
    const workflows = requireDomain(state, 'workflows');
    const runId = state.runIds[0]!;
    const run = await workflows.getWorkflowRunById({ runId, workflowName: state.workflowName });
    if (run?.runId !== runId) throw new Error(`getWorkflowRunById did not return ${runId}.`);
    return { runs: 1 };
  },
};

function buildSnapshot(runId: string, createdAt: Date): WorkflowRunState {
  return {
    runId,
    status: 'success',
    value: {},
    context: { input: { question: `Input of ${runId}` } } as unknown as WorkflowRunState['context'],
    serializedStepGraph: [],
    activePaths: [],
    activeStepsPath: {},
    suspendedPaths: {},
    resumeLabels: {},
    waitingPaths: {},
    timestamp: createdAt.getTime(),
  };
}
