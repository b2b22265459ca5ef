import {
  escapeKeyPart,
  SortedSet,
  unescapeKeyPart,
  type KvEntry,
  type SortedSetEntry,
} from '@cfkv/core';
import { TABLE_WORKFLOW_SNAPSHOT } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';
import type { RunRef, StoredRun } from './snapshot-records.js';

export type RunFilterField = 'workflowName' | 'resourceId' | 'status';

/** The listWorkflowRuns filters that indexes serve. An empty or absent value filters nothing. */
export type RunFilter = Partial<Record<RunFilterField, string>>;

export interface RunIndexDefinition {
  name: string;
  fields: readonly RunFilterField[];
}

/**
 * One index per combination of filters, so that every combined filter is read from one owner's
 * entries in createdAt order, never from a wider index filtered afterwards. Names are short
 * because they are part of every index key, which KV limits to 512 bytes.
 */
export const RUN_INDEXES: readonly RunIndexDefinition[] = [
  { name: 'runs', fields: [] },
  { name: 'runs-w', fields: ['workflowName'] },
  { name: 'runs-r', fields: ['resourceId'] },
  { name: 'runs-s', fields: ['status'] },
  { name: 'runs-wr', fields: ['workflowName', 'resourceId'] },
  { name: 'runs-ws', fields: ['workflowName', 'status'] },
  { name: 'runs-rs', fields: ['resourceId', 'status'] },
  { name: 'runs-wrs', fields: ['workflowName', 'resourceId', 'status'] },
];

/** Owner of the index of every run, which has no filter value to be owned by. */
const ALL_RUNS_OWNER = 'all';

/** Joins escaped values, so the joined part splits back into exactly those values. */
const JOINED_PART_SEPARATOR = ':';

/** One key pair of a run in one index: the index, the owner (its filter values) and the entry. */
export interface RunIndexEntry {
  index: RunIndexDefinition;
  owner: string;
  entry: SortedSetEntry;
}

/**
 * The runs of each filter combination, newest first by createdAt, as sorted sets whose member
 * is the run's workflow name and run id. The run record stays the truth: a reader skips an
 * entry that no longer describes its record.
 */
export class RunIndex {
  readonly #sets: ReadonlyMap<string, SortedSet>;

  constructor(context: StoreContext) {
    this.#sets = new Map(
      RUN_INDEXES.map((index) => [
        index.name,
        new SortedSet({
          transport: context.transport,
          keys: context.keys,
          table: TABLE_WORKFLOW_SNAPSHOT,
          index: index.name,
          ownerField: ownerFieldOf(index),
          memberField: 'runId',
        }),
      ]),
    );
  }

  /** Selects the sorted set and owner whose entries are exactly the runs matching `filter`. */
  select(filter: RunFilter): { set: SortedSet; owner: string } {
    const fields = FILTER_FIELDS.filter((field) => Boolean(filter[field]));
    const index = RUN_INDEXES.find((candidate) => sameFields(candidate.fields, fields))!;
    return { set: this.#setOf(index), owner: ownerOf(index, filter) };
  }

  /**
   * Builds the longest index keys of a run with these filter values and `member`, so a key over
   * KV's 512-byte limit rejects before any KV call. Each value is checked alone first, so the
   * error names the field that made the key too long.
   */
  assertFits(values: RunFilter, member = ''): void {
    const probe: SortedSetEntry = { member, score: 0, tiebreak: 0 };
    for (const field of FILTER_FIELDS) {
      if (values[field]) this.#buildKeys({ [field]: values[field] }, probe);
    }
    this.#buildKeys({}, probe);
    this.#buildKeys(values, probe);
  }

  #buildKeys(filter: RunFilter, probe: SortedSetEntry): void {
    const { set, owner } = this.select(filter);
    set.entryKeys(owner, [probe]);
  }

  /** Returns the run's entries: one per index whose fields all have a value on the run. */
  entriesOf(run: StoredRun): RunIndexEntry[] {
    const values = filterValuesOf(run);
    const entry: SortedSetEntry = {
      member: memberOf(run),
      score: run.createdAt.getTime(),
      tiebreak: run.orderTiebreak ?? 0,
    };
    return RUN_INDEXES.filter((index) => index.fields.every((field) => Boolean(values[field]))).map(
      (index) => ({ index, owner: ownerOf(index, values), entry }),
    );
  }

  /** Builds the KV entries of `entries`, for one `putMany` with the run's other new keys. */
  toKvEntries(entries: readonly RunIndexEntry[]): KvEntry[] {
    return entries.flatMap(({ index, owner, entry }) =>
      this.#setOf(index).toKvEntries(owner, [entry]),
    );
  }

  /** Builds the KV keys of `entries`, for one `deleteMany` with the run's other old keys. */
  keysOf(entries: readonly RunIndexEntry[]): string[] {
    return entries.flatMap(({ index, owner, entry }) =>
      this.#setOf(index).entryKeys(owner, [entry]),
    );
  }

  #setOf(index: RunIndexDefinition): SortedSet {
    return this.#sets.get(index.name)!;
  }
}

const FILTER_FIELDS: readonly RunFilterField[] = ['workflowName', 'resourceId', 'status'];

/** Returns the entries that `others` lacks, compared by index, owner, score, tiebreak, member. */
export function entriesMissingFrom(
  entries: readonly RunIndexEntry[],
  others: readonly RunIndexEntry[],
): RunIndexEntry[] {
  const otherIds = new Set(others.map(entryId));
  return entries.filter((entry) => !otherIds.has(entryId(entry)));
}

/**
 * True when `entry`, read from the index that serves `filter`, still describes `run`: the run
 * exists, was created at the entry's score with its tiebreak and still has the filter's values.
 */
export function entryDescribesRun(
  entry: SortedSetEntry,
  run: StoredRun | null,
  filter: RunFilter,
): run is StoredRun {
  if (run === null) return false;
  if (run.createdAt.getTime() !== entry.score || (run.orderTiebreak ?? 0) !== entry.tiebreak) {
    return false;
  }
  const values = filterValuesOf(run);
  return FILTER_FIELDS.every((field) => !filter[field] || values[field] === filter[field]);
}

export function memberOf(ref: RunRef): string {
  return joinValues([ref.workflowName, ref.runId]);
}

export function parseMember(member: string): RunRef {
  const [workflowName = '', runId = ''] = member.split(JOINED_PART_SEPARATOR).map(unescapeKeyPart);
  return { workflowName, runId };
}

export function filterValuesOf(
  run: Pick<StoredRun, 'workflowName' | 'resourceId' | 'snapshot'>,
): RunFilter {
  const status: unknown = run.snapshot?.status;
  return {
    workflowName: run.workflowName,
    resourceId: run.resourceId,
    status: typeof status === 'string' ? status : undefined,
  };
}

function ownerOf(index: RunIndexDefinition, values: RunFilter): string {
  if (index.fields.length === 0) return ALL_RUNS_OWNER;
  return joinValues(index.fields.map((field) => values[field] ?? ''));
}

function ownerFieldOf(index: RunIndexDefinition): string {
  return index.fields.length === 0 ? 'owner' : index.fields.join(' + ');
}

function joinValues(values: readonly string[]): string {
  return values.map(escapeKeyPart).join(JOINED_PART_SEPARATOR);
}

function sameFields(left: readonly RunFilterField[], right: readonly RunFilterField[]): boolean {
  return left.length === right.length && left.every((field) => right.includes(field));
}

function entryId({ index, owner, entry }: RunIndexEntry): string {
  return JSON.stringify([index.name, owner, entry.score, entry.tiebreak, entry.member]);
}
