import { CfkvError } from '@cfkv/core';
import type { StorageListWorkflowRunsInput } from '@mastra/core/storage';
import type { RunFilter, RunFilterField } from './run-index.js';

/** A validated listWorkflowRuns request. */
export interface RunListQuery {
  filter: RunFilter;
  /** Earliest createdAt in milliseconds, inclusive. */
  fromMs: number;
  /** Latest createdAt in milliseconds, inclusive. */
  toMs: number;
  offset: number;
  /** Runs on the page; Infinity when the request has no page. */
  limit: number;
}

const FILTER_FIELDS: readonly RunFilterField[] = ['workflowName', 'resourceId', 'status'];

/**
 * Validates the request and applies the paging rule of Mastra's in-memory store. A page is cut
 * only when both `page` and `perPage` are given, and `perPage: false` makes page 0 hold every run
 * (a later page is empty). `threadId` is accepted and ignored, which Mastra allows, so the result
 * is then a superset of the matching runs.
 */
export function parseListQuery(input: StorageListWorkflowRunsInput = {}): RunListQuery {
  const filter: RunFilter = {};
  for (const field of FILTER_FIELDS) {
    const value: unknown = input[field];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw invalid(field, `must be a string, got ${typeof value}`);
    filter[field] = value;
  }

  const fromMs = input.fromDate === undefined ? -Infinity : dateMs(input.fromDate, 'fromDate');
  const toMs = input.toDate === undefined ? Infinity : dateMs(input.toDate, 'toDate');
  const { offset, limit } = pageOf(input.page, input.perPage);
  return { filter, fromMs, toMs, offset, limit };
}

function pageOf(page: unknown, perPage: unknown): { offset: number; limit: number } {
  if (page !== undefined && !isCount(page)) {
    throw invalid('page', `must be an integer >= 0, got ${String(page)}`);
  }
  if (perPage !== undefined && perPage !== false && !isCount(perPage)) {
    throw invalid('perPage', `must be an integer >= 0 or false, got ${String(perPage)}`);
  }
  if (page === undefined || perPage === undefined) return { offset: 0, limit: Infinity };

  const limit = perPage === false ? Number.MAX_SAFE_INTEGER : perPage;
  return { offset: page * limit, limit };
}

function dateMs(value: unknown, field: string): number {
  const ms = value instanceof Date ? value.getTime() : NaN;
  if (!Number.isNaN(ms)) return ms;
  throw invalid(field, 'must be a valid Date');
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function invalid(field: string, problem: string): CfkvError {
  return new CfkvError('INVALID_ARGUMENT', `${field} ${problem}.`, { field });
}
