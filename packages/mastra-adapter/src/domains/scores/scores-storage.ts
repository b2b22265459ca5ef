import type { ListScoresResponse, SaveScorePayload, ScoreRowData } from '@mastra/core/evals';
import { ErrorDomain } from '@mastra/core/error';
import {
  ScoresStorage,
  TABLE_SCORERS,
  type ListScoresByEntityIdInput,
  type ListScoresByRunIdInput,
  type ListScoresByScorerIdInput,
  type ListScoresBySpanInput,
} from '@mastra/core/storage';
import { clearTables } from '../../clear-tables.js';
import type { StoreContext } from '../../store-context.js';
import { runStoreOperation, type ErrorDetails } from '../../store-errors.js';
import { assertArguments, assertId } from '../memory/input-validation.js';
import { listScores, matchesTenancy } from './list-scores.js';
import { entityOwner, ScoreIndexes, spanOwner } from './score-index.js';
import {
  assertOptionalSource,
  assertOptionalText,
  assertPagination,
  assertTenancyFilters,
  parseSaveScoreInput,
} from './score-input.js';
import { readScore, toScore } from './score-records.js';
import { saveScore } from './save-score.js';

/**
 * Mastra's scores (evaluations) domain over Workers KV. A score is one record; each list query
 * reads its own newest-first index by prefix and bulk-gets only the page's records.
 */
export class CloudflareScoresStorage extends ScoresStorage {
  readonly #context: StoreContext;
  readonly #indexes: ScoreIndexes;

  constructor(context: StoreContext) {
    super();
    this.#context = context;
    this.#indexes = new ScoreIndexes(context);
  }

  override async dangerouslyClearAll(): Promise<void> {
    await this.#run('CLEAR_SCORES', {}, () => clearTables(this.#context, [TABLE_SCORERS]));
  }

  override async getScoreById(args: { id: string }): Promise<ScoreRowData | null> {
    const id = args?.id;
    return this.#run('GET_SCORE_BY_ID', { scoreId: textDetail(id) }, async () => {
      assertArguments(args, 'args');
      assertId(id, 'id');
      const stored = await readScore(this.#context, id);
      return stored === null ? null : toScore(stored);
    });
  }

  override async saveScore(score: SaveScorePayload): Promise<{ score: ScoreRowData }> {
    const details = {
      scoreId: textDetail(score?.id),
      scorerId: textDetail(score?.scorerId),
      runId: textDetail(score?.runId),
    };
    return this.#run('SAVE_SCORE', details, async () => {
      const input = parseSaveScoreInput(score);
      return { score: await saveScore(this.#context, this.#indexes, input) };
    });
  }

  override async listScoresByScorerId(
    input: ListScoresByScorerIdInput,
  ): Promise<ListScoresResponse> {
    const details = { scorerId: textDetail(input?.scorerId), ...pageDetails(input) };
    return this.#run('LIST_SCORES_BY_SCORER_ID', details, () => {
      assertId(input?.scorerId, 'scorerId');
      assertPagination(input?.pagination);
      assertOptionalText(input.entityId, 'entityId');
      assertOptionalText(input.entityType, 'entityType');
      assertOptionalSource(input.source);
      assertTenancyFilters(input.filters);
      const { entityId, entityType, source, filters } = input;
      return listScores(this.#context, this.#indexes, {
        kind: 'scorer',
        owner: input.scorerId,
        ownerIds: { scorerId: input.scorerId },
        pagination: input.pagination,
        accept: (fields) =>
          (!entityId || fields.entityId === entityId) &&
          (!entityType || fields.entityType === entityType) &&
          (!source || fields.source === source) &&
          matchesTenancy(fields, filters),
      });
    });
  }

  override async listScoresByRunId(input: ListScoresByRunIdInput): Promise<ListScoresResponse> {
    const details = { runId: textDetail(input?.runId), ...pageDetails(input) };
    return this.#run('LIST_SCORES_BY_RUN_ID', details, () => {
      assertId(input?.runId, 'runId');
      assertPagination(input?.pagination);
      assertTenancyFilters(input.filters);
      return listScores(this.#context, this.#indexes, {
        kind: 'run',
        owner: input.runId,
        ownerIds: { runId: input.runId },
        pagination: input.pagination,
        accept: (fields) => matchesTenancy(fields, input.filters),
      });
    });
  }

  override async listScoresByEntityId(
    input: ListScoresByEntityIdInput,
  ): Promise<ListScoresResponse> {
    const details = {
      entityId: textDetail(input?.entityId),
      entityType: textDetail(input?.entityType),
      ...pageDetails(input),
    };
    return this.#run('LIST_SCORES_BY_ENTITY_ID', details, () => {
      assertId(input?.entityId, 'entityId');
      assertId(input?.entityType, 'entityType');
      assertPagination(input?.pagination);
      assertTenancyFilters(input.filters);
      return listScores(this.#context, this.#indexes, {
        kind: 'entity',
        owner: entityOwner(input.entityId, input.entityType),
        ownerIds: { entityId: input.entityId, entityType: input.entityType },
        pagination: input.pagination,
        accept: (fields) => matchesTenancy(fields, input.filters),
      });
    });
  }

  override async listScoresBySpan(input: ListScoresBySpanInput): Promise<ListScoresResponse> {
    const details = {
      traceId: textDetail(input?.traceId),
      spanId: textDetail(input?.spanId),
      ...pageDetails(input),
    };
    return this.#run('LIST_SCORES_BY_SPAN', details, () => {
      assertId(input?.traceId, 'traceId');
      assertId(input?.spanId, 'spanId');
      assertPagination(input?.pagination);
      assertTenancyFilters(input.filters);
      return listScores(this.#context, this.#indexes, {
        kind: 'span',
        owner: spanOwner(input.traceId, input.spanId),
        ownerIds: { traceId: input.traceId, spanId: input.spanId },
        pagination: input.pagination,
        accept: (fields) => matchesTenancy(fields, input.filters),
      });
    });
  }

  #run<T>(name: Uppercase<string>, details: ErrorDetails, action: () => Promise<T>): Promise<T> {
    return runStoreOperation(
      { name, domain: ErrorDomain.STORAGE, details, logger: this.logger },
      action,
    );
  }
}

/** Returns an id for error details and debug logs, or null for a value that is not a string. */
function textDetail(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function pageDetails(input: { pagination?: { page?: unknown } } | undefined): ErrorDetails {
  const page = input?.pagination?.page;
  return { page: typeof page === 'number' ? page : null };
}
