import {
  decodeRecord,
  deleteLargeValue,
  encodeRecord,
  getLargeValue,
  getManyInBatches,
  mapWithConcurrency,
  MAX_BULK_GET_BYTES,
  MAX_BULK_GET_KEYS,
  putLargeValue,
  DEFAULT_GET_CONCURRENCY,
  type TableSchema,
} from '@cfkv/core';
import { TABLE_WORKFLOW_SNAPSHOT, type WorkflowRun } from '@mastra/core/storage';
import type { WorkflowRunState } from '@mastra/core/workflows';
import type { StoreContext } from '../../store-context.js';

const RUN_SCHEMA: TableSchema = {
  workflowName: 'text',
  runId: 'text',
  resourceId: 'text',
  snapshot: 'jsonb',
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
  orderTiebreak: 'integer',
};

/**
 * Largest run record stored in one value (252 KiB). A bulk get returns at most 25 MiB, so records
 * up to this size let a page of 100 runs come back in one bulk get. A larger record is stored in
 * chunks of this size under a manifest. The 4 KiB kept back per record is a margin, because
 * Cloudflare does not document how it counts a bulk get's size.
 */
const RECORD_CHUNK_BYTES = Math.floor(MAX_BULK_GET_BYTES / MAX_BULK_GET_KEYS) - 4096;

/** One workflow run as stored: its latest snapshot, its timestamps and its index tiebreak. */
export interface StoredRun {
  workflowName: string;
  runId: string;
  resourceId?: string;
  snapshot: WorkflowRunState;
  createdAt: Date;
  updatedAt: Date;
  /**
   * Order among runs created in the same millisecond, reserved when the run is first saved.
   * Records written before runs were indexed lack it and sort as 0.
   */
  orderTiebreak?: number;
}

/** A run's identity: its workflow name and its run id. */
export interface RunRef {
  workflowName: string;
  runId: string;
}

export function runKey(context: StoreContext, ref: RunRef): string {
  context.keys.key(TABLE_WORKFLOW_SNAPSHOT, ['run', ref.workflowName], 'workflowName');
  return context.keys.key(TABLE_WORKFLOW_SNAPSHOT, ['run', ref.workflowName, ref.runId], 'runId');
}

export async function readRun(context: StoreContext, ref: RunRef): Promise<StoredRun | null> {
  const key = runKey(context, ref);
  const text = await getLargeValue(context.transport, TABLE_WORKFLOW_SNAPSHOT, key);
  return text === null ? null : decodeRun(text, key);
}

/** First character of every encoded record, which a chunk manifest never starts with. */
const RECORD_START = '{';

function decodeRun(text: string, key: string): StoredRun {
  return decodeRecord<StoredRun>(RUN_SCHEMA, text, { table: TABLE_WORKFLOW_SNAPSHOT, key });
}

/**
 * Reads several runs in bulk gets of 100. A run stored in chunks comes back as its manifest,
 * which is not a JSON record, and is read again with its chunks, at most six at a time. The
 * result is aligned with `refs`, with null for a missing run.
 */
export async function readRuns(
  context: StoreContext,
  refs: readonly RunRef[],
): Promise<(StoredRun | null)[]> {
  const keys = refs.map((ref) => runKey(context, ref));
  const texts = await getManyInBatches(context.transport, TABLE_WORKFLOW_SNAPSHOT, keys);

  return mapWithConcurrency(refs, DEFAULT_GET_CONCURRENCY, async (ref, position) => {
    const text = texts[position] ?? null;
    if (text === null) return null;
    if (text.startsWith(RECORD_START)) return decodeRun(text, keys[position]!);
    return readRun(context, ref);
  });
}

/** A run encoded for writing, with the run as later reads will decode it. */
export interface EncodedRun {
  key: string;
  text: string;
  run: StoredRun;
}

/**
 * Encodes a run before anything is written, so bad input (an invalid date, a value JSON cannot
 * hold, a key over 512 bytes) rejects first. Timestamps given as strings come back as Date.
 */
export function encodeRun(context: StoreContext, run: StoredRun): EncodedRun {
  const key = runKey(context, run);
  const location = { table: TABLE_WORKFLOW_SNAPSHOT, key };
  const text = encodeRecord(RUN_SCHEMA, run, location);
  return { key, text, run: decodeRecord<StoredRun>(RUN_SCHEMA, text, location) };
}

/** Writes an encoded run; a record over 252 KiB is stored in chunks under a manifest. */
export async function writeRun(context: StoreContext, encoded: EncodedRun): Promise<void> {
  await putLargeValue(context.transport, TABLE_WORKFLOW_SNAPSHOT, encoded.key, encoded.text, {
    chunkBytes: RECORD_CHUNK_BYTES,
  });
}

/** Deletes a run's record and every chunk of its snapshot. */
export async function deleteRun(context: StoreContext, ref: RunRef): Promise<void> {
  const key = runKey(context, ref);
  await deleteLargeValue(context.transport, TABLE_WORKFLOW_SNAPSHOT, key);
}

/** The run as Mastra returns it: the stored record without the index tiebreak. */
export function toWorkflowRun(stored: StoredRun): WorkflowRun {
  const { orderTiebreak: _orderTiebreak, ...run } = stored;
  return run;
}
