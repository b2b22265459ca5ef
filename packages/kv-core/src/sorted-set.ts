import { chunk } from './batching.js';
import { assertMetadataSize } from './entry-validation.js';
import { CfkvError } from './errors.js';
import type { KeySchema } from './key-schema.js';
import { MAX_BULK_DELETE_KEYS, MAX_LIST_LIMIT } from './limits.js';
import { collectAllKeys, listAllKeys } from './list-all-keys.js';
import {
  decodeDescendingScore,
  decodeDescendingSequence,
  decodeScore,
  decodeSequence,
  encodeDescendingScore,
  encodeDescendingSequence,
  encodeScore,
  encodeSequence,
} from './score-encoding.js';
import type { KvEntry, ListedKey, Transport } from './transport.js';

export interface SortedSetEntry {
  member: string;
  /** Sort key, usually milliseconds since the epoch; any finite number. */
  score: number;
  /** Order among equal scores, usually the insertion order; a non-negative safe integer. */
  tiebreak: number;
  /** JSON kept in KV list metadata (at most 1024 bytes serialized), returned by `range`. */
  metadata?: unknown;
}

export type SortDirection = 'asc' | 'desc';

export interface SortedSetRangeOptions {
  direction: SortDirection;
  /** Most entries returned. Default: all after `offset`. */
  limit?: number;
  /** Entries skipped from the start, in `direction` order. Default 0. */
  offset?: number;
}

export interface SortedSetOptions {
  transport: Transport;
  keys: KeySchema;
  table: string;
  /** Name of this set within the table, the first key part of every entry. */
  index: string;
  /** Name used for the owner in errors, such as `threadId`. Default `owner`. */
  ownerField?: string;
  /** Name used for the member in errors, such as `messageId`. Default `member`. */
  memberField?: string;
}

/** Value of every sorted-set key; what matters is in the key name and its list metadata. */
const ENTRY_VALUE = '';
const ASCENDING_PART = 'a';
const DESCENDING_PART = 'd';

/**
 * A sorted set per owner, kept in key names because KV has no sorted sets and no transactions.
 * Each member has two keys, `{index}:{owner}:a:{score}:{tiebreak}:{member}` and the same under
 * `d` with descending encodings, so both directions are one prefix list. Adding a member only
 * writes its own keys, so concurrent writers never erase each other's members.
 */
export class SortedSet {
  readonly #transport: Transport;
  readonly #keys: KeySchema;
  readonly #table: string;
  readonly #index: string;
  readonly #ownerField: string;
  readonly #memberField: string;

  constructor(options: SortedSetOptions) {
    this.#transport = options.transport;
    this.#keys = options.keys;
    this.#table = options.table;
    this.#index = options.index;
    this.#ownerField = options.ownerField ?? 'owner';
    this.#memberField = options.memberField ?? 'member';
  }

  /** Writes both keys of every member in one `putMany`; nothing is read first. */
  async add(owner: string, members: readonly SortedSetEntry[]): Promise<void> {
    const entries = this.toKvEntries(owner, members);
    if (entries.length === 0) return;

    await this.#transport.putMany(this.#table, entries);
  }

  /** Deletes both keys of every member; the score and tiebreak must be those it was added with. */
  async remove(owner: string, members: readonly SortedSetEntry[]): Promise<void> {
    const keys = this.entryKeys(owner, members);
    if (keys.length === 0) return;

    await this.#transport.deleteMany(this.#table, keys);
  }

