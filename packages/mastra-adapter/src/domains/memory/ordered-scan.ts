import type { SortDirection, SortedSet, SortedSetEntry } from '@cfkv/core';

/** Entries read by the first range call of a scan; later calls read four times as many. */
const FIRST_SCAN_LIMIT = 32;
const SCAN_GROWTH = 4;

export interface ScanOptions {
  direction: SortDirection;
  /** Entries to return; `Infinity` reads the owner's whole set. */
  wanted: number;
  /** Keeps an entry; the default keeps all. */
  accept?: (entry: SortedSetEntry) => boolean;
  /** Ends the scan early once the accepted entries so far are enough. */
  isEnough?: (accepted: readonly SortedSetEntry[], exhausted: boolean) => boolean;
}

export interface ScanResult {
  entries: SortedSetEntry[];
  /** True when every entry of the set was read. */
  exhausted: boolean;
}

/**
 * Reads the accepted entries of one owner in order, listing more of the set only while fewer
 * than `wanted` were accepted. Each round lists from the start with a larger limit, so the
 * keys listed stay within a small factor of those needed.
 */
export async function scanSortedSet(
  set: SortedSet,
  owner: string,
  options: ScanOptions,
): Promise<ScanResult> {
  const accept = options.accept ?? (() => true);
  let limit = firstLimit(options);

  for (;;) {
    const listed = await set.range(owner, { direction: options.direction, limit });
    const entries = listed.filter(accept);
    const exhausted = limit === undefined || listed.length < limit;
    const enough = options.isEnough?.(entries, exhausted) ?? entries.length >= options.wanted;
    if (exhausted || enough) return { entries, exhausted };

    limit = (limit ?? FIRST_SCAN_LIMIT) * SCAN_GROWTH;
  }
}

function firstLimit(options: ScanOptions): number | undefined {
  if (Number.isFinite(options.wanted)) return Math.max(options.wanted, FIRST_SCAN_LIMIT);
  return options.isEnough === undefined ? undefined : FIRST_SCAN_LIMIT;
}

/** Orders entries of several owners by score, then tiebreak, in `direction`. */
export function compareEntries(direction: SortDirection) {
  const sign = direction === 'asc' ? 1 : -1;
  return (left: SortedSetEntry, right: SortedSetEntry): number =>
    sign * (left.score - right.score || left.tiebreak - right.tiebreak);
}
