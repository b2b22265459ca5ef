export type TransportOperation =
  'get' | 'getMany' | 'getWithMetadata' | 'put' | 'putMany' | 'delete' | 'deleteMany' | 'list';

/** One call made to a {@link FaultTransport}, as passed to its `failOn` hook. */
export interface FaultCall {
  operation: TransportOperation;
  table: string;
  /** The keys the call addresses; empty for `list`. */
  keys: readonly string[];
  /** 1-based number of this call among all calls to the fault transport. */
  callNumber: number;
  /** 1-based number of this call among the calls of the same operation. */
  operationCallNumber: number;
}

export interface FaultTransportOptions {
  /** Caps every list page at this many keys, so tests see many pages. Default: no cap. */
  listPageSize?: number;
  /**
   * After a write or delete of a key, this many later reads of that key (get, getMany,
   * getWithMetadata, or a list page whose range contains it) serve the key as it was before that
   * write, the way a KV edge location serves a cached value. Default 0.
   */
  staleReads?: number;
  /** Called before every call; an error it returns is thrown instead of making the call. */
  failOn?: (call: FaultCall) => Error | undefined;
  /**
   * Rejects a second write or delete of one key within a second with CfkvError RATE_LIMITED,
   * as Cloudflare returns 429 for more than about one write a second to a key. Default false.
   */
  rateLimitRepeatWrites?: boolean;
  /** Rejects getMany past this many keys with BATCH_TOO_LARGE; KV's bulk get takes 100. */
  bulkGetCap?: number;
  /**
   * Calls allowed between two `resetBudget()` calls, like the subrequest limit of one Worker
   * invocation; the call past it throws TRANSPORT_FAILED. Each transport call counts one.
   */
  operationBudget?: number;
  /** Clock in milliseconds for the rate limit, so tests can move time without sleeping. */
  now?: () => number;
}

export interface FaultCounters {
  /** Every call made to the fault transport, including calls that failed. */
  calls: number;
  byOperation: Record<TransportOperation, number>;
  /** Keys addressed by reads and writes, summed over calls. */
  keys: number;
  injectedErrors: number;
  rateLimited: number;
  staleReadsServed: number;
}

export function emptyFaultCounters(): FaultCounters {
  return {
    calls: 0,
    byOperation: {
      get: 0,
      getMany: 0,
      getWithMetadata: 0,
      put: 0,
      putMany: 0,
      delete: 0,
      deleteMany: 0,
      list: 0,
    },
    keys: 0,
    injectedErrors: 0,
    rateLimited: 0,
    staleReadsServed: 0,
  };
}
