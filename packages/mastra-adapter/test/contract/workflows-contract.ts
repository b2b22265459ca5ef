import { describe, expect, it } from 'vitest';
import { CfkvError } from '@cfkv/core';
import { MastraError } from '@mastra/core/error';
import type { StorageListWorkflowRunsInput, WorkflowRun } from '@mastra/core/storage';
import type { StepResult, WorkflowRunState } from '@mastra/core/workflows';
import type { CloudflareStore } from '../../src/index.js';
import { at, openStore, type CreateStore } from './store-fixture.js';
import { useStoreFixture } from './use-fixture.js';

type RunStatus = WorkflowRunState['status'];

function snapshotOf(runId: string, status: RunStatus = 'running'): WorkflowRunState {
  return {
    runId,
    status,
    value: {},
    context: {},
    serializedStepGraph: [],
    activePaths: [],
    activeStepsPath: {},
    suspendedPaths: {},
    resumeLabels: {},
    waitingPaths: {},
    timestamp: 0,
  } as unknown as WorkflowRunState;
}

interface RunSeed {
  workflowName?: string;
  runId: string;
  resourceId?: string;
  status?: RunStatus;
  createdAt: Date;
}

async function persist(store: CloudflareStore, seed: RunSeed): Promise<void> {
  await store.stores.workflows.persistWorkflowSnapshot({
    workflowName: seed.workflowName ?? 'wf',
    runId: seed.runId,
    resourceId: seed.resourceId,
    snapshot: snapshotOf(seed.runId, seed.status),
    createdAt: seed.createdAt,
    updatedAt: seed.createdAt,
  });
}

function runIds(runs: readonly WorkflowRun[]): string[] {
  return runs.map((run) => run.runId);
}

/** Six runs of two workflows, two resources and three statuses, created one second apart. */
const MIXED_RUNS: readonly RunSeed[] = [
  { workflowName: 'a', runId: 'r0', resourceId: 'u1', status: 'success', createdAt: at(0) },
  { workflowName: 'b', runId: 'r1', resourceId: 'u1', status: 'running', createdAt: at(1000) },
  { workflowName: 'a', runId: 'r2', resourceId: 'u2', status: 'suspended', createdAt: at(2000) },
  { workflowName: 'a', runId: 'r3', status: 'success', createdAt: at(3000) },
  { workflowName: 'b', runId: 'r4', resourceId: 'u2', status: 'success', createdAt: at(4000) },
  { workflowName: 'a', runId: 'r5', resourceId: 'u1', status: 'success', createdAt: at(5000) },
];

/** Expected runs of MIXED_RUNS for a filter, newest first, computed from the seeds. */
function expectedIds(keep: (seed: RunSeed) => boolean): string[] {
  return MIXED_RUNS.filter(keep)
    .sort((left, right) => right.createdAt.getTime() - left.createdAt.getTime())
    .map((seed) => seed.runId);
}

async function expectUserError(attempt: Promise<unknown>, field: string): Promise<void> {
  const error = await attempt.then(() => undefined).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(MastraError);
  expect((error as MastraError).category).toBe('USER');
  expect((error as MastraError).details?.field).toBe(field);
}

/**
 * Defines the workflows contract of CloudflareStore, written once and run over every transport.
 * Each transport's test file passes a `createStore` that opens a store over fresh namespaces.
 */
