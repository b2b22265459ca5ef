import type { SortedSet, SortedSetEntry } from '@cfkv/core';
import type { StorageListWorkflowRunsInput, WorkflowRun, WorkflowRuns } from '@mastra/core/storage';
import { repeatedIds } from '../../repeated-ids.js';
import type { StoreContext } from '../../store-context.js';
import { scanSortedSet } from '../memory/ordered-scan.js';
import { findWorkflowNames } from './run-id-lookup.js';
import { entryDescribesRun, parseMember, type RunFilter, type RunIndex } from './run-index.js';
import { parseListQuery } from './list-runs-input.js';
import { readRun, readRuns, toWorkflowRun, type StoredRun } from './snapshot-records.js';

/**
 * Lists runs newest first with Mastra's filters and paging. The filters pick one index owner
 * whose entries are exactly the matching runs, so the read lists that owner's entries (one list
 * call per 1000, stopping at `fromDate`) to count `total`, then reads only the page's records.
 */
export async function listRuns(
  context: StoreContext,
  index: RunIndex,
  input: StorageListWorkflowRunsInput | undefined,
): Promise<WorkflowRuns> {
  const query = parseListQuery(input);
  index.assertFits(query.filter);
  const { set, owner } = index.select(query.filter);

  const listed = await readEntriesInRange(set, owner, query.fromMs, query.toMs);
  const entries = await keepCurrentEntryOfRepeatedRuns(context, listed, query.filter);
  const pageEntries = entries.slice(query.offset, query.offset + query.limit);
  const records = await readRuns(
    context,
    pageEntries.map((entry) => parseMember(entry.member)),
  );

  const runs = pageEntries.flatMap((entry, position) => {
    const run = records[position] ?? null;
    return entryDescribesRun(entry, run, query.filter) ? [toWorkflowRun(run)] : [];
  });
  return { runs, total: entries.length };
}

/**
 * Returns a run by id. Without a workflow name it lists the run id's lookup keys and returns
 * the newest of the runs found, as Mastra does when two workflows share a run id.
 */
export async function getRunById(
  context: StoreContext,
  runId: string,
  workflowName: string | undefined,
): Promise<WorkflowRun | null> {
  if (workflowName) {
    const run = await readRun(context, { workflowName, runId });
    return run === null ? null : toWorkflowRun(run);
  }

  const names = await findWorkflowNames(context, runId);
  const records = await readRuns(
    context,
    names.map((name) => ({ workflowName: name, runId })),
  );

  const newest = records
    .filter((run): run is StoredRun => run !== null)
    .sort((left, right) => right.createdAt.getTime() - left.createdAt.getTime())[0];
  return newest === undefined ? null : toWorkflowRun(newest);
}

/**
 * Reads the owner's entries newest first within [fromMs, toMs], one per run. KV lists keys only
 * from the start of a prefix, so entries newer than `toMs` are listed and skipped. The listing
 * stops at the first entry older than `fromMs`.
 */
async function readEntriesInRange(
  set: SortedSet,
  owner: string,
  fromMs: number,
  toMs: number,
): Promise<SortedSetEntry[]> {
  let passedFromDate = false;
  const isInRange = (entry: SortedSetEntry): boolean => {
    if (entry.score < fromMs) passedFromDate = true;
    return entry.score >= fromMs && entry.score <= toMs;
  };

  const listed =
    fromMs === -Infinity
      ? (await set.range(owner, { direction: 'desc' })).filter(isInRange)
      : (
          await scanSortedSet(set, owner, {
            direction: 'desc',
            wanted: Number.POSITIVE_INFINITY,
            accept: isInRange,
            isEnough: () => passedFromDate,
          })
        ).entries;
  return listed;
}

/**
 * Keeps one entry per run. A run is listed twice while a concurrent write moves it, or after two
 * concurrent first saves each filed it under its own createdAt and tiebreak. For such runs the
 * records are read (one bulk get per 100 runs) and only the entry the record describes is kept,
 * so the run is listed once, wherever the record that was written last puts it.
 */
async function keepCurrentEntryOfRepeatedRuns(
  context: StoreContext,
  entries: readonly SortedSetEntry[],
  filter: RunFilter,
): Promise<SortedSetEntry[]> {
  const repeated = repeatedIds(entries, (entry) => entry.member);
  if (repeated.length === 0) return [...entries];

  const records = await readRuns(context, repeated.map(parseMember));
  const recordOf = new Map(repeated.map((member, position) => [member, records[position]]));
  return entries.filter((entry) => {
    if (!recordOf.has(entry.member)) return true;
    return entryDescribesRun(entry, recordOf.get(entry.member) ?? null, filter);
  });
}
