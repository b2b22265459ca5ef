import {
  observeTransport,
  OperationCounter,
  type Transport,
  type TransportEvent,
} from '@cfkv/core';
import type { ConcurrencyGauge } from './concurrency-gauge.js';
import {
  countKvOperations,
  countKvOperationsByTable,
  type KvOperationCounts,
  type TransportKind,
} from './kv-operations.js';
import { recordListPrefixes, type ListCall } from './list-prefix-recorder.js';

/** Cost of one step on a counted transport. */
export interface StepCounts {
  kv: KvOperationCounts;
  byTable: Record<string, KvOperationCounts>;
  /** Keys written per table by put and putMany, the "pairs" of a bulk write. */
  writtenKeysByTable: Record<string, number>;
  listCalls: ListCall[];
  /** HTTP requests sent, retries included; undefined over bindings. */
  httpRequests: number | undefined;
  /** Most binding calls in flight at once; undefined over REST. */
  maxInFlight: number | undefined;
}

/** Counts the calls of a store's transport, step by step. */
export class OperationProbe {
  readonly kind: TransportKind;
  readonly #counter = new OperationCounter();
  readonly #listCalls: ListCall[] = [];
  readonly #gauge: ConcurrencyGauge | undefined;
  #httpRequests = 0;

  constructor(kind: TransportKind, gauge?: ConcurrencyGauge) {
    this.kind = kind;
    this.#gauge = gauge;
  }

  /** Wraps the transport a store will use so that its calls are counted here. */
  wrap(transport: Transport): Transport {
    return observeTransport(recordListPrefixes(transport, this.#listCalls), this.#counter.listener);
  }

  /** Counts one HTTP request; pass as the REST transport's `onRequest`. */
  readonly countRequest = (): void => {
    this.#httpRequests += 1;
  };

  reset(): void {
    this.#counter.reset();
    this.#listCalls.length = 0;
    this.#httpRequests = 0;
    this.#gauge?.reset();
  }

  read(): StepCounts {
    return countStep(this.#counter.snapshot().events, this.kind, {
      listCalls: this.#listCalls,
      httpRequests: this.kind === 'rest' ? this.#httpRequests : undefined,
      maxInFlight: this.#gauge?.max,
    });
  }
}

/** Turns the transport calls of one step into its counts. */
export function countStep(
  events: readonly TransportEvent[],
  kind: TransportKind,
  observed: Pick<StepCounts, 'listCalls' | 'httpRequests' | 'maxInFlight'>,
): StepCounts {
  const writtenKeysByTable: Record<string, number> = {};
  for (const event of events) {
    if (event.operation !== 'put' && event.operation !== 'putMany') continue;
    writtenKeysByTable[event.table] = (writtenKeysByTable[event.table] ?? 0) + event.keyCount;
  }

  return {
    kv: countKvOperations(events, kind),
    byTable: countKvOperationsByTable(events, kind),
    writtenKeysByTable,
    listCalls: [...observed.listCalls],
    httpRequests: observed.httpRequests,
    maxInFlight: observed.maxInFlight,
  };
}
