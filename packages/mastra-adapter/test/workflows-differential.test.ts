import { createMiniflareKv, randomPrefix, type MiniflareKv } from '@cfkv/testing';
import {
  InMemoryStore,
  type StorageListWorkflowRunsInput,
  type WorkflowRun,
  type WorkflowsStorage,
} from '@mastra/core/storage';
import type { WorkflowRunState } from '@mastra/core/workflows';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloudflareStore, STORE_TABLES } from '../src/index.js';
import { createRandom, type Random } from './differential/random-operations.js';

type RunStatus = WorkflowRunState['status'];

const SEEDS = [1, 2, 3, 4];
const OPERATIONS_PER_SEED = 120;
const WORKFLOW_NAMES = ['a', 'b:1'];
const RUN_IDS = ['r', 'r:1', 'r1', 'x%y'];
const RESOURCE_IDS = [undefined, 'u1', 'u:2'];
const STATUSES: RunStatus[] = ['running', 'suspended', 'success', 'failed'];
const BASE_MS = Date.UTC(2025, 0, 1);

type Operation =
  | {
      kind: 'persist';
      workflowName: string;
      runId: string;
      resourceId?: string;
      status: RunStatus;
      createdAt?: Date;
    }
  | {
      kind: 'updateState';
      workflowName: string;
      runId: string;
      status: RunStatus;
      expectedStatus?: RunStatus;
    }
  | { kind: 'updateResults'; workflowName: string; runId: string; stepId: string }
  | { kind: 'delete'; workflowName: string; runId: string }
  | { kind: 'list'; input: StorageListWorkflowRunsInput }
  | { kind: 'get'; runId: string; workflowName?: string }
  | { kind: 'load'; workflowName: string; runId: string };

function maybe<T>(random: Random, value: () => T): T | undefined {
  return random.chance(0.5) ? value() : undefined;
}

/** Draws a random operation. No explicit createdAt repeats, so both stores agree on order. */
function randomOperation(random: Random, step: number): Operation {
  const workflowName = random.pick(WORKFLOW_NAMES);
  const runId = random.pick(RUN_IDS);
  switch (random.integer(7)) {
    case 0:
    case 1:
      return {
        kind: 'persist',
        workflowName,
        runId,
        resourceId: random.pick(RESOURCE_IDS),
        status: random.pick(STATUSES),
        createdAt: maybe(random, () => new Date(BASE_MS + step * 1000)),
      };
    case 2:
      return {
        kind: 'updateState',
        workflowName,
        runId,
        status: random.pick(STATUSES),
        expectedStatus: maybe(random, () => random.pick(STATUSES)),
      };
    case 3:
      return { kind: 'updateResults', workflowName, runId, stepId: `step-${random.integer(3)}` };
    case 4:
      return random.integer(3) === 0
        ? { kind: 'delete', workflowName, runId }
        : { kind: 'load', workflowName, runId };
    case 5:
      return { kind: 'get', runId, workflowName: maybe(random, () => workflowName) };
    default:
      return { kind: 'list', input: randomListInput(random) };
  }
}

function randomListInput(random: Random): StorageListWorkflowRunsInput {
  const perPage = maybe(random, () => random.pick([1, 2, 3, false] as const));
  return {
    workflowName: maybe(random, () => random.pick(WORKFLOW_NAMES)),
    resourceId: maybe(random, () => random.pick(['u1', 'u:2'])),
    status: maybe(random, () => random.pick(STATUSES)),
    fromDate: maybe(random, () => new Date(BASE_MS + random.integer(60) * 1000)),
    toDate: maybe(random, () => new Date(BASE_MS + random.integer(120) * 1000)),
    page: perPage === undefined ? undefined : random.integer(3),
    perPage,
  };
}

function snapshotOf(runId: string, status: RunStatus): WorkflowRunState {
  return { runId, status, value: {}, context: {} } as unknown as WorkflowRunState;
}

/** The fields both stores must agree on. updatedAt is left out: updates set it only here. */
function normalizeRun(run: WorkflowRun | null) {
  if (run === null) return null;
  return {
    workflowName: run.workflowName,
    runId: run.runId,
    resourceId: run.resourceId ?? null,
    createdAt: new Date(run.createdAt).getTime(),
    snapshot: JSON.parse(JSON.stringify(run.snapshot)) as unknown,
  };
}

async function runOperation(workflows: WorkflowsStorage, operation: Operation): Promise<unknown> {
  switch (operation.kind) {
    case 'persist':
      return workflows.persistWorkflowSnapshot({
        workflowName: operation.workflowName,
        runId: operation.runId,
        resourceId: operation.resourceId,
        snapshot: snapshotOf(operation.runId, operation.status),
        createdAt: operation.createdAt,
      });
    case 'updateState': {
      const updated = await workflows.updateWorkflowState({
        workflowName: operation.workflowName,
        runId: operation.runId,
        opts: { status: operation.status, expectedStatus: operation.expectedStatus },
      });
      return updated === undefined ? null : (JSON.parse(JSON.stringify(updated)) as unknown);
    }
    case 'updateResults':
      return workflows.updateWorkflowResults({
        workflowName: operation.workflowName,
        runId: operation.runId,
        stepId: operation.stepId,
        result: { status: 'success', output: operation.stepId } as never,
        requestContext: { stepId: operation.stepId },
      });
    case 'delete':
      return workflows.deleteWorkflowRunById(operation);
    case 'load': {
      const snapshot = await workflows.loadWorkflowSnapshot(operation);
      return JSON.parse(JSON.stringify(snapshot)) as unknown;
    }
    case 'get':
      return normalizeRun(await workflows.getWorkflowRunById(operation));
    case 'list': {
      const { runs, total } = await workflows.listWorkflowRuns(operation.input);
      return { runs: runs.map(normalizeRun), total };
    }
  }
}

describe('binding: workflows match InMemoryStore', () => {
  let kv: MiniflareKv;
  beforeAll(async () => {
    kv = await createMiniflareKv(STORE_TABLES);
  });
  afterAll(async () => {
    await kv.dispose();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  for (const seed of SEEDS) {
    it(`random sequence: seed ${seed} gives equal results`, async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      let now = Date.UTC(2026, 0, 1);
      const random = createRandom(seed);
      const oracle = (await new InMemoryStore().getStore('workflows'))!;
      const store = new CloudflareStore({ bindings: kv.namespaces, keyPrefix: randomPrefix('wf') });

      for (let step = 0; step < OPERATIONS_PER_SEED; step += 1) {
        now += 1000;
        vi.setSystemTime(now);
        const operation = randomOperation(random, step);
        const expected = await runOperation(oracle, operation);
        const actual = await runOperation(store.stores.workflows, operation);
        expect(actual, `seed ${seed} step ${step}: ${JSON.stringify(operation)}`).toEqual(expected);
      }
    }, 180_000);
  }
});
