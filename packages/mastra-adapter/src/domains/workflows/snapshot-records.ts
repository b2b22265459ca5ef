import {
  decodeRecord,
  deleteLargeValue,
  encodeRecord,
  getLargeValue,
  putLargeValue,
  type TableSchema,
} from '@cfkv/core';
import { TABLE_WORKFLOW_SNAPSHOT } from '@mastra/core/storage';
import type { WorkflowRunState } from '@mastra/core/workflows';
import type { StoreContext } from '../../store-context.js';

const RUN_SCHEMA: TableSchema = {
  workflowName: 'text',
  runId: 'text',
  resourceId: 'text',
  snapshot: 'jsonb',
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
};

/** One workflow run as stored: its latest snapshot and when it was created and updated. */
export interface StoredRun {
  workflowName: string;
  runId: string;
  resourceId?: string;
  snapshot: WorkflowRunState;
  createdAt: Date;
  updatedAt: Date;
}

export function runKey(context: StoreContext, workflowName: string, runId: string): string {
  return context.keys.key(TABLE_WORKFLOW_SNAPSHOT, ['run', workflowName, runId], 'runId');
}

export async function readRun(
  context: StoreContext,
  workflowName: string,
  runId: string,
): Promise<StoredRun | null> {
  const key = runKey(context, workflowName, runId);
  const text = await getLargeValue(context.transport, TABLE_WORKFLOW_SNAPSHOT, key);
  if (text === null) return null;
  return decodeRecord<StoredRun>(RUN_SCHEMA, text, { table: TABLE_WORKFLOW_SNAPSHOT, key });
}

/** Writes a run; a snapshot over KV's value limit is stored in chunks under a manifest. */
export async function writeRun(context: StoreContext, run: StoredRun): Promise<void> {
  const key = runKey(context, run.workflowName, run.runId);
  const text = encodeRecord(RUN_SCHEMA, run, { table: TABLE_WORKFLOW_SNAPSHOT, key });
  await putLargeValue(context.transport, TABLE_WORKFLOW_SNAPSHOT, key, text);
}

export async function deleteRun(
  context: StoreContext,
  workflowName: string,
  runId: string,
): Promise<void> {
  const key = runKey(context, workflowName, runId);
  await deleteLargeValue(context.transport, TABLE_WORKFLOW_SNAPSHOT, key);
}
