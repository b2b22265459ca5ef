import { collectAllKeys, type KvEntry } from '@cfkv/core';
import { TABLE_WORKFLOW_SNAPSHOT } from '@mastra/core/storage';
import type { WorkflowRunState } from '@mastra/core/workflows';
import type { StoreContext } from '../../store-context.js';
import { filterValuesOf } from './run-index.js';
import type { RunRef, StoredRun } from './snapshot-records.js';

/** First key part of the lookup keys `run-id:{runId}:{workflowName}`. */
const LOOKUP_KIND = 'run-id';

/**
 * Run records are keyed by workflow name first, so a run id alone names no key. One empty
 * lookup key per run, led by the run id, lets getWorkflowRunById find a run's workflow names
 * with one list call.
 */
export function lookupKey(context: StoreContext, ref: RunRef): string {
  assertRunIdFits(context, ref.runId);
  return context.keys.key(
    TABLE_WORKFLOW_SNAPSHOT,
    [LOOKUP_KIND, ref.runId, ref.workflowName],
    'workflowName',
  );
}

/**
 * The fields of a run's first save that place its index entries. The lookup key carries them,
 * so a retry of a first save that failed before its record was written reuses the same entries.
 */
export interface FirstSaveFields {
  createdAt: number;
  orderTiebreak: number;
  resourceId?: string;
  status?: string;
}

/** Builds the lookup entry of a new run, written before its index entries and its record. */
export function lookupEntry(context: StoreContext, run: StoredRun): KvEntry {
  const { resourceId, status } = filterValuesOf(run);
  const fields: FirstSaveFields = {
    createdAt: new Date(run.createdAt).getTime(),
    orderTiebreak: run.orderTiebreak ?? 0,
    ...(resourceId === undefined ? {} : { resourceId }),
    ...(status === undefined ? {} : { status }),
  };
  return { key: lookupKey(context, run), value: JSON.stringify(fields) };
}

/**
 * Reads the fields of an earlier first save of a run whose record is missing, or null when no
 * first save was started. Lookup keys written empty by earlier versions also give null.
 */
export async function readFirstSave(
  context: StoreContext,
  ref: RunRef,
): Promise<FirstSaveFields | null> {
  const text = await context.transport.get(TABLE_WORKFLOW_SNAPSHOT, lookupKey(context, ref));
  if (text === null || text === '') return null;

  const fields = parseJson(text) as Partial<FirstSaveFields> | null;
  const isValid = Number.isFinite(fields?.createdAt) && Number.isSafeInteger(fields?.orderTiebreak);
  return isValid ? (fields as FirstSaveFields) : null;
}

/** Rebuilds what an unfinished first save indexed, enough to find its index entries. */
export function runOfFirstSave(ref: RunRef, firstSave: FirstSaveFields): StoredRun {
  const createdAt = new Date(firstSave.createdAt);
  return {
    workflowName: ref.workflowName,
    runId: ref.runId,
    resourceId: firstSave.resourceId,
    snapshot: { status: firstSave.status } as WorkflowRunState,
    createdAt,
    updatedAt: createdAt,
    orderTiebreak: firstSave.orderTiebreak,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Lists the workflow names that have a run with `runId`, in one list call per 1000 names. */
export async function findWorkflowNames(context: StoreContext, runId: string): Promise<string[]> {
  assertRunIdFits(context, runId);
  const prefix = context.keys.prefix(TABLE_WORKFLOW_SNAPSHOT, [LOOKUP_KIND, runId]);
  const listed = await collectAllKeys(context.transport, TABLE_WORKFLOW_SNAPSHOT, prefix);
  return listed.map((key) => context.keys.parse(TABLE_WORKFLOW_SNAPSHOT, key.name)[2] ?? '');
}

/** Rejects a run id too long for its lookup keys, naming runId rather than workflowName. */
function assertRunIdFits(context: StoreContext, runId: string): void {
  context.keys.key(TABLE_WORKFLOW_SNAPSHOT, [LOOKUP_KIND, runId], 'runId');
}
