import { describe, expect, it } from 'vitest';
import type { WorkflowRunState } from '@mastra/core/workflows';
import { BindingTransport } from '@cfkv/binding';
import { createMiniflareKv, FaultTransport, randomPrefix } from '@cfkv/testing';
import { CloudflareStore, STORE_TABLES } from '../src/index.js';

type Counts = FaultTransport['counters']['byOperation'];

function snapshotOf(runId: string, status: WorkflowRunState['status']): WorkflowRunState {
  return { runId, status, value: {}, context: {} } as unknown as WorkflowRunState;
}

/** Counts the transport calls of one store call by operation, leaving out operations with none. */
async function countCalls(faults: FaultTransport, call: () => Promise<unknown>) {
  faults.resetCounters();
  await call();
  const counts = faults.counters.byOperation;
  return Object.fromEntries(
    Object.entries(counts).filter(([, count]) => count > 0),
  ) as Partial<Counts>;
}

describe('binding: workflows operation counts', () => {
  it('each call: makes a fixed number of transport calls', async () => {
    const kv = await createMiniflareKv(STORE_TABLES);
    const faults = new FaultTransport(new BindingTransport({ namespaces: kv.namespaces }));
    const store = new CloudflareStore({ transport: faults, keyPrefix: randomPrefix('ops') });
    const workflows = store.stores.workflows;
    const ref = { workflowName: 'wf', runId: 'r' };
    const persist = (status: WorkflowRunState['status']) =>
      workflows.persistWorkflowSnapshot({
        ...ref,
        resourceId: 'u1',
        snapshot: snapshotOf('r', status),
      });
    try {
      for (let index = 0; index < 30; index += 1) {
        await workflows.persistWorkflowSnapshot({
          workflowName: 'wf',
          runId: `other-${index}`,
          snapshot: snapshotOf(`other-${index}`, 'success'),
        });
      }

      // A new run also reads and writes its lookup key, so a retry of a failed first save
      // finds the index entries it wrote.
      expect(await countCalls(faults, () => persist('running'))).toEqual({
        get: 3,
        putMany: 1,
        put: 2,
      });
      expect(await countCalls(faults, () => persist('running'))).toEqual({ get: 2, put: 1 });
      expect(await countCalls(faults, () => persist('suspended'))).toEqual({
        get: 3,
        putMany: 1,
        put: 1,
        deleteMany: 1,
      });
      expect(await countCalls(faults, () => workflows.loadWorkflowSnapshot(ref))).toEqual({
        get: 1,
      });
      expect(await countCalls(faults, () => workflows.getWorkflowRunById(ref))).toEqual({
        get: 1,
      });
      expect(await countCalls(faults, () => workflows.getWorkflowRunById({ runId: 'r' }))).toEqual({
        list: 1,
        getMany: 1,
      });
      expect(
        await countCalls(faults, () =>
          workflows.listWorkflowRuns({ workflowName: 'wf', page: 1, perPage: 10 }),
        ),
      ).toEqual({ list: 1, getMany: 1 });
      expect(
        await countCalls(faults, () =>
          workflows.updateWorkflowState({ ...ref, opts: { status: 'success' } }),
        ),
      ).toEqual({ get: 3, putMany: 1, put: 1, deleteMany: 1 });
      expect(
        await countCalls(faults, () =>
          workflows.updateWorkflowResults({
            ...ref,
            stepId: 's',
            result: { status: 'success', output: 1 } as never,
            requestContext: {},
          }),
        ),
      ).toEqual({ get: 2, put: 1 });
      expect(await countCalls(faults, () => workflows.deleteWorkflowRunById(ref))).toEqual({
        get: 2,
        deleteMany: 1,
        delete: 1,
        list: 1,
      });
    } finally {
      await kv.dispose();
    }
  });
});
