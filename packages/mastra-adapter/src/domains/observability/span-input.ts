import { CfkvError } from '@cfkv/core';
import {
  batchDeleteTracesArgsSchema,
  listTracesArgsSchema,
  tracesFilterSchema,
  type BatchDeleteTracesArgs,
  type ListTracesArgs,
} from '@mastra/core/storage';
import { assertId } from '../memory/input-validation.js';
import { describeValue } from '../../describe-value.js';

export type ParsedListTracesArgs = ReturnType<typeof listTracesArgsSchema.parse>;
export type TraceFilters = NonNullable<ParsedListTracesArgs['filters']>;

/**
 * Filters that no index can serve. Serving them would mean reading every trace, so `listTraces`
 * rejects them with NOT_SUPPORTED instead.
 */
export const UNSUPPORTED_TRACE_FILTERS = [
  'metadata',
  'scope',
  'parentEntityType',
  'parentEntityId',
  'parentEntityName',
  'parentEntityVersionId',
  'rootEntityType',
  'rootEntityId',
  'rootEntityName',
  'rootEntityVersionId',
] as const;

/** Rejects a batch that is not an array, naming `field`. */
export function assertArray(value: unknown, field: string): asserts value is unknown[] {
  if (Array.isArray(value)) return;
  throw new CfkvError('INVALID_ARGUMENT', `${field} must be an array, got ${typeof value}.`, {
    field,
  });
}

/** Rejects a span whose traceId or spanId is not a non-blank string, naming `path`. */
export function assertSpanIds(ids: unknown, path: string): void {
  if (typeof ids !== 'object' || ids === null) {
    throw new CfkvError('INVALID_ARGUMENT', `${path} must be an object with traceId and spanId.`, {
      field: path,
    });
  }
  const { traceId, spanId } = ids as { traceId?: unknown; spanId?: unknown };
  assertId(traceId, `${path}.traceId`);
  assertId(spanId, `${path}.spanId`);
}

/**
 * Rejects tags that are not an array of strings, naming the field or the bad item. A string
 * would otherwise be indexed as one tag per character.
 */
export function assertTags(value: unknown, field: string): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    const message = `${field} must be an array of strings, got ${typeName(value)}.`;
    throw new CfkvError('INVALID_ARGUMENT', message, { field });
  }
  value.forEach((tag: unknown, index) => {
    if (typeof tag === 'string') return;
    const item = `${field}[${index}]`;
    throw new CfkvError('INVALID_ARGUMENT', `${item} must be a string, got ${typeName(tag)}.`, {
      field: item,
    });
  });
}

/** Rejects a startedAt that is not a valid date, because it orders the trace in every index. */
export function assertStartedAt(value: unknown, field: string): void {
  const date = value instanceof Date || typeof value === 'string' ? new Date(value) : undefined;
  if (date !== undefined && !Number.isNaN(date.getTime())) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${field} must be a valid Date, got ${describeValue(value)}.`,
    { field },
  );
}

/** Parses `listTracesArgs` with Mastra's own schema, turning its failures into typed errors. */
export function parseListTracesArgs(args: ListTracesArgs | undefined): ParsedListTracesArgs {
  assertKnownFilters(args?.filters);
  const parsed = listTracesArgsSchema.safeParse(args ?? {});
  if (!parsed.success) throw invalidArguments('listTraces', parsed.error.issues);
  if (parsed.data.mode === 'delta') {
    throw new CfkvError(
      'NOT_SUPPORTED',
      'listTraces mode "delta" is not supported by CloudflareStore. Use page mode.',
      { field: 'mode', operation: 'listTraces' },
    );
  }
  assertSupportedFilters(parsed.data.filters);
  const traceId = parsed.data.filters?.traceId;
  if (traceId !== undefined) assertId(traceId, 'filters.traceId');
  return parsed.data;
}

export function parseBatchDeleteTracesArgs(args: BatchDeleteTracesArgs): BatchDeleteTracesArgs {
  const parsed = batchDeleteTracesArgsSchema.safeParse(args);
  if (!parsed.success) throw invalidArguments('batchDeleteTraces', parsed.error.issues);
  parsed.data.traceIds.forEach((traceId, index) => assertId(traceId, `traceIds[${index}]`));
  return parsed.data;
}

/**
 * Rejects filter names that Mastra's schema does not define, such as the `name` and `attributes`
 * filters of Mastra 0.x, because the schema would drop them and return unfiltered traces.
 */
function assertKnownFilters(filters: unknown): void {
  if (typeof filters !== 'object' || filters === null) return;
  const known = new Set(Object.keys(tracesFilterSchema.shape));
  const unknown = Object.keys(filters).find((field) => !known.has(field));
  if (unknown === undefined) return;

  const hint = unknown === 'name' ? ' Filter by entityName or entityId instead.' : '';
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `"${unknown}" is not a listTraces filter of Mastra 1.x.${hint}`,
    { field: `filters.${unknown}`, operation: 'listTraces' },
  );
}

function assertSupportedFilters(filters: TraceFilters | undefined): void {
  if (filters === undefined) return;
  for (const field of UNSUPPORTED_TRACE_FILTERS) {
    if (filters[field] === undefined || filters[field] === null) continue;
    throw new CfkvError(
      'NOT_SUPPORTED',
      `The listTraces filter "${field}" is not supported by CloudflareStore: no KV index ` +
        'answers it without reading every trace. Remove it and filter the returned traces.',
      { field: `filters.${field}`, operation: 'listTraces' },
    );
  }
}

interface SchemaIssue {
  path: readonly PropertyKey[];
  message: string;
}

function invalidArguments(operation: string, issues: readonly SchemaIssue[]): CfkvError {
  const first = issues[0];
  const field = first?.path.map(String).join('.') || 'args';
  const reasons = issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`);
  return new CfkvError(
    'INVALID_ARGUMENT',
    `Invalid ${operation} arguments: ${reasons.join('; ')}.`,
    {
      field,
      operation,
    },
  );
}

function typeName(value: unknown): string {
  return value === null ? 'null' : typeof value;
}
