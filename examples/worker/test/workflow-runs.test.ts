import { rm } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { startWorker, WORKER_DIR, type RunningWorker } from '../scripts/worker-runner.js';
import { runWorkflowFlow } from '../scripts/workflow-flow.js';
import type { RunView } from '../src/workflow-routes.js';
import { randomPrefix } from './random-prefix.js';

interface RunResponse {
  runId: string;
  status: string;
  result: unknown;
}

interface RunList {
  runs: RunView[];
  total: number;
}

describe('miniflare: workflow runs', () => {
  const prefix = randomPrefix();
  const persistDir = path.join(WORKER_DIR, '.demo-state', `workflow-${prefix.slice(0, -1)}`);
  const options = { persistDir, vars: { KV_KEY_PREFIX: prefix } };
  let worker: RunningWorker | undefined;

  beforeAll(async () => {
    worker = await startWorker(inject('workerBundle'), options);
  });

  afterAll(async () => {
    await worker?.dispose();
    await rm(persistDir, { recursive: true, force: true });
  });

  function running(): RunningWorker {
    if (worker === undefined) throw new Error('The Worker is used outside a test.');
    return worker;
  }

  async function listRuns(query: string): Promise<RunList> {
    const response = await running().fetch(`/workflows/approval/runs${query}`);
    expect(response.status).toBe(200);
    return response.body as RunList;
  }

  it('resume: continues a suspended run after a restart', async () => {
    const started = await running().fetch('/workflows/approval/runs', {
      method: 'POST',
      body: { topic: 'KV snapshots', resourceId: 'team:a/b' },
    });
    const { runId, status, result } = started.body as RunResponse;
    expect(started.status).toBe(201);
    expect(status).toBe('suspended');
    expect(JSON.stringify(result)).toContain('A short note about KV snapshots.');
    expect((await listRuns('?status=suspended')).runs.map((run) => run.runId)).toEqual([runId]);

    await running().dispose();
    worker = undefined;
    worker = await startWorker(inject('workerBundle'), options);
    const resumed = await running().fetch(`/workflows/approval/runs/${runId}/resume`, {
      method: 'POST',
      body: { approved: true, reviewer: 'ada' },
    });

    expect(resumed.status).toBe(200);
    expect(resumed.body).toEqual({
      runId,
      status: 'success',
      result: { draft: 'A short note about KV snapshots.', approved: true, reviewer: 'ada' },
    });
    const all = await listRuns('');
    expect(all.total).toBe(1);
    expect(all.runs[0]).toMatchObject({ runId, status: 'success', resourceId: 'team:a/b' });
    const success = await listRuns(`?status=success&resourceId=${encodeURIComponent('team:a/b')}`);
    expect(success.runs.map((run) => run.runId)).toEqual([runId]);
    expect(await listRuns('?status=suspended')).toEqual({ runs: [], total: 0 });
  });

  it('resume: a finished run gives 409', async () => {
    const started = await running().fetch('/workflows/approval/runs', {
      method: 'POST',
      body: { topic: 'twice' },
    });
    const { runId } = started.body as RunResponse;
    const decision = { approved: false, reviewer: 'bob' };
    const path = `/workflows/approval/runs/${runId}/resume`;

    const first = await running().fetch(path, { method: 'POST', body: decision });
    const second = await running().fetch(path, { method: 'POST', body: decision });

    expect(first.body).toMatchObject({ status: 'success' });
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
  });

  it('resume: unknown run gives 404', async () => {
    const response = await running().fetch('/workflows/approval/runs/no-such-run/resume', {
      method: 'POST',
      body: { approved: true, reviewer: 'ada' },
    });

    expect(response.status).toBe(404);
  });

  it('POST /workflows/approval/runs: missing topic gives 400', async () => {
    const response = await running().fetch('/workflows/approval/runs', {
      method: 'POST',
      body: {},
    });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: expect.stringMatching(/^topic: /) });
  });

  it.each(['?status=done', '?perPage=0', '?perPage=101', '?page=-1'])(
    'GET /workflows/approval/runs: %s gives 400',
    async (query) => {
      const response = await running().fetch(`/workflows/approval/runs${query}`);

      expect(response.status).toBe(400);
    },
  );

  it('GET /workflows/approval/runs: pages newest first', async () => {
    const all = await listRuns('');
    const firstPage = await listRuns('?perPage=1&page=0');
    const secondPage = await listRuns('?perPage=1&page=1');

    expect(all.total).toBeGreaterThanOrEqual(2);
    expect(firstPage.total).toBe(all.total);
    expect(firstPage.runs.map((run) => run.runId)).toEqual([all.runs[0]!.runId]);
    expect(secondPage.runs.map((run) => run.runId)).toEqual([all.runs[1]!.runId]);
  });
});

describe('miniflare: workflow demo flow', () => {
  const prefix = randomPrefix();
  const persistDir = path.join(WORKER_DIR, '.demo-state', `workflow-flow-${prefix.slice(0, -1)}`);

  afterAll(() => rm(persistDir, { recursive: true, force: true }));

  it('runWorkflowFlow: resumes after restart with no problem', async () => {
    const result = await runWorkflowFlow(inject('workerBundle'), {
      persistDir,
      vars: { KV_KEY_PREFIX: prefix },
    });

    expect(result.problems).toEqual([]);
    expect(result.listed).toMatchObject({ runId: result.runId, status: 'success' });
  });
});
