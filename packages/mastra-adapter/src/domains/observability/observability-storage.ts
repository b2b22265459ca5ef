import { ErrorDomain } from '@mastra/core/error';
import {
  ObservabilityStorage,
  TABLE_SPANS,
  toLightSpanRecord,
  type BatchCreateSpansArgs,
  type BatchDeleteTracesArgs,
  type BatchUpdateSpansArgs,
  type CreateSpanArgs,
  type GetRootSpanArgs,
  type GetRootSpanResponse,
  type GetSpanArgs,
  type GetSpanResponse,
  type GetSpansArgs,
  type GetSpansResponse,
  type GetStructureResponse,
  type GetTraceArgs,
  type GetTraceResponse,
  type ListTracesArgs,
  type ListTracesResponse,
  type ObservabilityStorageFeature,
  type ObservabilityStorageStrategy,
  type UpdateSpanArgs,
} from '@mastra/core/storage';
import { clearTables } from '../../clear-tables.js';
import type { StoreContext } from '../../store-context.js';
import { runStoreOperation, type ErrorDetails } from '../../store-errors.js';
import { assertArguments, assertId } from '../memory/input-validation.js';
import { deleteTraces } from './delete-traces.js';
import { listTraces } from './list-traces.js';
import { readRootSpan, readSpan, readSpansById, readTrace } from './read-traces.js';
import { assertArray, assertSpanIds, parseBatchDeleteTracesArgs } from './span-input.js';
import { assertTraceIdFits } from './span-records.js';
import { createSpans, updateSpans } from './write-spans.js';

/**
 * Mastra's observability domain (traces and spans) over Workers KV. Metrics, logs, feedback,
 * observability scores, branches and delta polling are not stored; those methods keep Mastra's
 * NOT_IMPLEMENTED errors, which Mastra's storage exporter reads as "signal not supported".
 */
export class CloudflareObservabilityStorage extends ObservabilityStorage {
  readonly #context: StoreContext;

  constructor(context: StoreContext) {
    super();
    this.#context = context;
  }

  /**
   * Only `insert-only`: Mastra then writes each span once, when it ends. Updating a span means
   * reading it back and rewriting it. A KV read can miss a write made at another location for up
   * to about 60 seconds, and a key takes about one write a second, so updates could be lost or
   * throttled.
   */
  override get observabilityStrategy(): {
    preferred: ObservabilityStorageStrategy;
    supported: ObservabilityStorageStrategy[];
  } {
    return { preferred: 'insert-only', supported: ['insert-only'] };
  }

  override getFeatures(): readonly ObservabilityStorageFeature[] {
    return [];
  }

  override async dangerouslyClearAll(): Promise<void> {
    await this.#run('CLEAR_OBSERVABILITY', {}, () => clearTables(this.#context, [TABLE_SPANS]));
  }

  override async createSpan(args: CreateSpanArgs): Promise<void> {
    await this.#run('CREATE_SPAN', spanDetails(args?.span), () => {
      assertArguments(args, 'args');
      return createSpans(this.#context, [args.span], () => 'span');
    });
  }

  override async batchCreateSpans(args: BatchCreateSpansArgs): Promise<void> {
    await this.#run('BATCH_CREATE_SPANS', { count: args?.records?.length ?? 0 }, () => {
      assertArguments(args, 'args');
      return createSpans(this.#context, args.records);
    });
  }

  /** Reads, merges and rewrites the span. See {@link observabilityStrategy} for its limits. */
  override async updateSpan(args: UpdateSpanArgs): Promise<void> {
    await this.#run('UPDATE_SPAN', spanDetails(args), () =>
      updateSpans(this.#context, [args], () => 'args'),
    );
  }

  override async batchUpdateSpans(args: BatchUpdateSpansArgs): Promise<void> {
    await this.#run('BATCH_UPDATE_SPANS', { count: args?.records?.length ?? 0 }, () => {
      assertArguments(args, 'args');
      return updateSpans(this.#context, args.records);
    });
  }

  override async getSpan(args: GetSpanArgs): Promise<GetSpanResponse | null> {
    return this.#run('GET_SPAN', spanDetails(args), async () => {
      assertSpanIds(args, 'args');
      assertTraceIdFits(this.#context, args.traceId, 'args.traceId');
      const span = await readSpan(this.#context, args.traceId, args.spanId);
      return span === null ? null : { span };
    });
  }

  override async getSpans(args: GetSpansArgs): Promise<GetSpansResponse> {
    const details = { traceId: args?.traceId ?? null, count: args?.spanIds?.length ?? 0 };
    return this.#run('GET_SPANS', details, async () => {
      assertTraceArgs(this.#context, args);
      assertArray(args.spanIds, 'spanIds');
      args.spanIds.forEach((spanId, index) => assertId(spanId, `spanIds[${index}]`));
      const spans = await readSpansById(this.#context, args.traceId, args.spanIds);
      return { traceId: args.traceId, spans };
    });
  }

  override async getRootSpan(args: GetRootSpanArgs): Promise<GetRootSpanResponse | null> {
    return this.#run('GET_ROOT_SPAN', { traceId: args?.traceId ?? null }, async () => {
      assertTraceArgs(this.#context, args);
      const span = await readRootSpan(this.#context, args.traceId);
      return span === null ? null : { span };
    });
  }

  override async getTrace(args: GetTraceArgs): Promise<GetTraceResponse | null> {
    return this.#run('GET_TRACE', { traceId: args?.traceId ?? null }, () => {
      assertTraceArgs(this.#context, args);
      return readTrace(this.#context, args.traceId);
    });
  }

  /** Returns the trace's spans without their heavy fields. KV still reads each span whole. */
  override async getStructure(args: GetTraceArgs): Promise<GetStructureResponse | null> {
    return this.#run('GET_STRUCTURE', { traceId: args?.traceId ?? null }, async () => {
      assertTraceArgs(this.#context, args);
      const trace = await readTrace(this.#context, args.traceId);
      return trace === null
        ? null
        : { traceId: trace.traceId, spans: trace.spans.map(toLightSpanRecord) };
    });
  }

  override async listTraces(args: ListTracesArgs): Promise<ListTracesResponse> {
    const details = {
      page: Number(args?.pagination?.page ?? 0),
      perPage: Number(args?.pagination?.perPage ?? 0),
    };
    return this.#run('LIST_TRACES', details, () => listTraces(this.#context, args));
  }

  override async batchDeleteTraces(args: BatchDeleteTracesArgs): Promise<void> {
    await this.#run('BATCH_DELETE_TRACES', { count: args?.traceIds?.length ?? 0 }, () =>
      deleteTraces(this.#context, parseBatchDeleteTracesArgs(args)),
    );
  }

  #run<T>(name: Uppercase<string>, details: ErrorDetails, action: () => Promise<T>): Promise<T> {
    return runStoreOperation(
      { name, domain: ErrorDomain.MASTRA_OBSERVABILITY, details, logger: this.logger },
      action,
    );
  }
}

/** Rejects a missing argument object or a traceId that is blank or too long for a key. */
function assertTraceArgs(context: StoreContext, args: { traceId: string }): void {
  assertArguments(args, 'args');
  assertId(args.traceId, 'traceId');
  assertTraceIdFits(context, args.traceId, 'traceId');
}

function spanDetails(ids: { traceId?: unknown; spanId?: unknown } | undefined): ErrorDetails {
  return { traceId: scalarId(ids?.traceId), spanId: scalarId(ids?.spanId) };
}

function scalarId(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
