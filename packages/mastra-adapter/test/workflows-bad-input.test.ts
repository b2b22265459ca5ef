import { BindingTransport } from '@cfkv/binding';
import { isCfkvError, observeTransport, type TransportEvent } from '@cfkv/core';
import { createMiniflareKv, type MiniflareKv } from '@cfkv/testing';
import { ErrorCategory, MastraError } from '@mastra/core/error';
import type { WorkflowRunState } from '@mastra/core/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareStore, STORE_TABLES } from '../src/index.js';
import type { CloudflareWorkflowsStorage } from '../src/index.js';

/** Invalid values for a required id field, each with its label for the test name. */
const BAD_IDS: readonly [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 42],
  ['an empty string', ''],
  ['a blank string', '   '],
  ['600 bytes', 'x'.repeat(600)],
];

const SNAPSHOT = { status: 'running', context: {} } as unknown as WorkflowRunState;
const STEP_RESULT = { status: 'success', output: {}, startedAt: 1, endedAt: 2 } as never;

type Workflows = CloudflareWorkflowsStorage;

/** Each workflows call with one id field set to `value` and the other fields valid. */
const CALLS: readonly {
  method: string;
  field: string;
  call: (w: Workflows, value: unknown) => Promise<unknown>;
}[] = [
  {
    method: 'persistWorkflowSnapshot',
    field: 'workflowName',
    call: (w, value) =>
      w.persistWorkflowSnapshot({ workflowName: value as string, runId: 'r1', snapshot: SNAPSHOT }),
  },
  {
    method: 'persistWorkflowSnapshot',
    field: 'runId',
    call: (w, value) =>
      w.persistWorkflowSnapshot({ workflowName: 'w1', runId: value as string, snapshot: SNAPSHOT }),
  },
  {
    method: 'loadWorkflowSnapshot',
    field: 'workflowName',
    call: (w, value) => w.loadWorkflowSnapshot({ workflowName: value as string, runId: 'r1' }),
  },
  {
    method: 'loadWorkflowSnapshot',
    field: 'runId',
    call: (w, value) => w.loadWorkflowSnapshot({ workflowName: 'w1', runId: value as string }),
  },
  {
    method: 'getWorkflowRunById',
    field: 'runId',
    call: (w, value) => w.getWorkflowRunById({ runId: value as string }),
  },
  {
    method: 'deleteWorkflowRunById',
    field: 'workflowName',
    call: (w, value) => w.deleteWorkflowRunById({ workflowName: value as string, runId: 'r1' }),
  },
  {
    method: 'deleteWorkflowRunById',
    field: 'runId',
    call: (w, value) => w.deleteWorkflowRunById({ workflowName: 'w1', runId: value as string }),
  },
  ...(['workflowName', 'runId', 'stepId'] as const).map((field) => ({
    method: 'updateWorkflowResults',
    field,
    call: (w: Workflows, value: unknown) =>
      w.updateWorkflowResults({
        workflowName: 'w1',
        runId: 'r1',
        stepId: 's1',
        result: STEP_RESULT,
        requestContext: {},
        [field]: value,
      }),
  })),
  ...(['workflowName', 'runId'] as const).map((field) => ({
    method: 'updateWorkflowState',
    field,
    call: (w: Workflows, value: unknown) =>
      w.updateWorkflowState({
        workflowName: 'w1',
        runId: 'r1',
        opts: { status: 'success' } as never,
        [field]: value,
      }),
  })),
];

/** Optional fields: absent is valid, so only the wrong type and the oversized value reject. */
const OPTIONAL_CALLS: readonly {
  method: string;
  field: string;
  call: (w: Workflows, value: unknown) => Promise<unknown>;
}[] = [
  {
    method: 'getWorkflowRunById',
    field: 'workflowName',
    call: (w, value) => w.getWorkflowRunById({ runId: 'r1', workflowName: value as string }),
  },
  {
    method: 'persistWorkflowSnapshot',
    field: 'resourceId',
    call: (w, value) =>
      w.persistWorkflowSnapshot({
        workflowName: 'w1',
        runId: 'r1',
        resourceId: value as string,
        snapshot: SNAPSHOT,
      }),
  },
  ...(['workflowName', 'resourceId', 'status'] as const).map((field) => ({
    method: 'listWorkflowRuns',
    field,
    call: (w: Workflows, value: unknown) => w.listWorkflowRuns({ [field]: value } as never),
  })),
];

const OPTIONAL_BAD_IDS = BAD_IDS.filter(([label]) => ['a number', '600 bytes'].includes(label));

