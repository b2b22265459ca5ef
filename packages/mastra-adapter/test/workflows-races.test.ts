import { CfkvError, type Transport } from '@cfkv/core';
import { randomPrefix } from '@cfkv/testing';
import { TABLE_WORKFLOW_SNAPSHOT, type StorageListWorkflowRunsInput } from '@mastra/core/storage';
import type { WorkflowRunState } from '@mastra/core/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareStore } from '../src/index.js';
import { signal, withCallHooks, type CallHook } from './reliability/call-order.js';
import { failPuts } from './reliability/transport-wrappers.js';
import { BACKENDS, type Backend } from './reliability/reliability-fixture.js';

/** A hook on the snapshot table, where every call these tests hold is made. */
type SnapshotHook = Omit<CallHook, 'table'>;

function snapshotOf(status: WorkflowRunState['status'], note: string): WorkflowRunState {
  return { runId: 'r1', status, context: { note }, value: {} } as unknown as WorkflowRunState;
}

/** The filter values a run is indexed by. */
interface RunValues {
  workflowName: string;
  resourceId: string;
  status: string;
}

/** Builds every combination of the run's filter values, the empty filter included. */
function filtersOf(values: RunValues): StorageListWorkflowRunsInput[] {
  const fields = ['workflowName', 'resourceId', 'status'] as const;
  return Array.from({ length: 2 ** fields.length }, (_unused, mask) =>
    Object.fromEntries(
      fields.filter((_field, bit) => mask & (1 << bit)).map((field) => [field, values[field]]),
    ),
  );
}

const SEED = { workflowName: 'w1', runId: 'r1', resourceId: 'res-a' };

