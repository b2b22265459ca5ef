import { TraceStatus } from '@mastra/core/storage';
import type { ParsedListTracesArgs, TraceFilters } from './span-input.js';
import type { TraceIndexEntry } from './trace-index.js';

type DateRange = NonNullable<TraceFilters['startedAt']>;

/** Applies the date range and status filters, which index entries carry, with Mastra's rules. */
export function matchesRanges(entry: TraceIndexEntry, filters: TraceFilters): boolean {
  if (filters.startedAt && !inRange(entry.startedAtMs, filters.startedAt)) return false;
  if (filters.endedAt) {
    if (entry.endedAtMs === null || !inRange(entry.endedAtMs, filters.endedAt)) return false;
  }
  return filters.status === undefined || statusOf(entry) === filters.status;
}

/** Derives a trace's status as Mastra does from its root span: error, else running, else success. */
export function statusOf(entry: TraceIndexEntry): TraceStatus {
  if (entry.hasError) return TraceStatus.ERROR;
  return entry.endedAtMs === null ? TraceStatus.RUNNING : TraceStatus.SUCCESS;
}

/**
 * Orders entries like Mastra's in-memory store: by startedAt or endedAt, with traces still
 * running (no endedAt) first when descending and last when ascending. Equal times are ordered
 * by trace id, so pages never overlap.
 */
export function orderEntries(
  entries: readonly TraceIndexEntry[],
  orderBy: ParsedListTracesArgs['orderBy'],
): TraceIndexEntry[] {
  const sign = orderBy.direction === 'DESC' ? -1 : 1;
  const runningFirst = orderBy.direction === 'DESC';
  const timeOf = (entry: TraceIndexEntry) =>
    orderBy.field === 'endedAt' ? entry.endedAtMs : entry.startedAtMs;

  return [...entries].sort((left, right) => {
    const leftTime = timeOf(left);
    const rightTime = timeOf(right);
    if (leftTime !== rightTime) {
      if (leftTime === null) return runningFirst ? -1 : 1;
      if (rightTime === null) return runningFirst ? 1 : -1;
      return sign * (leftTime - rightTime);
    }
    return compareText(left.traceId, right.traceId);
  });
}

function inRange(ms: number, range: DateRange): boolean {
  const start = range.start?.getTime();
  const end = range.end?.getTime();
  if (start !== undefined && (range.startExclusive ? ms <= start : ms < start)) return false;
  if (end !== undefined && (range.endExclusive ? ms >= end : ms > end)) return false;
  return true;
}

function compareText(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
