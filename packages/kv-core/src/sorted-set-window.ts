import { MAX_LIST_LIMIT } from './limits.js';
import { decodeScore, encodeScore } from './score-encoding.js';
import type { SortDirection, SortedSet, SortedSetEntry } from './sorted-set.js';

export interface WindowOptions {
  /** Entries to read just below the center (lower score, or equal score and lower tiebreak). */
  below: number;
  /** Entries to read just above the center. */
  above: number;
  /** Keeps an entry; entries it rejects are skipped and not counted. */
  accept?: (entry: SortedSetEntry) => boolean;
}

export interface SortedSetWindow {
  /** False when the center is not in the set; both sides are then empty. */
  found: boolean;
  /** Accepted entries just below the center, in ascending order. */
  below: SortedSetEntry[];
  /** Accepted entries just above the center, in ascending order. */
  above: SortedSetEntry[];
}

type Side = 'below' | 'above';

/** One side of a window being read: `count` entries on `side` of `center` in `owner`'s set. */
interface SideQuery {
  set: SortedSet;
  owner: string;
  center: SortedSetEntry;
  side: Side;
  count: number;
  accept: (entry: SortedSetEntry) => boolean;
}

/** The outcome of reading one side of the center in one bucket. */
type BucketRead =
  | { kind: 'enough'; nearestFirst: SortedSetEntry[] }
  | { kind: 'too-few'; nearestFirst: SortedSetEntry[] }
  | { kind: 'too-many' }
  | { kind: 'missing' };

/** Entries a bucket should hold for its first probe: few list pages, and both sides likely full. */
const GUESSED_BUCKET_ENTRIES = 64;
/** Next buckets of the same depth read before a side looks for a wider bucket. */
const NEXT_BUCKETS_READ = 2;

/**
 * Reads the entries around one member of a sorted set without listing the set from one end.
 * The first page from the top serves a member among the highest 1000. Otherwise each side looks
 * for a bucket (the entries sharing a prefix of the center's order position) that has the
 * center within one page and enough entries on that side. The depth is guessed from the
 * spacing of scores in that page. A side that falls short reads the next buckets of that
 * depth, and after that a binary search over depths runs. A side takes a few list calls at
 * any set size.
 */
export async function readWindow(
  set: SortedSet,
  owner: string,
  center: SortedSetEntry,
  options: WindowOptions,
): Promise<SortedSetWindow> {
  const accept = options.accept ?? (() => true);
  const top = await readTopPage(set, owner, center, options.below, accept);
  if (top.kind === 'missing') return { found: false, below: [], above: [] };
  if (top.kind === 'found') {
    return {
      found: true,
      below: top.below.reverse(),
      above: top.above.slice(0, options.above),
    };
  }

  const guess = guessDepth(set, center, top.scores, Math.max(options.below, options.above));
  // A side that wants nothing is read only to learn whether the center is there.
  const sides = (['below', 'above'] as const).map((side) =>
    options[side] > 0 || (side === 'above' && options.below === 0)
      ? readSide({ set, owner, center, side, count: options[side], accept }, guess)
      : Promise.resolve([]),
  );
  const [below, above] = await Promise.all(sides);
  if (below === undefined || above === undefined) return { found: false, below: [], above: [] };
  return { found: true, below: below.reverse(), above };
}

type TopPage =
  | { kind: 'found'; below: SortedSetEntry[]; above: SortedSetEntry[] }
  | { kind: 'missing' }
  | { kind: 'deeper'; scores: number[] };

/**
 * Reads the set from its highest entry. When the center is within the first page, every entry
 * above it is in hand, and the entries below it follow in the same listing.
 */
async function readTopPage(
  set: SortedSet,
  owner: string,
  center: SortedSetEntry,
  belowCount: number,
  accept: (entry: SortedSetEntry) => boolean,
): Promise<TopPage> {
  const above: SortedSetEntry[] = [];
  const scores: number[] = [];
  const below: SortedSetEntry[] = [];
  let found = false;
  for await (const entry of set.bucket(owner, 'desc', center, 0)) {
    if (found) {
      if (below.length >= belowCount) break;
      if (accept(entry)) below.push(entry);
      continue;
    }
    if (isCenter(entry, center)) {
      found = true;
      if (below.length >= belowCount) break;
      continue;
    }
    scores.push(entry.score);
    if (accept(entry)) above.push(entry);
    if (scores.length >= MAX_LIST_LIMIT) return { kind: 'deeper', scores };
  }
  if (!found) return { kind: 'missing' };
  return { kind: 'found', below, above: above.reverse() };
}

