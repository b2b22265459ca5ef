import { collectAllKeys, type KvEntry } from '@cfkv/core';
import { TABLE_WORKFLOW_SNAPSHOT } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';
import type { RunRef } from './snapshot-records.js';

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

/** Builds the empty lookup entry of a new run, written in the `putMany` of its index entries. */
export function lookupEntry(context: StoreContext, ref: RunRef): KvEntry {
  return { key: lookupKey(context, ref), value: '' };
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
