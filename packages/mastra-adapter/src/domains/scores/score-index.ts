import {
  CfkvError,
  collectAllKeys,
  decodeDescendingScore,
  decodeSequence,
  encodeDescendingScore,
  encodeSequence,
  escapeKeyPart,
  MAX_METADATA_BYTES,
  utf8ByteLength,
  type KvEntry,
  type ListedKey,
} from '@cfkv/core';
import { TABLE_SCORERS } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';
import type { StoredScore } from './score-records.js';

/** Score fields that list filters test, kept in each index entry's list metadata. */
export interface ScoreFilterFields {
  entityId?: string;
  entityType?: string;
  source?: string;
  organizationId?: string | null;
  projectId?: string | null;
}

/** One index entry as listed: which score, when it was created, and its filter fields. */
export interface ScoreIndexEntry {
  scoreId: string;
  createdAtMs: number;
  tiebreak: number;
  fields: ScoreFilterFields;
}

export type ScoreIndexKind = 'scorer' | 'run' | 'entity' | 'span';

interface ScoreIndexDefinition {
  /** First key part of every entry of this index. */
  name: string;
  /** Field named in a KEY_TOO_LARGE error when the owner makes the key too long. */
  ownerField: (score: StoredScore) => string;
  /** The owner a score is filed under, or undefined when the score has none here. */
  ownerOf: (score: StoredScore) => string | undefined;
}

const INDEXES: Record<ScoreIndexKind, ScoreIndexDefinition> = {
  scorer: { name: 'scores-by-scorer', ownerField: () => 'scorerId', ownerOf: (s) => s.scorerId },
  run: { name: 'scores-by-run', ownerField: () => 'runId', ownerOf: (s) => s.runId },
  entity: {
    name: 'scores-by-entity',
    ownerField: (s) => longerField(s, 'entityId', 'entityType'),
    ownerOf: (s) => (s.entityType ? entityOwner(s.entityId, s.entityType) : undefined),
  },
  span: {
    name: 'scores-by-span',
    ownerField: (s) => longerField(s, 'traceId', 'spanId'),
    ownerOf: (s) => (s.traceId && s.spanId ? spanOwner(s.traceId, s.spanId) : undefined),
  },
};

const INDEX_KINDS = Object.keys(INDEXES) as ScoreIndexKind[];

/** Value of every index key; what matters is in the key name and its list metadata. */
const ENTRY_VALUE = '';

/**
 * Newest-first indexes of scores, one per Mastra list query, kept in key names:
 * `{index}:{owner}:{descending createdAt}:{tiebreak}:{scoreId}`. One prefix list returns an
 * owner's scores newest first, and equal createdAt values in save order, as Mastra's in-memory
 * store returns them. Scores are never read oldest first, so unlike SortedSet there is no
 * ascending copy, which halves the writes of a save.
 */
export class ScoreIndexes {
  readonly #context: StoreContext;

  constructor(context: StoreContext) {
    this.#context = context;
  }

  /** Builds the index entries of a score, checking each key against KV's key limit. */
  entriesOf(score: StoredScore): KvEntry[] {
    const metadata = filterFieldsOf(score);
    assertMetadataFits(metadata);
    return this.keysOf(score).map((key) => ({ key, value: ENTRY_VALUE, metadata }));
  }