  /**
   * Builds the KV entries `add` would write, so a caller can write them in the same `putMany`
   * as the records they index when both live in this set's table.
   */
  toKvEntries(owner: string, members: readonly SortedSetEntry[]): KvEntry[] {
    return members.flatMap((member) => this.#entriesOf(owner, member));
  }

  /** Returns the keys `remove` would delete, both directions of every member. */
  entryKeys(owner: string, members: readonly SortedSetEntry[]): string[] {
    return members.flatMap((member) => [
      this.#key(owner, ASCENDING_PART, member),
      this.#key(owner, DESCENDING_PART, member),
    ]);
  }

  /**
   * Returns entries in `direction` order from the list alone. It lists only until
   * `offset + limit` keys are seen, so a page near the start costs one list call.
   */
  async range(owner: string, options: SortedSetRangeOptions): Promise<SortedSetEntry[]> {
    const offset = options.offset ?? 0;
    assertCount(offset, 'offset');
    if (options.limit !== undefined) assertCount(options.limit, 'limit');
    if (options.limit === 0) return [];
    const end = options.limit === undefined ? Infinity : offset + options.limit;
    const part = options.direction === 'desc' ? DESCENDING_PART : ASCENDING_PART;
    const prefix = this.#ownerPrefix(owner, part);
    const pageLimit = Math.min(MAX_LIST_LIMIT, end);

    const entries: SortedSetEntry[] = [];
    let position = 0;
    for await (const listed of listAllKeys(this.#transport, this.#table, prefix, { pageLimit })) {
      if (position >= offset) entries.push(this.#parse(listed, part));
      position += 1;
      if (position >= end) break;
    }
    return entries;
  }

  /** Characters in an entry's order position (encoded score and tiebreak): the deepest bucket. */
  readonly positionLength = encodeScore(0).length + 1 + encodeSequence(0).length;

  /**
   * Yields the owner's entries in `direction` order whose order position shares its first
   * `depth` characters with `center`'s, fetching a list page only when the caller reads on.
   * Depth 0 is the whole set, and each further character narrows the range of scores, so the
   * entries near any member are a prefix list away although KV cannot start a list at a key.
   * With `step` n, it yields the n-th bucket of that depth after the center's in `direction`
   * order instead, and nothing when the set's order positions end before it.
   */
  async *bucket(
    owner: string,
    direction: SortDirection,
    center: SortedSetEntry,
    depth: number,
    step = 0,
  ): AsyncGenerator<SortedSetEntry, void, undefined> {
    if (!Number.isInteger(depth) || depth < 0 || depth > this.positionLength) {
      throw new CfkvError(
        'INVALID_ARGUMENT',
        `depth must be an integer from 0 to ${this.positionLength}, got ${depth}.`,
        { field: 'depth', limit: this.positionLength, actual: depth },
      );
    }
    const part = direction === 'desc' ? DESCENDING_PART : ASCENDING_PART;
    const ownerPrefix = this.#ownerPrefix(owner, part);
    const position = this.#key(owner, part, center).slice(ownerPrefix.length);
    const bucketPrefix = nextPositionPrefix(position.slice(0, depth), step);
    if (bucketPrefix === undefined) return;

    const prefix = ownerPrefix + bucketPrefix;
    for await (const listed of listAllKeys(this.#transport, this.#table, prefix)) {
      yield this.#parse(listed, part);
    }
  }

  /** Counts the owner's members: one list call per 1000 members. */
  async count(owner: string): Promise<number> {
    const prefix = this.#ownerPrefix(owner, ASCENDING_PART);

    let count = 0;
    for await (const _listed of listAllKeys(this.#transport, this.#table, prefix)) count += 1;
    return count;
  }

  /**
   * Deletes every key of the owner in this set, in both directions, and returns the members
   * those keys named, so a caller can clean up after members added since it last read the set.
   */
  async removeOwner(owner: string): Promise<string[]> {
    this.#ownerPrefix(owner, ASCENDING_PART);
    const prefix = this.#keys.prefix(this.#table, [this.#index, owner]);
    const listed = await collectAllKeys(this.#transport, this.#table, prefix);
    const names = listed.map((key) => key.name);

    for (const batch of chunk(names, MAX_BULK_DELETE_KEYS)) {
      await this.#transport.deleteMany(this.#table, batch);
    }
    return [...new Set(names.flatMap((name) => this.#memberOf(name)))];
  }

  #entriesOf(owner: string, member: SortedSetEntry): KvEntry[] {
    const ascendingKey = this.#key(owner, ASCENDING_PART, member);
    const descendingKey = this.#key(owner, DESCENDING_PART, member);
    if (member.metadata === undefined) {
      return [
        { key: ascendingKey, value: ENTRY_VALUE },
        { key: descendingKey, value: ENTRY_VALUE },
      ];
    }

    assertMetadataSize(this.#table, ascendingKey, member.metadata);
    return [
      { key: ascendingKey, value: ENTRY_VALUE, metadata: member.metadata },
      { key: descendingKey, value: ENTRY_VALUE, metadata: member.metadata },
    ];
  }

  /**
   * Returns the prefix of the owner's entries in one direction. It first checks that an entry key
   * without its member fits KV's key limit, so a too-long owner id raises KEY_TOO_LARGE.
   */
  #ownerPrefix(owner: string, part: string): string {
    const orderParts = [encodeScore(0), encodeSequence(0)];
    this.#keys.key(this.#table, [this.#index, owner, part, ...orderParts], this.#ownerField);
    return this.#keys.prefix(this.#table, [this.#index, owner, part]);
  }

  #key(owner: string, part: string, member: SortedSetEntry): string {
    const score = part === ASCENDING_PART ? encodeScore : encodeDescendingScore;
    const sequence = part === ASCENDING_PART ? encodeSequence : encodeDescendingSequence;
    const orderParts = [score(member.score), sequence(member.tiebreak)];

    // Checking the key without the member first shows which id made it too long.
    this.#keys.key(this.#table, [this.#index, owner, part, ...orderParts], this.#ownerField);
    return this.#keys.key(
      this.#table,
      [this.#index, owner, part, ...orderParts, member.member],
      this.#memberField,
    );
  }

  /** Returns the member a key of this set names, or none for a key of another shape. */
  #memberOf(name: string): string[] {
    const parts = this.#keys.parse(this.#table, name);
    return parts.length === 6 ? [parts[5]!] : [];
  }

  #parse(listed: ListedKey, part: string): SortedSetEntry {
    const parts = this.#keys.parse(this.#table, listed.name);
    const [, , , scoreText, sequenceText, member] = parts;
    if (parts.length !== 6 || scoreText === undefined || sequenceText === undefined) {
      throw new CfkvError('CORRUPT_RECORD', `${listed.name} is not a sorted-set key.`, {
        table: this.#table,
        key: listed.name,
      });
    }

    const isAscending = part === ASCENDING_PART;
    const entry: SortedSetEntry = {
      member: member as string,
      score: isAscending ? decodeScore(scoreText) : decodeDescendingScore(scoreText),
      tiebreak: isAscending ? decodeSequence(sequenceText) : decodeDescendingSequence(sequenceText),
    };
    if (listed.metadata !== undefined && listed.metadata !== null) entry.metadata = listed.metadata;
    return entry;
  }
}

const POSITION_DIGITS = '0123456789abcdefghijklmnopqrstuv';
const HEX_DIGITS = 16;

/**
 * Returns the prefix `steps` after `prefix` among order-position prefixes of its length, or
 * undefined past the last. A position is 16 hex digits of score, a separator, then base-32
 * digits of tiebreak, so each character counts in its own base and the separator is skipped.
 */
function nextPositionPrefix(prefix: string, steps: number): string | undefined {
  const characters = [...prefix];
  for (let step = 0; step < steps; step++) {
    let index = characters.length - 1;
    for (; index >= 0; index--) {
      const base = positionDigitBase(index);
      if (base === 0) continue;
      const digit = POSITION_DIGITS.indexOf(characters[index]!);
      if (digit + 1 < base) {
        characters[index] = POSITION_DIGITS[digit + 1]!;
        break;
      }
      characters[index] = '0';
    }
    if (index < 0) return undefined;
  }
  return characters.join('');
}

/** Returns the base of the digit at `index` of an order position, or 0 for the separator. */
function positionDigitBase(index: number): number {
  if (index < HEX_DIGITS) return HEX_DIGITS;
  if (index === HEX_DIGITS) return 0;
  return 32;
}

function assertCount(value: number, field: string): void {
  if (Number.isSafeInteger(value) && value >= 0) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${field} must be a non-negative integer, got ${value}.`,
    {
      field,
      actual: value,
    },
  );
}
