/**
 * How long after it started a write may still be in flight: longer than a REST call with all
 * its retries and than KV's propagation across locations (up to 60 seconds). An index entry
 * older than this that its record does not describe is left over, never in flight.
 */
export const IN_FLIGHT_GRACE_MS = 10 * 60_000;

/** True when a write started at `startedAtMs` has finished or failed by now; 0 means unknown. */
export function isPastInFlightGrace(startedAtMs: number): boolean {
  return startedAtMs > 0 && Date.now() - startedAtMs > IN_FLIGHT_GRACE_MS;
}