describe('binding: workflows bad input', () => {
  let kv: MiniflareKv;
  let workflows: Workflows;
  const events: TransportEvent[] = [];

  beforeAll(async () => {
    kv = await createMiniflareKv(STORE_TABLES);
    const transport = observeTransport(
      new BindingTransport({ namespaces: kv.namespaces }),
      (event) => events.push(event),
    );
    workflows = new CloudflareStore({ transport }).stores.workflows;
  });
  afterAll(async () => {
    await kv.dispose();
  });

  async function expectRejectedBeforeKv(call: () => Promise<unknown>, field: string) {
    events.length = 0;

    const error = await call().then(
      () => undefined,
      (caught: unknown) => caught,
    );

    expect(error, 'the call resolved').toBeInstanceOf(MastraError);
    const mastraError = error as MastraError;
    expect(mastraError.category).toBe(ErrorCategory.USER);
    expect(isCfkvError(mastraError.cause), String(mastraError.cause)).toBe(true);
    expect(mastraError.details).toMatchObject({ field });
    expect(mastraError.message).toContain(field);
    expect(events, 'KV calls made before the rejection').toEqual([]);
  }

  for (const { method, field, call } of CALLS) {
    for (const [label, value] of BAD_IDS) {
      // A step id is stored inside the snapshot, never in a key, so its length has no KV limit.
      if (field === 'stepId' && label === '600 bytes') continue;
      it(`${method}: ${field} as ${label} is rejected`, async () => {
        await expectRejectedBeforeKv(() => call(workflows, value), field);
      });
    }
  }

  for (const { method, field, call } of OPTIONAL_CALLS) {
    for (const [label, value] of OPTIONAL_BAD_IDS) {
      it(`${method}: optional ${field} as ${label} is rejected`, async () => {
        await expectRejectedBeforeKv(() => call(workflows, value), field);
      });
    }
  }

  const MISSING_ARGUMENTS: [string, (w: Workflows) => Promise<unknown>][] = [
    ['persistWorkflowSnapshot', (w) => w.persistWorkflowSnapshot(undefined as never)],
    ['loadWorkflowSnapshot', (w) => w.loadWorkflowSnapshot(undefined as never)],
    ['getWorkflowRunById', (w) => w.getWorkflowRunById(undefined as never)],
    ['deleteWorkflowRunById', (w) => w.deleteWorkflowRunById(undefined as never)],
    ['updateWorkflowResults', (w) => w.updateWorkflowResults(undefined as never)],
    ['updateWorkflowState', (w) => w.updateWorkflowState(undefined as never)],
  ];
  for (const [method, call] of MISSING_ARGUMENTS) {
    it(`${method}: missing arguments are rejected`, async () => {
      await expectRejectedBeforeKv(() => call(workflows), 'args');
    });
  }

  it('listWorkflowRuns: null arguments list every run', async () => {
    await workflows.persistWorkflowSnapshot({
      workflowName: 'w3',
      runId: 'r3',
      snapshot: SNAPSHOT,
    });

    const listed = await workflows.listWorkflowRuns(null as never);

    expect(listed.runs.map((run) => run.runId)).toContain('r3');
  });

  it('persistWorkflowSnapshot: a 600-byte workflowName names workflowName', async () => {
    const error = await workflows
      .persistWorkflowSnapshot({ workflowName: 'w'.repeat(600), runId: 'r1', snapshot: SNAPSHOT })
      .catch((caught: unknown) => caught);

    expect((error as MastraError).details).toMatchObject({ field: 'workflowName' });
    expect((error as MastraError).message).toContain('workflowName');
    expect((error as MastraError).message).not.toContain('runId makes');
  });

  it('updateWorkflowResults: a 600-byte stepId is stored', async () => {
    await workflows.persistWorkflowSnapshot({
      workflowName: 'w2',
      runId: 'r2',
      snapshot: SNAPSHOT,
    });
    const stepId = 's'.repeat(600);

    const results = await workflows.updateWorkflowResults({
      workflowName: 'w2',
      runId: 'r2',
      stepId,
      result: STEP_RESULT,
      requestContext: {},
    });

    expect(Object.keys(results)).toContain(stepId);
  });

  it('persistWorkflowSnapshot: a 600-byte snapshot status names status', async () => {
    const snapshot = { ...SNAPSHOT, status: 'x'.repeat(600) } as unknown as WorkflowRunState;

    await expectRejectedBeforeKv(
      () => workflows.persistWorkflowSnapshot({ workflowName: 'w1', runId: 'r1', snapshot }),
      'status',
    );
  });

  it('updateWorkflowState: a 600-byte status names status', async () => {
    await expectRejectedBeforeKv(
      () =>
        workflows.updateWorkflowState({
          workflowName: 'w1',
          runId: 'r1',
          opts: { status: 'x'.repeat(600) } as never,
        }),
      'status',
    );
  });

  it('deleteWorkflowRunById: an empty runId is rejected, not ignored', async () => {
    await expectRejectedBeforeKv(
      () => workflows.deleteWorkflowRunById({ workflowName: 'w1', runId: '' }),
      'runId',
    );
  });
});