/**
 * Returns one side's entries, nearest first, or undefined when the center is not in the set.
 */
async function readSide(query: SideQuery, guess: number): Promise<SortedSetEntry[] | undefined> {
  const read = (depth: number) => readBucket(query, depth);
  const { set } = query;
  const first = await read(guess);
  if (first.kind === 'missing') return undefined;
  if (first.kind === 'enough') return first.nearestFirst;
  const extend = (depth: number, nearestFirst: readonly SortedSetEntry[]) =>
    readNextBuckets(query, depth, [...nearestFirst]);
  if (first.kind === 'too-few') {
    // A center near the bottom of the set has its lower side within the set's lowest page.
    // (The top page, read already, serves the upper side of a center near the top.)
    const bottom = query.side === 'below' ? await readFromFarEnd(query, 0) : undefined;
    if (bottom?.kind === 'missing') return undefined;
    if (bottom !== undefined && bottom.kind !== 'too-many') return bottom.nearestFirst;
    const extended = await extend(guess, first.nearestFirst);
    if (extended !== undefined) return extended;
  }

  // Shallower buckets have more entries on both sides. Too many before the center calls for
  // a deeper bucket, and too few on the side for a shallower one.
  let low = first.kind === 'too-many' ? guess + 1 : 0;
  let high = first.kind === 'too-many' ? set.positionLength : guess - 1;
  let fewest = first.kind === 'too-few' ? first.nearestFirst : [];
  while (low <= high) {
    const depth = Math.floor((low + high) / 2);
    const bucket = await read(depth);
    if (bucket.kind === 'missing') return undefined;
    if (bucket.kind === 'enough') return bucket.nearestFirst;
    if (bucket.kind === 'too-few') {
      fewest = bucket.nearestFirst;
      high = depth - 1;
    } else {
      low = depth + 1;
    }
  }
  // Depth 0 had too few: that is every entry on this side.
  if (high < 0) return fewest;
  // Depth `low` has too few and `high`, one shallower, too many on both sides.
  if (low !== guess || first.kind !== 'too-few') {
    const extended = await extend(low, fewest);
    if (extended !== undefined) return extended;
  }
  const whole = await readWholeBucket(query, high);
  if (whole === undefined || whole.length >= query.count || high === 0) return whole;
  return readWholeBucket(query, 0);
}

/**
 * Reads one side of the center in one bucket. Listing towards the side finds the center within
 * a page when the other side has fewer than 1000 entries. Listing from the side's far end finds
 * it when the side itself has fewer. When neither does, the bucket has too many entries.
 */
async function readBucket(query: SideQuery, depth: number): Promise<BucketRead> {
  return (
    (await readTowardsSide(query, depth)) ??
    (await readFromFarEnd(query, depth)) ?? { kind: 'too-many' }
  );
}

/** Lists the bucket towards the side; undefined when the center is not within the first page. */
async function readTowardsSide(query: SideQuery, depth: number): Promise<BucketRead | undefined> {
  const { set, owner, center, side, count, accept } = query;
  const past: SortedSetEntry[] = [];
  let position = 0;
  let found = false;
  for await (const entry of set.bucket(owner, towardsSide(side), center, depth)) {
    if (found) {
      if (accept(entry)) past.push(entry);
      if (past.length >= count) return { kind: 'enough', nearestFirst: past };
      continue;
    }
    if (isCenter(entry, center)) {
      found = true;
      if (count === 0) return { kind: 'enough', nearestFirst: [] };
      continue;
    }
    position += 1;
    if (position >= MAX_LIST_LIMIT) return undefined;
  }
  return found ? { kind: 'too-few', nearestFirst: past } : { kind: 'missing' };
}

