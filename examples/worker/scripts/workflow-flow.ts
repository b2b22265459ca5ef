import { rm } from 'node:fs/promises';

import type { RunView } from '../src/workflow-routes.js';
import { startWorker, type RunningWorker, type WorkerBundle } from './worker-runner.js';

/** Options of runWorkflowFlow. */
export interface WorkflowFlowOptions {
  /** Folder for the persisted KV namespaces. It is wiped at the start. */
  persistDir: string;
  /** Variables for the Worker, such as KV_KEY_PREFIX. */
  vars?: Record<string, string>;
  /** Receives one line per step, for a script that shows progress. */
  onProgress?: (line: string) => void;
}

/** The outcome of starting an approval run, restarting the Worker and resuming the run. */
export interface WorkflowFlowResult {
  runId: string;
  /** The run as the runs list shows it after the resume. */
  listed: RunView | undefined;
  /** Every difference from the expected flow; empty when the flow passed. */
  problems: string[];
}

const TOPIC = 'Workers KV';
const DECISION = { approved: true, reviewer: 'demo-reviewer' };

/**
 * Starts an approval run, which suspends at its review step, stops the Worker, starts a fresh one
 * over the same `persistDir`, resumes the run from its KV snapshot and reads the runs list.
 */
export async function runWorkflowFlow(
  bundle: WorkerBundle,
  options: WorkflowFlowOptions,
): Promise<WorkflowFlowResult> {
  const report = options.onProgress ?? (() => {});
  await rm(options.persistDir, { recursive: true, force: true });
  const problems: string[] = [];

  const first = await startWorker(bundle, options);
  let runId: string;
  try {
    const started = await first.fetch('/workflows/approval/runs', {
      method: 'POST',
      body: { topic: TOPIC, resourceId: 'demo-resource' },
    });
    const body = started.body as { runId: string; status: string };
    runId = body.runId;
    report(`started approval run ${runId}: ${body.status}`);
    if (body.status !== 'suspended') problems.push(`start returned ${body.status}, not suspended`);
  } finally {
    await first.dispose();
  }

  report('restarting: a fresh Miniflare over the same persisted folder');
  const second = await startWorker(bundle, options);
  let listed: RunView | undefined;
  try {
    const resumed = await second.fetch(`/workflows/approval/runs/${runId}/resume`, {
      method: 'POST',
      body: DECISION,
    });
    const status = (resumed.body as { status?: string }).status;
    report(`resumed run ${runId} from its KV snapshot: ${status ?? resumed.status}`);
    if (status !== 'success') problems.push(`resume returned ${JSON.stringify(resumed.body)}`);

    listed = await findListedRun(second, runId);
    report(`runs list: ${listed ? `${listed.runId} ${listed.status}` : 'run missing'}`);
  } finally {
    await second.dispose();
  }

  if (listed?.status !== 'success') problems.push(`runs list shows ${listed?.status ?? 'no run'}`);
  return { runId, listed, problems };
}

async function findListedRun(worker: RunningWorker, runId: string): Promise<RunView | undefined> {
  const response = await worker.fetch('/workflows/approval/runs?status=success');
  const { runs } = response.body as { runs: RunView[] };
  return runs.find((run) => run.runId === runId);
}
