/** Tiebreaks per millisecond: room for a batch of 1000 items within one millisecond. */
export const TIEBREAKS_PER_MILLISECOND = 1000;

let lastTiebreak = 0;

/**
 * Reserves `count` increasing tiebreaks for items saved now, so items with equal scores keep
 * their input order within a batch and later batches sort after earlier ones. The tiebreaks
 * grow with the clock, so writers in other isolates interleave by save time.
 */
export function reserveTiebreaks(count: number): number {
  const first = Math.max(Date.now() * TIEBREAKS_PER_MILLISECOND, lastTiebreak + 1);
  lastTiebreak = first + Math.max(count, 1) - 1;
  return first;
}