for (const [name, startBackend] of BACKENDS) {
  describe(`${name}: concurrent writes of one run`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await startBackend();
    });
    afterAll(async () => {
      await backend.dispose();
    });

    function openWorkflows(keyPrefix: string, hooks: readonly SnapshotHook[]) {
      const onSnapshots = hooks.map((hook) => ({ ...hook, table: TABLE_WORKFLOW_SNAPSHOT }));
      const transport = withCallHooks(backend.transport, onSnapshots);
      return new CloudflareStore({ transport, keyPrefix }).stores.workflows;
    }

    /** Checks that every list of the winner's values finds the run once, and by id. */
    async function expectListed(keyPrefix: string, winner: RunValues): Promise<void> {
      const workflows = backend.openStore({ keyPrefix }).stores.workflows;
      const loaded = await workflows.loadWorkflowSnapshot(SEED);
      expect(loaded?.status).toBe(winner.status);
      const byRunId = await workflows.getWorkflowRunById({ runId: 'r1' });
      expect(byRunId?.snapshot).toMatchObject({ status: winner.status });

      for (const filter of filtersOf(winner)) {
        const listed = await workflows.listWorkflowRuns(filter);
        expect(
          listed.runs.map((run) => run.runId),
          JSON.stringify(filter),
        ).toEqual(['r1']);
        expect(listed.total, JSON.stringify(filter)).toBe(1);
      }
    }

    /** Checks that lists of the loser's values do not return the run. */
    async function expectNotListed(keyPrefix: string, filters: StorageListWorkflowRunsInput[]) {
      const workflows = backend.openStore({ keyPrefix }).stores.workflows;
      for (const filter of filters) {
        const listed = await workflows.listWorkflowRuns(filter);
        expect(listed.runs, JSON.stringify(filter)).toEqual([]);
      }
    }

    /**
     * Hooks that run two writers of one stored run as: both read, the mover writes its new index
     * entries and record, the keeper writes its record, then the mover deletes the old entries.
     */
    function moveThenKeep(): { mover: SnapshotHook[]; keeper: SnapshotHook[] } {
      const keeperRead = signal();
      const moverWrote = signal();
      const keeperWrote = signal();
      return {
        mover: [
          { method: 'put', call: 1, before: keeperRead.wait, after: moverWrote.open },
          { method: 'deleteMany', call: 1, before: keeperWrote.wait },
        ],
        keeper: [
          { method: 'get', call: 1, after: keeperRead.open },
          { method: 'put', call: 1, before: moverWrote.wait, after: keeperWrote.open },
        ],
      };
    }

    it('persistWorkflowSnapshot: losing status move keeps run listed', async () => {
      const keyPrefix = randomPrefix('wf');
      const seeding = backend.openStore({ keyPrefix }).stores.workflows;
      await seeding.persistWorkflowSnapshot({ ...SEED, snapshot: snapshotOf('running', 'seed') });
      const hooks = moveThenKeep();
      const mover = openWorkflows(keyPrefix, hooks.mover);
      const keeper = openWorkflows(keyPrefix, hooks.keeper);

      await Promise.all([
        mover.persistWorkflowSnapshot({ ...SEED, snapshot: snapshotOf('suspended', 'mover') }),
        keeper.persistWorkflowSnapshot({ ...SEED, snapshot: snapshotOf('running', 'keeper') }),
      ]);

      await expectListed(keyPrefix, { workflowName: 'w1', resourceId: 'res-a', status: 'running' });
      await expectNotListed(keyPrefix, [{ status: 'suspended' }]);
    });

    it('updateWorkflowState: losing status move keeps run listed', async () => {
      const keyPrefix = randomPrefix('wf');
      const seeding = backend.openStore({ keyPrefix }).stores.workflows;
      await seeding.persistWorkflowSnapshot({ ...SEED, snapshot: snapshotOf('running', 'seed') });
      const hooks = moveThenKeep();
      const mover = openWorkflows(keyPrefix, hooks.mover);
      const keeper = openWorkflows(keyPrefix, hooks.keeper);

      await Promise.all([
        mover.updateWorkflowState({ ...SEED, opts: { status: 'suspended' } }),
        keeper.updateWorkflowResults({
          ...SEED,
          stepId: 'step-1',
          result: { status: 'success', output: 1, payload: {}, startedAt: 1, endedAt: 2 },
          requestContext: {},
        }),
      ]);

      await expectListed(keyPrefix, { workflowName: 'w1', resourceId: 'res-a', status: 'running' });
      await expectNotListed(keyPrefix, [{ status: 'suspended' }]);
    });

    it('persistWorkflowSnapshot: losing resource move keeps run listed', async () => {
      const keyPrefix = randomPrefix('wf');
      const seeding = backend.openStore({ keyPrefix }).stores.workflows;
      await seeding.persistWorkflowSnapshot({ ...SEED, snapshot: snapshotOf('running', 'seed') });
      const hooks = moveThenKeep();
      const mover = openWorkflows(keyPrefix, hooks.mover);
      const keeper = openWorkflows(keyPrefix, hooks.keeper);
      const { resourceId: _resourceId, ...withoutResource } = SEED;

      await Promise.all([
        mover.persistWorkflowSnapshot({
          ...SEED,
          resourceId: 'res-b',
          snapshot: snapshotOf('running', 'mover'),
        }),
        keeper.persistWorkflowSnapshot({
          ...withoutResource,
          snapshot: snapshotOf('running', 'keeper'),
        }),
      ]);

      await expectListed(keyPrefix, { workflowName: 'w1', resourceId: 'res-a', status: 'running' });
      await expectNotListed(keyPrefix, [{ resourceId: 'res-b' }]);
    });

    it('persistWorkflowSnapshot: losing first-save retry keeps run listed', async () => {
      const keyPrefix = randomPrefix('wf');
      const failing = new CloudflareStore({
        transport: failPuts(backend.transport, ':run:w1:r1'),
        keyPrefix,
      }).stores.workflows;
      const first = { ...SEED, snapshot: snapshotOf('running', 'first') };
      await expect(failing.persistWorkflowSnapshot(first)).rejects.toThrow();

      // Both retries find the lookup key of the failed first save. The mover deletes the
      // entries it moved after the keeper wrote them again, the mover writes its record, the
      // keeper writes its record last, and only then may the mover read the record again.
      const keeperIndexed = signal();
      const moverWrote = signal();
      const keeperWrote = signal();
      const mover = openWorkflows(keyPrefix, [
        { method: 'deleteMany', call: 1, before: keeperIndexed.wait },
        { method: 'put', call: 2, after: moverWrote.open },
        { method: 'get', call: 4, before: keeperWrote.wait },
      ]);
      const keeper = openWorkflows(keyPrefix, [
        { method: 'putMany', call: 1, after: keeperIndexed.open },
        { method: 'put', call: 2, before: moverWrote.wait, after: keeperWrote.open },
      ]);

      await Promise.all([
        mover.persistWorkflowSnapshot({ ...SEED, snapshot: snapshotOf('success', 'mover') }),
        keeper.persistWorkflowSnapshot({ ...SEED, snapshot: snapshotOf('running', 'keeper') }),
      ]);

      await expectListed(keyPrefix, { workflowName: 'w1', resourceId: 'res-a', status: 'running' });
      await expectNotListed(keyPrefix, [{ status: 'success' }]);
    });

    it('persistWorkflowSnapshot: concurrent first saves list the run once', async () => {
      const keyPrefix = randomPrefix('wf');
      // The earlier save reads, the later one reads a few milliseconds later (so its createdAt
      // and tiebreak differ), both write their entries, and the earlier save's record lands last.
      const earlierRead = signal();
      const laterRead = signal();
      const laterWrote = signal();
      const earlier = openWorkflows(keyPrefix, [
        { method: 'get', call: 2, after: earlierRead.open },
        { method: 'put', call: 1, before: laterRead.wait },
        { method: 'put', call: 2, before: laterWrote.wait },
      ]);
      const later = openWorkflows(keyPrefix, [
        { method: 'get', call: 2, after: laterRead.open },
        { method: 'put', call: 2, after: laterWrote.open },
      ]);

      const saving = earlier.persistWorkflowSnapshot({
        ...SEED,
        snapshot: snapshotOf('running', 'a'),
      });
      await earlierRead.wait();
      await new Promise((resolve) => setTimeout(resolve, 5));
      await Promise.all([
        saving,
        later.persistWorkflowSnapshot({ ...SEED, snapshot: snapshotOf('running', 'b') }),
      ]);

      await expectListed(keyPrefix, { workflowName: 'w1', resourceId: 'res-a', status: 'running' });
      const loaded = await backend
        .openStore({ keyPrefix })
        .stores.workflows.loadWorkflowSnapshot(SEED);
      expect(loaded?.context).toEqual({ note: 'a' });
    });

    it('deleteWorkflowRunById: save written after it stays listed', async () => {
      const keyPrefix = randomPrefix('wf');
      const seeding = backend.openStore({ keyPrefix }).stores.workflows;
      await seeding.persistWorkflowSnapshot({ ...SEED, snapshot: snapshotOf('running', 'seed') });

      // The saver reads the run, the deleter deletes its keys and record, the saver writes the
      // record back, and only then may the deleter read the record again.
      const saverRead = signal();
      const recordDeleted = signal();
      const saverWrote = signal();
      const deleter = openWorkflows(keyPrefix, [
        { method: 'deleteMany', call: 1, before: saverRead.wait },
        { method: 'delete', call: 1, after: recordDeleted.open },
        { method: 'get', call: 2, before: saverWrote.wait },
      ]);
      const saver = openWorkflows(keyPrefix, [
        { method: 'get', call: 1, after: saverRead.open },
        { method: 'put', call: 1, before: recordDeleted.wait, after: saverWrote.open },
      ]);

      await Promise.all([
        deleter.deleteWorkflowRunById({ workflowName: 'w1', runId: 'r1' }),
        saver.persistWorkflowSnapshot({ ...SEED, snapshot: snapshotOf('running', 'saver') }),
      ]);

      await expectListed(keyPrefix, { workflowName: 'w1', resourceId: 'res-a', status: 'running' });
    });
  });
}