/**
 * Lists the bucket from the side's far end up to the center, so every entry of the side in the
 * bucket is seen. Returns undefined when the center is not within the first page.
 */
async function readFromFarEnd(query: SideQuery, depth: number): Promise<BucketRead | undefined> {
  const { set, owner, center, side, count, accept } = query;
  const before: SortedSetEntry[] = [];
  let position = 0;
  for await (const entry of set.bucket(owner, oppositeOf(towardsSide(side)), center, depth)) {
    if (isCenter(entry, center)) {
      const nearestFirst = before.reverse().slice(0, count);
      return { kind: nearestFirst.length >= count ? 'enough' : 'too-few', nearestFirst };
    }
    if (accept(entry)) before.push(entry);
    position += 1;
    if (position >= MAX_LIST_LIMIT) return undefined;
  }
  return { kind: 'missing' };
}

/**
 * Continues a side past its bucket into the next buckets of the same depth, whose entries all
 * lie on that side in order. Returns undefined when they do not hold enough.
 */
async function readNextBuckets(
  query: SideQuery,
  depth: number,
  nearestFirst: SortedSetEntry[],
): Promise<SortedSetEntry[] | undefined> {
  const { set, owner, center, side, count, accept } = query;
  if (depth === 0) return nearestFirst;
  for (let step = 1; step <= NEXT_BUCKETS_READ; step++) {
    for await (const entry of set.bucket(owner, towardsSide(side), center, depth, step)) {
      if (accept(entry)) nearestFirst.push(entry);
      if (nearestFirst.length >= count) return nearestFirst;
    }
  }
  return undefined;
}

/** Lists a bucket with too many entries on both sides of the center, page after page. */
async function readWholeBucket(
  query: SideQuery,
  depth: number,
): Promise<SortedSetEntry[] | undefined> {
  const { set, owner, center, side, count, accept } = query;
  const past: SortedSetEntry[] = [];
  let found = false;
  for await (const entry of set.bucket(owner, towardsSide(side), center, depth)) {
    if (!found) {
      found = isCenter(entry, center);
      continue;
    }
    if (past.length >= count) break;
    if (accept(entry)) past.push(entry);
  }
  return found ? past : undefined;
}

/**
 * Guesses the deepest bucket expected to hold {@link GUESSED_BUCKET_ENTRIES} entries, or more
 * when more are requested, from the mean score step of the top page (taken as the set's density).
 * Equal scores look past the score into the tiebreak digits.
 */
function guessDepth(
  set: SortedSet,
  center: SortedSetEntry,
  scores: readonly number[],
  count: number,
): number {
  const entries = Math.max(GUESSED_BUCKET_ENTRIES, 4 * count);
  const step = (scores[0]! - scores[scores.length - 1]!) / (scores.length - 1);
  const scoreDigits = encodeScore(0).length;
  if (!(step > 0)) {
    const tiebreakDigits = Math.max(1, Math.floor(Math.log(entries) / Math.log(32)));
    return Math.max(scoreDigits + 1, set.positionLength - tiebreakDigits);
  }

  const digits = encodeScore(center.score);
  for (let depth = scoreDigits; depth > 0; depth--) {
    const prefix = digits.slice(0, depth);
    const lowest = scoreOf(prefix.padEnd(scoreDigits, '0')) ?? -Infinity;
    const highest = scoreOf(prefix.padEnd(scoreDigits, 'f')) ?? Infinity;
    if (highest - lowest >= entries * step) return depth;
  }
  return 0;
}

/** Decodes a score bound, or undefined where the digits are not a finite number. */
function scoreOf(digits: string): number | undefined {
  try {
    return decodeScore(digits);
  } catch {
    return undefined;
  }
}

function isCenter(entry: SortedSetEntry, center: SortedSetEntry): boolean {
  return (
    entry.member === center.member &&
    entry.score === center.score &&
    entry.tiebreak === center.tiebreak
  );
}

function towardsSide(side: Side): SortDirection {
  return side === 'below' ? 'desc' : 'asc';
}

function oppositeOf(direction: SortDirection): SortDirection {
  return direction === 'asc' ? 'desc' : 'asc';
}
