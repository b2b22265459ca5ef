import { CfkvError, type Transport } from '@cfkv/core';
import { randomPrefix } from '@cfkv/testing';
import type { WorkflowRunState } from '@mastra/core/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareStore } from '../src/index.js';
import { failPuts } from './reliability/transport-wrappers.js';
import { BACKENDS, type Backend } from './reliability/reliability-fixture.js';

function snapshotOf(runId: string, status: WorkflowRunState['status']): WorkflowRunState {
  return { runId, status, context: {}, value: {} } as unknown as WorkflowRunState;
}

for (const [name, startBackend] of BACKENDS) {
  describe(`${name}: retried first save of a run`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await startBackend();
    });
    afterAll(async () => {
      await backend.dispose();
    });

    /** Opens workflows whose first `times` writes of run w1/r1's record fail. */
    function openFailing(keyPrefix: string, times = 1) {
      const transport = failPuts(backend.transport, ':run:w1:r1', times);
      return new CloudflareStore({ transport, keyPrefix }).stores.workflows;
    }

    for (const retriedStatus of ['running', 'success'] as const) {
      it(`persistWorkflowSnapshot: a retry as ${retriedStatus} leaves no stray entry`, async () => {
        const keyPrefix = randomPrefix('wf');
        const failing = openFailing(keyPrefix);
        const first = { workflowName: 'w1', runId: 'r1', snapshot: snapshotOf('r1', 'running') };

        await expect(failing.persistWorkflowSnapshot(first)).rejects.toThrow();
        const retry = { ...first, snapshot: snapshotOf('r1', retriedStatus) };
        await failing.persistWorkflowSnapshot(retry);

        const workflows = backend.openStore({ keyPrefix }).stores.workflows;
        const listed = await workflows.listWorkflowRuns({});
        expect(listed.runs.map((run) => run.runId)).toEqual(['r1']);
        expect(listed.total).toBe(1);
        const running = await workflows.listWorkflowRuns({ status: 'running' });
        expect(running.total).toBe(retriedStatus === 'running' ? 1 : 0);
        await workflows.deleteWorkflowRunById({ workflowName: 'w1', runId: 'r1' });
        expect((await workflows.listWorkflowRuns({})).total).toBe(0);
        expect(await backend.rawKeys(keyPrefix)).toEqual([]);
      });
    }

    it('persistWorkflowSnapshot: two failed first saves leave no stray entry', async () => {
      const keyPrefix = randomPrefix('wf');
      const failing = openFailing(keyPrefix, 2);
      const attempts = [
        { status: 'running', resourceId: 'res-a' },
        { status: 'suspended', resourceId: 'res-b' },
      ] as const;

      for (const { status, resourceId } of attempts) {
        const attempt = { workflowName: 'w1', runId: 'r1', resourceId };
        await expect(
          failing.persistWorkflowSnapshot({ ...attempt, snapshot: snapshotOf('r1', status) }),
        ).rejects.toThrow();
      }
      await failing.persistWorkflowSnapshot({
        workflowName: 'w1',
        runId: 'r1',
        resourceId: 'res-c',
        snapshot: snapshotOf('r1', 'success'),
      });

      const workflows = backend.openStore({ keyPrefix }).stores.workflows;
      expect((await workflows.listWorkflowRuns({})).total).toBe(1);
      for (const { status, resourceId } of attempts) {
        expect((await workflows.listWorkflowRuns({ status })).total).toBe(0);
        expect((await workflows.listWorkflowRuns({ resourceId })).total).toBe(0);
      }
      await workflows.deleteWorkflowRunById({ workflowName: 'w1', runId: 'r1' });
      expect(await backend.rawKeys(keyPrefix)).toEqual([]);
    });

    it('deleteWorkflowRunById: removes the entries of a failed first save', async () => {
      const keyPrefix = randomPrefix('wf');
      const failing = openFailing(keyPrefix);
      const first = { workflowName: 'w1', runId: 'r1', snapshot: snapshotOf('r1', 'running') };
      await expect(failing.persistWorkflowSnapshot(first)).rejects.toThrow();

      await failing.deleteWorkflowRunById({ workflowName: 'w1', runId: 'r1' });

      const workflows = backend.openStore({ keyPrefix }).stores.workflows;
      expect((await workflows.listWorkflowRuns({})).total).toBe(0);
      expect(await backend.rawKeys(keyPrefix)).toEqual([]);
    });
  });
}
