import { TABLE_WORKFLOW_SNAPSHOT } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';
import { reserveTiebreaks } from '../memory/order-tiebreak.js';
import { lookupEntry, lookupKey } from './run-id-lookup.js';
import { entriesMissingFrom, type RunIndex } from './run-index.js';
import {
  deleteRun,
  encodeRun,
  readRun,
  writeRun,
  type RunRef,
  type StoredRun,
} from './snapshot-records.js';

/**
 * Writes `next` over `previous` (null for a new run) and moves the run's index entries whose
 * owner or order changed, as when its status changes. Every key is built and checked before the
 * first write. New entries (and a new run's lookup key) go in one `putMany` before the record,
 * and old entries in one `deleteMany` after it, so a concurrent reader always finds the run in
 * some index. Readers skip an entry that no longer describes the record. Returns the run as
 * reads will return it.
 */
export async function saveRun(
  context: StoreContext,
  index: RunIndex,
  previous: StoredRun | null,
  next: StoredRun,
): Promise<StoredRun> {
  const encoded = encodeRun(context, next);
  const nextEntries = index.entriesOf(encoded.run);
  const previousEntries = previous === null ? [] : index.entriesOf(previous);
  const added = index.toKvEntries(entriesMissingFrom(nextEntries, previousEntries));
  if (previous === null) added.push(lookupEntry(context, next));
  const removed = index.keysOf(entriesMissingFrom(previousEntries, nextEntries));

  if (added.length > 0) await context.transport.putMany(TABLE_WORKFLOW_SNAPSHOT, added);
  await writeRun(context, encoded);
  if (removed.length > 0) await context.transport.deleteMany(TABLE_WORKFLOW_SNAPSHOT, removed);
  return encoded.run;
}

export interface SnapshotInput extends Omit<StoredRun, 'createdAt' | 'updatedAt'> {
  createdAt?: Date;
  updatedAt?: Date;
}

/**
 * Upserts a run's snapshot with Mastra's semantics: resourceId and createdAt are kept from the
 * stored run unless given, updatedAt is now unless given. A new run reserves its tiebreak.
 */
export async function persistSnapshot(
  context: StoreContext,
  index: RunIndex,
  input: SnapshotInput,
): Promise<void> {
  const previous = await readRun(context, input);
  const now = new Date();

  await saveRun(context, index, previous, {
    workflowName: input.workflowName,
    runId: input.runId,
    resourceId: input.resourceId ?? previous?.resourceId,
    snapshot: input.snapshot,
    createdAt: input.createdAt ?? previous?.createdAt ?? now,
    updatedAt: input.updatedAt ?? now,
    orderTiebreak: previous?.orderTiebreak ?? reserveTiebreaks(1),
  });
}

/**
 * Deletes every key of a run: its index entries and lookup key first, in one `deleteMany`, then
 * its record and the chunks of its snapshot. Entries are found from the record, so a delete that
 * fails part way can be retried and finishes the job.
 */
export async function removeRun(
  context: StoreContext,
  index: RunIndex,
  ref: RunRef,
): Promise<void> {
  const run = await readRun(context, ref);
  const keys = run === null ? [] : index.keysOf(index.entriesOf(run));
  keys.push(lookupKey(context, ref));

  await context.transport.deleteMany(TABLE_WORKFLOW_SNAPSHOT, keys);
  await deleteRun(context, ref);
}
