import { startLocalKvServer, type LocalKvServer } from '@cfkv/rest-local';
import { randomPrefix } from '@cfkv/testing';
import {
  RestTransport,
  type RestRequestEvent,
  type RestTransportOptions,
} from '../../src/index.js';

export const API_TOKEN = 'cfkv-test-token-5f3c9a7e41d2b8';

/**
 * Retry settings that keep fault tests fast: short backoff and short attempt timeouts. The
 * contract suite keeps the default timeouts because a bulk write of 1200 keys can take seconds
 * on a busy machine.
 */
export const FAST_RETRIES = {
  maxRetries: 3,
  retryBaseDelayMs: 5,
  retryMaxDelayMs: 20,
  timeoutMs: 2_000,
  deadlineMs: 10_000,
} satisfies Partial<RestTransportOptions>;

/** A started local server and a helper that builds transports against it. */
export interface LocalRest {
  server: LocalKvServer;
  /** Every HTTP attempt of every transport built by `createTransport`. */
  requests: RestRequestEvent[];
  createTransport(options?: Partial<RestTransportOptions>): RestTransport;
  close(): Promise<void>;
}

export async function startLocalRest(): Promise<LocalRest> {
  const server = await startLocalKvServer({ apiToken: API_TOKEN });
  const requests: RestRequestEvent[] = [];
  // A fresh namespace prefix per server keeps namespace counts of one test independent.
  const namespacePrefix = randomPrefix('ns');

  return {
    server,
    requests,
    createTransport: (options = {}) =>
      new RestTransport({
        accountId: server.accountId,
        apiToken: API_TOKEN,
        baseUrl: server.baseUrl,
        namespacePrefix,
        retryBaseDelayMs: FAST_RETRIES.retryBaseDelayMs,
        ...options,
        onRequest: (event) => {
          requests.push(event);
          options.onRequest?.(event);
        },
      }),
    close: () => server.close(),
  };
}

/** Counts requests by method whose path ends with `pathSuffix`. */
export function countRequests(
  requests: readonly RestRequestEvent[],
  method: string,
  pathSuffix: string | RegExp,
): number {
  return requests.filter(
    (event) =>
      event.method === method &&
      (typeof pathSuffix === 'string'
        ? event.path.endsWith(pathSuffix)
        : pathSuffix.test(event.path)),
  ).length;
}
