import type { KvEntry } from '@cfkv/core';
import { TABLE_WORKFLOW_SNAPSHOT } from '@mastra/core/storage';
import { putBackNeededKeys } from '../../put-back-needed-keys.js';
import type { StoreContext } from '../../store-context.js';
import { reserveTiebreaks } from '../memory/order-tiebreak.js';
import {
  lookupEntry,
  lookupKey,
  readFirstSave,
  runOfFirstSave,
  type FirstSaveFields,
} from './run-id-lookup.js';
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
 * first write. New entries go in one `putMany` before the record, and old entries in one
 * `deleteMany` after it, so a concurrent reader always finds the run in some index. Readers skip
 * an entry that no longer describes the record. A new run first writes its lookup key with the
 * fields that place its entries, then all of its entries. A retry after a failed first save
 * (`firstSave`) therefore rewrites the same entries and deletes the ones it moved, before its
 * lookup key. After a delete, the record is read again and the deleted entries it still needs
 * are written back, because a concurrent save that read the same version may have written its
 * record last and still needs them. Returns the run as reads will return it.
 *
 * NOTE: a concurrent record write that lands after that read still loses those entries, because
 * KV has no compare-and-set. The read narrows the window and does not close it.
 */
export async function saveRun(
  context: StoreContext,
  index: RunIndex,
  previous: StoredRun | null,
  next: StoredRun,
  firstSave: FirstSaveFields | null = null,
): Promise<StoredRun> {
  const encoded = encodeRun(context, next);
  const nextEntries = index.entriesOf(encoded.run);
  const earlier = previous ?? (firstSave === null ? null : runOfFirstSave(next, firstSave));
  const previousEntries = earlier === null ? [] : index.entriesOf(earlier);
  const newEntries =
    previous === null ? nextEntries : entriesMissingFrom(nextEntries, previousEntries);
  const added = index.toKvEntries(newEntries);
  const removed = index.keysOf(entriesMissingFrom(previousEntries, nextEntries));

  if (previous === null) {
    // The entries of an earlier failed first save go before the lookup key that names them.
    if (removed.length > 0) await context.transport.deleteMany(TABLE_WORKFLOW_SNAPSHOT, removed);
    const lookup = lookupEntry(context, encoded.run);
    await context.transport.put(TABLE_WORKFLOW_SNAPSHOT, lookup.key, lookup.value);
  }
  if (added.length > 0) await context.transport.putMany(TABLE_WORKFLOW_SNAPSHOT, added);
  await writeRun(context, encoded);
  if (previous !== null && removed.length > 0) {
    await context.transport.deleteMany(TABLE_WORKFLOW_SNAPSHOT, removed);
  }
  await putBackNeededKeys(context.transport, TABLE_WORKFLOW_SNAPSHOT, removed, () =>
    readNeededEntries(context, index, next, previous),
  );
  return encoded.run;
}

/**
 * Reads the run as stored now and builds its index and lookup entries. It returns none when the
 * run is missing, or when the read returns `replaced`, the version this write replaced or deleted.
 * Such a read comes from a cache older than the write, and its entries must stay deleted.
 */
async function readNeededEntries(
  context: StoreContext,
  index: RunIndex,
  ref: RunRef,
  replaced: StoredRun | null,
): Promise<KvEntry[]> {
  const run = await readRun(context, ref);
  if (run === null || (replaced !== null && isSameVersion(run, replaced))) return [];
  return [...index.toKvEntries(index.entriesOf(run)), lookupEntry(context, run)];
}

function isSameVersion(left: StoredRun, right: StoredRun): boolean {
  return (
    left.updatedAt.getTime() === right.updatedAt.getTime() &&
    JSON.stringify(left.snapshot) === JSON.stringify(right.snapshot)
  );
}

export interface SnapshotInput extends Omit<StoredRun, 'createdAt' | 'updatedAt'> {
  createdAt?: Date;
  updatedAt?: Date;
}

/**
 * Upserts a run's snapshot with Mastra's semantics: resourceId and createdAt are kept from the
 * stored run unless given, updatedAt is now unless given. A new run reserves its tiebreak, or
 * takes the tiebreak and createdAt of an earlier first save that failed before its record.
 */
export async function persistSnapshot(
  context: StoreContext,
  index: RunIndex,
  input: SnapshotInput,
): Promise<void> {
  const previous = await readRun(context, input);
  const firstSave = previous === null ? await readFirstSave(context, input) : null;
  const now = new Date();
  const firstCreatedAt = firstSave === null ? undefined : new Date(firstSave.createdAt);

  const next: StoredRun = {
    workflowName: input.workflowName,
    runId: input.runId,
    resourceId: input.resourceId ?? previous?.resourceId,
    snapshot: input.snapshot,
    createdAt: input.createdAt ?? previous?.createdAt ?? firstCreatedAt ?? now,
    updatedAt: input.updatedAt ?? now,
    orderTiebreak: previous?.orderTiebreak ?? firstSave?.orderTiebreak ?? reserveTiebreaks(1),
  };
  await saveRun(context, index, previous, next, firstSave);
}

/**
 * Deletes every key of a run: its index entries and lookup key first, in one `deleteMany`, then
 * its record and the chunks of its snapshot. Entries are found from the record, or from the
 * lookup key of a first save that failed before writing it, so a delete that fails part way can
 * be retried and finishes the job. The record is then read again: a concurrent save that wrote
 * it after the delete gets back the deleted keys it needs, so the run it left stays listed.
 */
export async function removeRun(
  context: StoreContext,
  index: RunIndex,
  ref: RunRef,
): Promise<void> {
  const stored = await readRun(context, ref);
  const firstSave = stored === null ? await readFirstSave(context, ref) : null;
  const run = stored ?? (firstSave === null ? null : runOfFirstSave(ref, firstSave));
  const keys = run === null ? [] : index.keysOf(index.entriesOf(run));
  keys.push(lookupKey(context, ref));

  await context.transport.deleteMany(TABLE_WORKFLOW_SNAPSHOT, keys);
  await deleteRun(context, ref);
  await putBackNeededKeys(context.transport, TABLE_WORKFLOW_SNAPSHOT, keys, () =>
    readNeededEntries(context, index, ref, stored),
  );
}