export function describeWorkflowsContract(name: string, createStore: CreateStore): void {
  describe(`${name}: workflows`, () => {
    const fixture = useStoreFixture(createStore);
    const workflowsOf = () => fixture().store.stores.workflows;
    const seedMixedRuns = async () => {
      for (const seed of [...MIXED_RUNS].reverse()) await persist(fixture().store, seed);
    };

    it('supportsConcurrentUpdates: is false', () => {
      expect(workflowsOf().supportsConcurrentUpdates()).toBe(false);
    });

    it('persistWorkflowSnapshot: round-trips through loadWorkflowSnapshot', async () => {
      const workflows = workflowsOf();
      const snapshot = { ...snapshotOf('r'), value: { n: '1' } };

      await workflows.persistWorkflowSnapshot({ workflowName: 'wf:1', runId: 'r', snapshot });

      expect(await workflows.loadWorkflowSnapshot({ workflowName: 'wf:1', runId: 'r' })).toEqual(
        snapshot,
      );
      expect(await workflows.loadWorkflowSnapshot({ workflowName: 'wf', runId: '1:r' })).toBeNull();
      expect(await workflows.loadWorkflowSnapshot({ workflowName: 'wf:1', runId: 'x' })).toBeNull();
    });

    it('persistWorkflowSnapshot: keeps createdAt and resourceId on overwrite', async () => {
      const workflows = workflowsOf();
      await persist(fixture().store, { runId: 'r', resourceId: 'u1', createdAt: at(0) });

      await workflows.persistWorkflowSnapshot({
        workflowName: 'wf',
        runId: 'r',
        snapshot: snapshotOf('r', 'success'),
      });

      const run = await workflows.getWorkflowRunById({ runId: 'r', workflowName: 'wf' });
      expect(run?.createdAt).toEqual(at(0));
      expect(run?.resourceId).toBe('u1');
      expect(run?.updatedAt.getTime()).toBeGreaterThan(at(0).getTime());
      expect((run?.snapshot as WorkflowRunState).status).toBe('success');
      const listed = await workflows.listWorkflowRuns({ resourceId: 'u1', status: 'success' });
      expect(runIds(listed.runs)).toEqual(['r']);
    });

    it('listWorkflowRuns: returns every run newest first with total', async () => {
      await seedMixedRuns();

      const listed = await workflowsOf().listWorkflowRuns();

      expect(runIds(listed.runs)).toEqual(['r5', 'r4', 'r3', 'r2', 'r1', 'r0']);
      expect(listed.total).toBe(6);
      const newest = listed.runs[0]!;
      expect(newest.workflowName).toBe('a');
      expect(newest.resourceId).toBe('u1');
      expect(newest.createdAt).toEqual(at(5000));
      expect(newest.updatedAt).toEqual(at(5000));
      expect(newest.snapshot).toEqual(snapshotOf('r5', 'success'));
      expect(Object.keys(newest)).not.toContain('orderTiebreak');
    });

    it('listWorkflowRuns: returns an empty list from an empty store', async () => {
      expect(await workflowsOf().listWorkflowRuns()).toEqual({ runs: [], total: 0 });
      expect(
        await workflowsOf().listWorkflowRuns({ workflowName: 'a', page: 0, perPage: 5 }),
      ).toEqual({ runs: [], total: 0 });
    });

    it('listWorkflowRuns: filters by each field', async () => {
      await seedMixedRuns();
      const workflows = workflowsOf();

      const byName = await workflows.listWorkflowRuns({ workflowName: 'a' });
      const byResource = await workflows.listWorkflowRuns({ resourceId: 'u2' });
      const byStatus = await workflows.listWorkflowRuns({ status: 'success' });

      expect(runIds(byName.runs)).toEqual(expectedIds((seed) => seed.workflowName === 'a'));
      expect(byName.total).toBe(4);
      expect(runIds(byResource.runs)).toEqual(expectedIds((seed) => seed.resourceId === 'u2'));
      expect(byResource.total).toBe(2);
      expect(runIds(byStatus.runs)).toEqual(expectedIds((seed) => seed.status === 'success'));
      expect(byStatus.total).toBe(4);
    });

    it('listWorkflowRuns: combines filters', async () => {
      await seedMixedRuns();
      const workflows = workflowsOf();
      const cases: { input: StorageListWorkflowRunsInput; keep: (seed: RunSeed) => boolean }[] = [
        {
          input: { workflowName: 'a', status: 'success' },
          keep: (seed) => seed.workflowName === 'a' && seed.status === 'success',
        },
        {
          input: { workflowName: 'a', resourceId: 'u1' },
          keep: (seed) => seed.workflowName === 'a' && seed.resourceId === 'u1',
        },
        {
          input: { resourceId: 'u2', status: 'success' },
          keep: (seed) => seed.resourceId === 'u2' && seed.status === 'success',
        },
        {
          input: { workflowName: 'a', resourceId: 'u1', status: 'success' },
          keep: (seed) =>
            seed.workflowName === 'a' && seed.resourceId === 'u1' && seed.status === 'success',
        },
        {
          input: { workflowName: 'b', status: 'success', fromDate: at(1000), toDate: at(4000) },
          keep: (seed) => seed.workflowName === 'b' && seed.runId === 'r4',
        },
        { input: { workflowName: 'c' }, keep: () => false },
        { input: { workflowName: 'a', status: 'failed' }, keep: () => false },
      ];

      for (const { input, keep } of cases) {
        const listed = await workflows.listWorkflowRuns(input);
        expect(runIds(listed.runs), JSON.stringify(input)).toEqual(expectedIds(keep));
        expect(listed.total, JSON.stringify(input)).toBe(expectedIds(keep).length);
      }
    });

    it('listWorkflowRuns: filters createdAt by an inclusive date range', async () => {
      await seedMixedRuns();
      const workflows = workflowsOf();

      const between = await workflows.listWorkflowRuns({ fromDate: at(1000), toDate: at(3000) });
      const from = await workflows.listWorkflowRuns({ fromDate: at(4000) });
      const to = await workflows.listWorkflowRuns({ toDate: at(999) });
      const reversed = await workflows.listWorkflowRuns({ fromDate: at(3000), toDate: at(1000) });

      expect(runIds(between.runs)).toEqual(['r3', 'r2', 'r1']);
      expect(between.total).toBe(3);
      expect(runIds(from.runs)).toEqual(['r5', 'r4']);
      expect(runIds(to.runs)).toEqual(['r0']);
      expect(reversed).toEqual({ runs: [], total: 0 });
    });

    it('listWorkflowRuns: pages with page and perPage', async () => {
      await seedMixedRuns();
      const workflows = workflowsOf();
      const page = (page: number, perPage: number | false) =>
        workflows.listWorkflowRuns({ page, perPage });

      expect(runIds((await page(0, 4)).runs)).toEqual(['r5', 'r4', 'r3', 'r2']);
      expect(runIds((await page(1, 4)).runs)).toEqual(['r1', 'r0']);
      expect(await page(2, 4)).toEqual({ runs: [], total: 6 });
      expect((await page(1, 4)).total).toBe(6);
      expect(runIds((await page(5, 1)).runs)).toEqual(['r0']);
      expect(await page(0, 0)).toEqual({ runs: [], total: 6 });
      expect(runIds((await page(0, false)).runs)).toHaveLength(6);
      expect(await page(1, false)).toEqual({ runs: [], total: 6 });
      const withoutPage = await workflows.listWorkflowRuns({ perPage: 2 });
      expect(withoutPage.runs).toHaveLength(6);
    });

    it('listWorkflowRuns: pages a filtered range', async () => {
      await seedMixedRuns();

      const listed = await workflowsOf().listWorkflowRuns({
        workflowName: 'a',
        fromDate: at(0),
        toDate: at(3000),
        page: 1,
        perPage: 2,
      });

      expect(runIds(listed.runs)).toEqual(['r0']);
      expect(listed.total).toBe(3);
    });

    it('listWorkflowRuns: pages runs with equal createdAt without gaps', async () => {
      const store = fixture().store;
      for (const runId of ['e0', 'e1', 'e2', 'e3', 'e4']) {
        await persist(store, { runId, createdAt: at(0) });
      }

      const seen: string[] = [];
      for (const page of [0, 1, 2]) {
        const listed = await store.stores.workflows.listWorkflowRuns({ page, perPage: 2 });
        expect(listed.total).toBe(5);
        seen.push(...runIds(listed.runs));
      }

      expect([...seen].sort()).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    });

    it('listWorkflowRuns: reads across many list pages', async () => {
      const store = fixture().store;
      for (let index = 0; index < 12; index += 1) {
        await persist(store, { runId: `p${index}`, createdAt: at(index * 1000) });
      }
      const { store: smallPages } = openStore(fixture(), { faults: { listPageSize: 5 } });

      const listed = await smallPages.stores.workflows.listWorkflowRuns({
        workflowName: 'wf',
        fromDate: at(2000),
        page: 1,
        perPage: 4,
      });

      expect(runIds(listed.runs)).toEqual(['p7', 'p6', 'p5', 'p4']);
      expect(listed.total).toBe(10);
    });

    it('listWorkflowRuns: reads only the filtered index', async () => {
      await seedMixedRuns();
      const { store, faults } = openStore(fixture());

      const listed = await store.stores.workflows.listWorkflowRuns({
        workflowName: 'a',
        status: 'success',
        page: 0,
        perPage: 2,
      });

      expect(runIds(listed.runs)).toEqual(['r5', 'r3']);
      expect(faults.counters.byOperation.list).toBe(1);
      expect(faults.counters.byOperation.getMany).toBe(1);
      expect(faults.counters.byOperation.get).toBe(0);
    });

    it('updateWorkflowState: moves the run between status indexes', async () => {
      const store = fixture().store;
      const workflows = store.stores.workflows;
      await persist(store, { runId: 'r', resourceId: 'u1', status: 'suspended', createdAt: at(0) });

      const updated = await workflows.updateWorkflowState({
        workflowName: 'wf',
        runId: 'r',
        opts: { status: 'success', result: { status: 'success', output: 1 } as never },
      });

      expect(updated?.status).toBe('success');
      for (const filter of [{}, { workflowName: 'wf' }, { resourceId: 'u1' }]) {
        const suspended = await workflows.listWorkflowRuns({ ...filter, status: 'suspended' });
        const success = await workflows.listWorkflowRuns({ ...filter, status: 'success' });
        expect(suspended, JSON.stringify(filter)).toEqual({ runs: [], total: 0 });
        expect(runIds(success.runs), JSON.stringify(filter)).toEqual(['r']);
      }
      const keys = await fixture().rawKeys();
      expect(keys.filter((key) => key.includes('suspended'))).toEqual([]);
    });

    it('updateWorkflowState: readers skip an entry left by a failed move', async () => {
      const store = fixture().store;
      await persist(store, { runId: 'r', status: 'suspended', createdAt: at(0) });
      const failure = new CfkvError('TRANSPORT_FAILED', 'KV answered 500.', { status: 500 });
      const { store: failing } = openStore(fixture(), {
        faults: { failOn: (call) => (call.operation === 'deleteMany' ? failure : undefined) },
      });

      const updating = failing.stores.workflows.updateWorkflowState({
        workflowName: 'wf',
        runId: 'r',
        opts: { status: 'success' },
      });

      await expect(updating).rejects.toMatchObject({ category: 'SYSTEM' });
      const workflows = store.stores.workflows;
      const suspended = await workflows.listWorkflowRuns({
        workflowName: 'wf',
        status: 'suspended',
      });
      const success = await workflows.listWorkflowRuns({ workflowName: 'wf', status: 'success' });
      expect(suspended.runs).toEqual([]);
      expect(runIds(success.runs)).toEqual(['r']);
    });

    it('updateWorkflowState: applies the expectedStatus guard', async () => {
      const store = fixture().store;
      const workflows = store.stores.workflows;
      await persist(store, { runId: 'r', status: 'suspended', createdAt: at(0) });

      const refused = await workflows.updateWorkflowState({
        workflowName: 'wf',
        runId: 'r',
        opts: { status: 'running', expectedStatus: 'success' },
      });
      const claimed = await workflows.updateWorkflowState({
        workflowName: 'wf',
        runId: 'r',
        opts: { status: 'running', expectedStatus: ['suspended', 'waiting'] },
      });

      expect(refused).toBeUndefined();
      expect(claimed?.status).toBe('running');
      expect(claimed).not.toHaveProperty('expectedStatus');
      const loaded = await workflows.loadWorkflowSnapshot({ workflowName: 'wf', runId: 'r' });
      expect(loaded?.status).toBe('running');
    });

    it('updateWorkflowState: returns undefined for a missing run', async () => {
      const updated = await workflowsOf().updateWorkflowState({
        workflowName: 'wf',
        runId: 'missing',
        opts: { status: 'success' },
      });

      expect(updated).toBeUndefined();
      expect(await fixture().rawKeys()).toEqual([]);
    });

    it('updateWorkflowResults: merges a step result into the snapshot', async () => {
      const store = fixture().store;
      const workflows = store.stores.workflows;
      await persist(store, { runId: 'r', createdAt: at(0) });
      const first = { status: 'success', output: { a: 1 } } as StepResult<
        unknown,
        unknown,
        unknown,
        unknown
      >;
      const second = { status: 'running', payload: {} } as StepResult<
        unknown,
        unknown,
        unknown,
        unknown
      >;

      await workflows.updateWorkflowResults({
        workflowName: 'wf',
        runId: 'r',
        stepId: 's1',
        result: first,
        requestContext: { user: 'x' },
      });
      const context = await workflows.updateWorkflowResults({
        workflowName: 'wf',
        runId: 'r',
        stepId: 's2',
        result: second,
        requestContext: { tenant: 'y' },
      });

      expect(context).toEqual({ s1: first, s2: second });
      const loaded = await workflows.loadWorkflowSnapshot({ workflowName: 'wf', runId: 'r' });
      expect(loaded?.context).toEqual({ s1: first, s2: second });
      expect(loaded?.requestContext).toEqual({ user: 'x', tenant: 'y' });
    });

    it('updateWorkflowResults: returns an empty object for a missing run', async () => {
      const context = await workflowsOf().updateWorkflowResults({
        workflowName: 'wf',
        runId: 'missing',
        stepId: 's',
        result: { status: 'success', output: 1 } as never,
        requestContext: {},
      });

      expect(context).toEqual({});
      expect(await fixture().rawKeys()).toEqual([]);
    });

    it('getWorkflowRunById: finds a run with or without its workflow name', async () => {
      await seedMixedRuns();
      const workflows = workflowsOf();

      const named = await workflows.getWorkflowRunById({ runId: 'r2', workflowName: 'a' });
      const unnamed = await workflows.getWorkflowRunById({ runId: 'r2' });

      expect(named?.workflowName).toBe('a');
      expect(named?.resourceId).toBe('u2');
      expect(named?.createdAt).toEqual(at(2000));
      expect(unnamed).toEqual(named);
      expect(await workflows.getWorkflowRunById({ runId: 'r2', workflowName: 'b' })).toBeNull();
      expect(await workflows.getWorkflowRunById({ runId: 'missing' })).toBeNull();
    });

    it('getWorkflowRunById: returns the newest run when workflows share a run id', async () => {
      const store = fixture().store;
      await persist(store, { workflowName: 'old', runId: 'shared', createdAt: at(0) });
      await persist(store, { workflowName: 'new', runId: 'shared', createdAt: at(1000) });

      const run = await store.stores.workflows.getWorkflowRunById({ runId: 'shared' });

      expect(run?.workflowName).toBe('new');
    });

    it('getWorkflowRunById: makes one get when the workflow name is given', async () => {
      await seedMixedRuns();
      const { store, faults } = openStore(fixture());

      await store.stores.workflows.getWorkflowRunById({ runId: 'r3', workflowName: 'a' });

      expect(faults.counters.calls).toBe(1);
      expect(faults.counters.byOperation.get).toBe(1);
    });

    it('ids: separators and prefixes never name another run', async () => {
      const store = fixture().store;
      const workflows = store.stores.workflows;
      const seeds: RunSeed[] = [
        { workflowName: 'w:1', runId: 'run', resourceId: 'u:1', createdAt: at(0) },
        { workflowName: 'w:1', runId: 'run:2', resourceId: 'u:1%', createdAt: at(1000) },
        { workflowName: 'w', runId: '1:run', resourceId: 'u', createdAt: at(2000) },
        { workflowName: 'w:1', runId: 'run2', resourceId: 'u:1', createdAt: at(3000) },
        { workflowName: 'w:1', runId: 'r%3Aun', resourceId: 'u/1?#', createdAt: at(4000) },
      ];
      for (const seed of seeds) await persist(store, seed);

      const byName = await workflows.listWorkflowRuns({ workflowName: 'w:1' });
      const byResource = await workflows.listWorkflowRuns({ resourceId: 'u:1' });
      const byBoth = await workflows.listWorkflowRuns({ workflowName: 'w', resourceId: 'u' });
      const found = await workflows.getWorkflowRunById({ runId: 'run' });

      expect(runIds(byName.runs)).toEqual(['r%3Aun', 'run2', 'run:2', 'run']);
      expect(runIds(byResource.runs)).toEqual(['run2', 'run']);
      expect(runIds(byBoth.runs)).toEqual(['1:run']);
      expect(found?.workflowName).toBe('w:1');
      expect(found?.runId).toBe('run');

      await workflows.deleteWorkflowRunById({ workflowName: 'w:1', runId: 'run' });
      const remaining = await workflows.listWorkflowRuns();
      expect(runIds(remaining.runs)).toEqual(['r%3Aun', 'run2', '1:run', 'run:2']);
      expect(await workflows.getWorkflowRunById({ runId: 'run' })).toBeNull();
      expect(await workflows.getWorkflowRunById({ runId: 'run:2' })).not.toBeNull();
    });

    it('deleteWorkflowRunById: leaves no key of the run behind', async () => {
      const store = fixture().store;
      const workflows = store.stores.workflows;
      await persist(store, { runId: 'keep', resourceId: 'u1', createdAt: at(0) });
      const keysOfOtherRun = await fixture().rawKeys();
      await persist(store, {
        runId: 'gone',
        resourceId: 'u1',
        status: 'suspended',
        createdAt: at(1),
      });
      await workflows.updateWorkflowState({
        workflowName: 'wf',
        runId: 'gone',
        opts: { status: 'success' },
      });
      await workflows.persistWorkflowSnapshot({
        workflowName: 'wf',
        runId: 'gone',
        resourceId: 'u2',
        snapshot: snapshotOf('gone', 'failed'),
      });

      await workflows.deleteWorkflowRunById({ workflowName: 'wf', runId: 'gone' });

      expect((await fixture().rawKeys()).sort()).toEqual(keysOfOtherRun.sort());
      expect(
        await workflows.loadWorkflowSnapshot({ workflowName: 'wf', runId: 'gone' }),
      ).toBeNull();
      expect(runIds((await workflows.listWorkflowRuns()).runs)).toEqual(['keep']);
      await workflows.deleteWorkflowRunById({ workflowName: 'wf', runId: 'gone' });
    });

    it('persistWorkflowSnapshot: stores a snapshot over the KV value limit in chunks', async () => {
      const store = fixture().store;
      const workflows = store.stores.workflows;
      const large = 'x'.repeat(26 * 1024 * 1024);
      const largeSnapshot = { ...snapshotOf('big', 'success'), value: { large } };
      const persistLarge = () =>
        workflows.persistWorkflowSnapshot({
          workflowName: 'wf',
          runId: 'big',
          snapshot: largeSnapshot,
          createdAt: at(0),
        });

      await persistLarge();
      const chunkKeys = (await fixture().rawKeys()).filter((key) => key.includes('%chunk'));
      const listed = await workflows.listWorkflowRuns({ workflowName: 'wf' });
      const snapshot = listed.runs[0]?.snapshot as unknown as { value: { large: string } };
      expect(chunkKeys.length).toBeGreaterThan(1);
      expect(snapshot.value.large.length).toBe(large.length);

      await persist(store, { runId: 'big', status: 'success', createdAt: at(0) });
      const afterSmall = await fixture().rawKeys();
      expect(afterSmall.filter((key) => key.includes('%chunk'))).toEqual([]);
      expect(await workflows.loadWorkflowSnapshot({ workflowName: 'wf', runId: 'big' })).toEqual(
        snapshotOf('big', 'success'),
      );

      await persistLarge();
      await workflows.deleteWorkflowRunById({ workflowName: 'wf', runId: 'big' });
      expect(await fixture().rawKeys()).toEqual([]);
    }, 180_000);

    it('bad input: rejects with typed USER errors before writing', async () => {
      const workflows = workflowsOf();
      const snapshot = snapshotOf('r');
      const longName = 'w'.repeat(600);

      await expectUserError(
        workflows.persistWorkflowSnapshot({ workflowName: '', runId: 'r', snapshot }),
        'workflowName',
      );
      await expectUserError(
        workflows.persistWorkflowSnapshot({ workflowName: 'wf', runId: 7 as never, snapshot }),
        'runId',
      );
      await expectUserError(
        workflows.persistWorkflowSnapshot({
          workflowName: 'wf',
          runId: 'r',
          snapshot: null as never,
        }),
        'snapshot',
      );
      await expectUserError(
        workflows.persistWorkflowSnapshot({ workflowName: longName, runId: 'r', snapshot }),
        'workflowName',
      );
      await expectUserError(
        workflows.persistWorkflowSnapshot({
          workflowName: 'wf',
          runId: 'r',
          resourceId: 'u'.repeat(480),
          snapshot,
        }),
        'resourceId',
      );
      await expectUserError(
        workflows.persistWorkflowSnapshot({
          workflowName: 'wf',
          runId: 'r',
          snapshot,
          createdAt: new Date(Number.NaN),
        }),
        'createdAt',
      );
      await expectUserError(workflows.listWorkflowRuns({ page: -1, perPage: 2 }), 'page');
      await expectUserError(workflows.listWorkflowRuns({ page: 0, perPage: 1.5 }), 'perPage');
      await expectUserError(
        workflows.listWorkflowRuns({ fromDate: new Date('not a date') }),
        'fromDate',
      );
      await expectUserError(workflows.listWorkflowRuns({ status: 3 as never }), 'status');
      await expectUserError(workflows.getWorkflowRunById({ runId: ' ' }), 'runId');
      await expectUserError(
        workflows.deleteWorkflowRunById({ workflowName: 'wf', runId: '' }),
        'runId',
      );
      await expectUserError(
        workflows.updateWorkflowState({
          workflowName: 'wf',
          runId: 'r',
          opts: { status: undefined as never },
        }),
        'opts.status',
      );
      expect(await fixture().rawKeys()).toEqual([]);
    });

    it("keyPrefix: stores with other prefixes never list each other's runs", async () => {
      await seedMixedRuns();
      const { store: other } = openStore(fixture(), { keyPrefix: `${fixture().store.keyPrefix}x` });
      await persist(other, { runId: 'other', createdAt: at(0) });

      const own = await fixture().store.stores.workflows.listWorkflowRuns();
      const theirs = await other.stores.workflows.listWorkflowRuns();

      expect(runIds(own.runs)).toEqual(expectedIds(() => true));
      expect(runIds(theirs.runs)).toEqual(['other']);
      expect(await other.stores.workflows.getWorkflowRunById({ runId: 'r0' })).toBeNull();
    });
  });
}
