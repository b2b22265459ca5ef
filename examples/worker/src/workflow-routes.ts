import type { WorkflowRun } from '@mastra/core/storage';
import type { WorkflowRunState } from '@mastra/core/workflows';

import { REVIEW_STEP_ID } from './approval-workflow.js';
import type { App } from './app.js';
import { HttpError, json } from './http-error.js';
import { readJsonBody, readRunListQuery, resumeRunInput, startRunInput } from './request-input.js';

/** POST /workflows/approval/runs {topic, resourceId?}: starts a run, which suspends for review. */
export async function startApprovalRun(app: App, request: Request): Promise<Response> {
  const input = await readJsonBody(request, startRunInput);

  const run = await app.approvalWorkflow.createRun({ resourceId: input.resourceId });
  const result = await run.start({ inputData: { topic: input.topic } });
  forgetRun(app, run.runId);
  return json({ runId: run.runId, status: result.status, result: resultOf(result) }, 201);
}

/** POST /workflows/approval/runs/:runId/resume {approved, reviewer}: resumes from KV. */
export async function resumeApprovalRun(
  app: App,
  runId: string,
  request: Request,
): Promise<Response> {
  const input = await readJsonBody(request, resumeRunInput);
  await requireSuspendedRun(app, runId);

  const run = await app.approvalWorkflow.createRun({ runId });
  const result = await run.resume({ step: REVIEW_STEP_ID, resumeData: input });
  forgetRun(app, runId);
  return json({ runId, status: result.status, result: resultOf(result) });
}

/** GET /workflows/approval/runs?status=&resourceId=&page=&perPage=: the runs, newest first. */
export async function listApprovalRuns(app: App, url: URL): Promise<Response> {
  const query = readRunListQuery(url);
  const workflows = await workflowsOf(app);

  const { runs, total } = await workflows.listWorkflowRuns({
    workflowName: app.approvalWorkflow.id,
    ...query,
  });
  return json({ runs: runs.map(toRunView), total });
}

/** A workflow run as the HTTP routes return it. */
export interface RunView {
  runId: string;
  status: string;
  resourceId: string | null;
  createdAt: string;
  updatedAt: string;
}

function toRunView(run: WorkflowRun): RunView {
  const snapshot = run.snapshot as WorkflowRunState;
  return {
    runId: run.runId,
    status: snapshot.status,
    resourceId: run.resourceId ?? null,
    createdAt: new Date(run.createdAt).toISOString(),
    updatedAt: new Date(run.updatedAt).toISOString(),
  };
}

/**
 * Drops the run from the workflow's in-memory cache, where Mastra keeps a suspended run. Its
 * I/O objects belong to the request that ran it, and workerd rejects their use by any other
 * request, so the next request rebuilds the run from its snapshot in KV.
 */
function forgetRun(app: App, runId: string): void {
  app.approvalWorkflow.runs.delete(runId);
}

function resultOf(result: { status: string; result?: unknown; suspendPayload?: unknown }) {
  return result.status === 'success' ? result.result : (result.suspendPayload ?? null);
}

async function requireSuspendedRun(app: App, runId: string): Promise<void> {
  const workflows = await workflowsOf(app);
  const run = await workflows.getWorkflowRunById({ runId, workflowName: app.approvalWorkflow.id });

  if (!run) throw new HttpError(404, `run "${runId}" not found`);
  const status = (run.snapshot as WorkflowRunState).status;
  if (status !== 'suspended')
    throw new HttpError(409, `run "${runId}" is ${status}, not suspended`);
}

async function workflowsOf(app: App) {
  const workflows = await app.storage.getStore('workflows');
  if (!workflows) throw new HttpError(500, 'the storage has no workflows domain');
  return workflows;
}