  keysOf(score: StoredScore): string[] {
    return INDEX_KINDS.flatMap((kind) => {
      const owner = INDEXES[kind].ownerOf(score);
      return owner === undefined ? [] : [this.#key(kind, owner, score)];
    });
  }

  /**
   * Lists every entry of one owner, newest first: one list call per 1000 entries. `ownerIds` are
   * the ids that make up the owner, so an owner too long for any key names its longest id.
   */
  async read(
    kind: ScoreIndexKind,
    owner: string,
    ownerIds: Partial<StoredScore>,
  ): Promise<ScoreIndexEntry[]> {
    const definition = INDEXES[kind];
    const orderParts = [encodeDescendingScore(0), encodeSequence(0)];
    const ownerField = definition.ownerField(ownerIds as StoredScore);
    this.#context.keys.key(TABLE_SCORERS, [definition.name, owner, ...orderParts], ownerField);
    const prefix = this.#context.keys.prefix(TABLE_SCORERS, [definition.name, owner]);
    const listed = await collectAllKeys(this.#context.transport, TABLE_SCORERS, prefix);
    return listed.map((key) => this.#parse(key));
  }

  /** Returns true when `score` is still filed where `entry` points, so the entry is current. */
  matches(
    kind: ScoreIndexKind,
    owner: string,
    entry: ScoreIndexEntry,
    score: StoredScore,
  ): boolean {
    return (
      INDEXES[kind].ownerOf(score) === owner &&
      score.id === entry.scoreId &&
      new Date(score.createdAt).getTime() === entry.createdAtMs &&
      score.orderTiebreak === entry.tiebreak
    );
  }

  #key(kind: ScoreIndexKind, owner: string, score: StoredScore): string {
    const definition = INDEXES[kind];
    const createdAtMs = new Date(score.createdAt).getTime();
    const orderParts = [encodeDescendingScore(createdAtMs), encodeSequence(score.orderTiebreak)];

    // Checking the key without the score id first shows which id made it too long.
    const ownerParts = [definition.name, owner, ...orderParts];
    this.#context.keys.key(TABLE_SCORERS, ownerParts, definition.ownerField(score));
    return this.#context.keys.key(TABLE_SCORERS, [...ownerParts, score.id], 'id');
  }

  #parse(listed: ListedKey): ScoreIndexEntry {
    const parts = this.#context.keys.parse(TABLE_SCORERS, listed.name);
    const [, , createdAtText, tiebreakText, scoreId] = parts;
    if (parts.length !== 5 || createdAtText === undefined || tiebreakText === undefined) {
      throw new CfkvError('CORRUPT_RECORD', `${listed.name} is not a score index key.`, {
        table: TABLE_SCORERS,
        key: listed.name,
      });
    }

    return {
      scoreId: scoreId as string,
      createdAtMs: decodeDescendingScore(createdAtText),
      tiebreak: decodeSequence(tiebreakText),
      fields: (listed.metadata ?? {}) as ScoreFilterFields,
    };
  }
}

/**
 * Builds the owner of a score in the entity index. Each id is escaped before the two are
 * joined, so no pair of ids can produce the owner of another pair.
 */
export function entityOwner(entityId: string, entityType: string): string {
  return `${escapeKeyPart(entityType)}:${escapeKeyPart(entityId)}`;
}

export function spanOwner(traceId: string, spanId: string): string {
  return `${escapeKeyPart(traceId)}:${escapeKeyPart(spanId)}`;
}

/** Returns the filter fields of a score, as its index entries carry them in list metadata. */
export function filterFieldsOf(score: StoredScore): ScoreFilterFields {
  const fields: ScoreFilterFields = { entityId: score.entityId, source: score.source };
  if (score.entityType !== undefined) fields.entityType = score.entityType;
  if (score.organizationId !== undefined) fields.organizationId = score.organizationId;
  if (score.projectId !== undefined) fields.projectId = score.projectId;
  return fields;
}

/**
 * Rejects a score whose filter fields do not fit in KV's 1024 bytes of list metadata, naming
 * the longest of them, before anything is written.
 */
function assertMetadataFits(fields: ScoreFilterFields): void {
  const bytes = utf8ByteLength(JSON.stringify(fields));
  if (bytes <= MAX_METADATA_BYTES) return;

  const longest = Object.entries(fields).sort(
    ([, left], [, right]) => String(right ?? '').length - String(left ?? '').length,
  )[0]![0];
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `entityId, entityType, source, organizationId and projectId take ${bytes} bytes of index ` +
      `metadata together; KV metadata is at most ${MAX_METADATA_BYTES} bytes, so shorten ${longest}.`,
    { table: TABLE_SCORERS, field: longest, limit: MAX_METADATA_BYTES, actual: bytes },
  );
}

function longerField<Field extends 'entityId' | 'entityType' | 'traceId' | 'spanId'>(
  score: StoredScore,
  first: Field,
  second: Field,
): Field {
  return String(score[first] ?? '').length >= String(score[second] ?? '').length ? first : second;
}
