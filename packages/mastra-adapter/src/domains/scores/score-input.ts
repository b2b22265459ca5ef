import { CfkvError } from '@cfkv/core';
import { saveScorePayloadSchema, type SaveScorePayload } from '@mastra/core/evals';
import type { ScoreTenancyFilters, StoragePagination } from '@mastra/core/storage';
import { assertId } from '../memory/input-validation.js';
import { describeValue } from '../../describe-value.js';

const SCORING_SOURCES = ['LIVE', 'TEST'] as const;

export interface SaveScoreInput {
  payload: SaveScorePayload;
  /** A createdAt the caller passed next to Mastra's payload, honoured like the in-memory store. */
  createdAt?: Date;
}

/**
 * Validates a score with Mastra's own payload schema, which also drops fields it does not know,
 * and rejects blank ids, because they name index owners.
 */
export function parseSaveScoreInput(input: unknown): SaveScoreInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new CfkvError(
      'INVALID_ARGUMENT',
      `score must be an object, got ${describeValue(input)}.`,
      {
        field: 'score',
      },
    );
  }

  const parsed = saveScorePayloadSchema.safeParse(input);
  if (!parsed.success) throw invalidScore(parsed.error.issues);
  const payload = parsed.data;
  for (const field of ['scorerId', 'runId', 'entityId'] as const) assertId(payload[field], field);
  if (payload.id !== undefined) assertId(payload.id, 'id');

  const createdAt = optionalDate((input as { createdAt?: unknown }).createdAt, 'createdAt');
  return createdAt === undefined ? { payload } : { payload, createdAt };
}

/** Rejects a pagination that is not `{ page: integer >= 0, perPage: integer >= 0 | false }`. */
export function assertPagination(pagination: unknown): asserts pagination is StoragePagination {
  if (typeof pagination !== 'object' || pagination === null) {
    throw new CfkvError(
      'INVALID_ARGUMENT',
      `pagination is required as { page, perPage }, got ${describeValue(pagination)}.`,
      { field: 'pagination' },
    );
  }

  const { page, perPage } = pagination as { page?: unknown; perPage?: unknown };
  if (!isCount(page)) {
    throw new CfkvError(
      'INVALID_ARGUMENT',
      `page must be an integer >= 0, got ${describeValue(page)}.`,
      {
        field: 'page',
      },
    );
  }
  if (perPage !== undefined && perPage !== false && !isCount(perPage)) {
    throw new CfkvError(
      'INVALID_ARGUMENT',
      `perPage must be an integer >= 0 or false, got ${describeValue(perPage)}.`,
      { field: 'perPage' },
    );
  }
}

/** Rejects an optional filter value that is given but not a string. */
export function assertOptionalText(value: unknown, field: string): void {
  if (value === undefined || typeof value === 'string') return;
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${field} must be a string, got ${describeValue(value)}.`,
    {
      field,
    },
  );
}

export function assertOptionalSource(source: unknown): void {
  if (source === undefined || source === '' || SCORING_SOURCES.includes(source as 'LIVE')) return;
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `source must be ${SCORING_SOURCES.join(' or ')}, got ${describeValue(source)}.`,
    { field: 'source' },
  );
}

export function assertTenancyFilters(
  filters: unknown,
): asserts filters is ScoreTenancyFilters | undefined {
  if (filters === undefined) return;
  if (typeof filters !== 'object' || filters === null) {
    throw new CfkvError(
      'INVALID_ARGUMENT',
      `filters must be an object, got ${describeValue(filters)}.`,
      {
        field: 'filters',
      },
    );
  }
  const { organizationId, projectId } = filters as ScoreTenancyFilters;
  assertOptionalText(organizationId, 'filters.organizationId');
  assertOptionalText(projectId, 'filters.projectId');
}

function invalidScore(issues: readonly { path: PropertyKey[]; message: string }[]): CfkvError {
  const [first] = issues;
  const field = first && first.path.length > 0 ? first.path.map(String).join('.') : 'score';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problems)` : '';
  return new CfkvError(
    'INVALID_ARGUMENT',
    `score.${field} is invalid: ${first?.message ?? 'rejected by the score schema'}${more}.`,
    { field },
  );
}

function optionalDate(value: unknown, field: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date =
    value instanceof Date || typeof value === 'string' || typeof value === 'number'
      ? new Date(value)
      : undefined;
  if (date !== undefined && !Number.isNaN(date.getTime())) return date;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${field} must be a valid date, got ${describeValue(value)}.`,
    {
      field,
    },
  );
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
