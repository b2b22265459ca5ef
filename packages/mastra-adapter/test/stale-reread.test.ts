import { FaultTransport, randomPrefix } from '@cfkv/testing';
import type { StoragePagination } from '@mastra/core/storage';
import type { WorkflowRunState } from '@mastra/core/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareStore } from '../src/index.js';
import { makeScore } from './contract/scores-contract.js';
import { at, makeMessage, makeThread } from './contract/store-fixture.js';
import { BACKENDS, type Backend } from './reliability/reliability-fixture.js';

const ALL: StoragePagination = { page: 0, perPage: false };

function snapshotOf(status: WorkflowRunState['status']): WorkflowRunState {
  return { runId: 'r1', status, context: {}, value: {} } as unknown as WorkflowRunState;
}

for (const [name, startBackend] of BACKENDS) {
  describe(`${name}: a stale read after a write's delete`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await startBackend();
    });
    afterAll(async () => {
      await backend.dispose();
    });

    /** A store whose read of a key it has just written returns the value from before the write. */
    function openStale(keyPrefix: string): CloudflareStore {
      const transport = new FaultTransport(backend.transport, { staleReads: 1 });
      return new CloudflareStore({ transport, keyPrefix });
    }

    it('persistWorkflowSnapshot: a status move leaves no entry under the old status', async () => {
      const keyPrefix = randomPrefix('stale');
      const ref = { workflowName: 'w1', runId: 'r1' };
      const workflows = backend.openStore({ keyPrefix }).stores.workflows;
      await workflows.persistWorkflowSnapshot({ ...ref, snapshot: snapshotOf('running') });

      await openStale(keyPrefix).stores.workflows.persistWorkflowSnapshot({
        ...ref,
        snapshot: snapshotOf('success'),
      });

      expect((await workflows.listWorkflowRuns({ status: 'running' })).total).toBe(0);
      expect((await workflows.listWorkflowRuns({ status: 'success' })).total).toBe(1);
    });

    it('deleteWorkflowRunById: the deleted run stays deleted', async () => {
      const keyPrefix = randomPrefix('stale');
      const ref = { workflowName: 'w1', runId: 'r1' };
      const workflows = backend.openStore({ keyPrefix }).stores.workflows;
      await workflows.persistWorkflowSnapshot({ ...ref, snapshot: snapshotOf('running') });

      await openStale(keyPrefix).stores.workflows.deleteWorkflowRunById(ref);

      expect((await workflows.listWorkflowRuns({})).total).toBe(0);
      expect(await backend.rawKeys(keyPrefix)).toEqual([]);
    });

    it('saveScore: a move leaves no entry under the old run', async () => {
      const keyPrefix = randomPrefix('stale');
      const scores = backend.openStore({ keyPrefix }).stores.scores;
      await scores.saveScore(makeScore({ id: 's1', runId: 'run-a' }));

      await openStale(keyPrefix).stores.scores.saveScore(makeScore({ id: 's1', runId: 'run-b' }));

      const old = await scores.listScoresByRunId({ runId: 'run-a', pagination: ALL });
      expect(old.pagination.total).toBe(0);
      const moved = await scores.listScoresByRunId({ runId: 'run-b', pagination: ALL });
      expect(moved.scores.map((score) => score.id)).toEqual(['s1']);
    });

    it('updateMessages: a move leaves no order entry in the old thread', async () => {
      const keyPrefix = randomPrefix('stale');
      const memory = backend.openStore({ keyPrefix }).stores.memory;
      await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      await memory.saveThread({ thread: makeThread('t2', 'resource-1', at(0)) });
      await memory.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });

      await openStale(keyPrefix).stores.memory.updateMessages({
        messages: [{ id: 'm1', threadId: 't2' }],
      });

      const keys = await backend.rawKeys(keyPrefix);
      expect(keys.filter((key) => key.includes(':thread-order:t1:'))).toEqual([]);
      expect(keys.filter((key) => key.includes(':thread-order:t2:'))).toHaveLength(2);
    });
  });
}
