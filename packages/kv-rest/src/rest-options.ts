import { assertApiTokenText, CfkvError } from '@cfkv/core';

export const DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';
export const DEFAULT_MAX_RETRIES = 4;
export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_DEADLINE_MS = 60_000;
export const DEFAULT_RETRY_BASE_DELAY_MS = 250;
export const DEFAULT_RETRY_MAX_DELAY_MS = 8_000;
/**
 * Split bulk requests in flight at once. Cloudflare allows 1,200 API requests per 5 minutes per
 * token, so a wide fan-out only reaches the rate limit sooner.
 */
export const DEFAULT_MAX_CONCURRENCY = 4;

/** One HTTP attempt, reported to {@link RestTransportOptions.onRequest}. */
export interface RestRequestEvent {
  method: string;
  /** Path after the base URL, without the query, such as `/accounts/ID/storage/kv/namespaces`. */
  path: string;
  /** HTTP status of the response, or undefined when no response arrived (timeout, reset). */
  status: number | undefined;
  /** 1 for the first attempt of a call, 2 for its first retry, and so on. */
  attempt: number;
  /** The transport operation the request serves, such as `get` or `putMany`. */
  operation: string;
}

export interface RestTransportOptions {
  /** Cloudflare account id that owns the KV namespaces. Required. */
  accountId: string;
  /**
   * Cloudflare API token with the "Workers KV Storage: Edit" permission. Required. It is sent
   * only in the `Authorization` header and never appears in errors or events.
   */
  apiToken: string;
  /** Text put before each table name to form the namespace title. Default `''`. */
  namespacePrefix?: string;
  /** Cloudflare API v4 base URL. Default {@link DEFAULT_BASE_URL}. */
  baseUrl?: string;
  /** The fetch implementation. Default the global `fetch`. */
  fetch?: typeof fetch;
  /** Retries after the first attempt of one HTTP request. Default {@link DEFAULT_MAX_RETRIES}. */
  maxRetries?: number;
  /** Time limit of one HTTP attempt, body included, in milliseconds. Default 15,000. */
  timeoutMs?: number;
  /**
   * Time limit in milliseconds of one HTTP request with all its retries and waits. Default
   * 60,000. It bounds a whole `get`, `put`, `list` or other one-request call; `putMany` and
   * `deleteMany` apply it to each split request, because their total grows with the entries.
   */
  deadlineMs?: number;
  /** First retry delay in milliseconds, doubled on each retry and jittered. Default 250. */
  retryBaseDelayMs?: number;
  /** Longest computed retry delay in milliseconds (Retry-After excepted). Default 8,000. */
  retryMaxDelayMs?: number;
  /** Aborts every call of this transport; calls then reject with code `ABORTED`. */
  signal?: AbortSignal;
  /** Split bulk requests in flight at once. Default {@link DEFAULT_MAX_CONCURRENCY}. */
  maxConcurrency?: number;
  /**
   * Called after every HTTP attempt, for example to count requests in a benchmark. The event
   * contains no credentials. Errors thrown by the hook are ignored.
   */
  onRequest?(event: RestRequestEvent): void;
}

/** Options with every default applied. */
export interface ResolvedRestOptions {
  accountId: string;
  apiToken: string;
  namespacePrefix: string;
  baseUrl: string;
  fetch: typeof fetch;
  maxRetries: number;
  timeoutMs: number;
  deadlineMs: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  signal: AbortSignal | undefined;
  maxConcurrency: number;
  onRequest: ((event: RestRequestEvent) => void) | undefined;
}

/** Applies defaults and rejects invalid options with INVALID_ARGUMENT naming the option. */
export function resolveRestOptions(options: RestTransportOptions): ResolvedRestOptions {
  assertNonEmptyString(options.accountId, 'accountId');
  assertApiTokenText(options.apiToken);
  const fetchFunction = options.fetch ?? globalThis.fetch;
  if (typeof fetchFunction !== 'function') {
    throw invalidOption('fetch', 'fetch is not a function; pass one in the fetch option.');
  }

  const resolved: ResolvedRestOptions = {
    accountId: options.accountId,
    apiToken: options.apiToken,
    namespacePrefix: options.namespacePrefix ?? '',
    baseUrl: normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL),
    fetch: fetchFunction,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
    retryBaseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
    retryMaxDelayMs: options.retryMaxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS,
    signal: options.signal,
    maxConcurrency: options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
    onRequest: options.onRequest,
  };
  assertInteger(resolved.maxRetries, 'maxRetries', 0);
  assertInteger(resolved.timeoutMs, 'timeoutMs', 1);
  assertInteger(resolved.deadlineMs, 'deadlineMs', 1);
  assertInteger(resolved.retryBaseDelayMs, 'retryBaseDelayMs', 0);
  assertInteger(resolved.retryMaxDelayMs, 'retryMaxDelayMs', 0);
  assertInteger(resolved.maxConcurrency, 'maxConcurrency', 1);
  return resolved;
}

function normalizeBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    const redactedUrl = JSON.stringify(redactUserinfo(String(baseUrl)));
    throw invalidOption('baseUrl', `baseUrl ${redactedUrl} is not a valid URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidOption('baseUrl', `baseUrl must use http or https, got ${url.protocol}.`);
  }
  // fetch rejects a URL with credentials and puts the whole URL, password included, in its
  // error message. The API token is the only credential this client sends.
  if (url.username !== '' || url.password !== '') {
    throw invalidOption(
      'baseUrl',
      'baseUrl must not contain a user name or password; remove the part before "@" and pass ' +
        'the Cloudflare API token as apiToken.',
    );
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * Hides everything before the last `@` of text that did not parse as a URL, because without a
 * parse the end of a user name and password is unknown.
 */
function redactUserinfo(text: string): string {
  const at = text.lastIndexOf('@');
  return at === -1 ? text : `[redacted]${text.slice(at)}`;
}

function assertNonEmptyString(value: unknown, field: string): void {
  if (typeof value === 'string' && value !== '') return;

  // The value is not echoed: for apiToken it may be a secret.
  throw invalidOption(field, `${field} is missing; RestTransport needs a non-empty ${field}.`);
}

function assertInteger(value: number, field: string, minimum: number): void {
  if (Number.isInteger(value) && value >= minimum) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${field} is ${value}; it must be a whole number of at least ${minimum}.`,
    { field, limit: minimum, actual: value },
  );
}

function invalidOption(field: string, message: string): CfkvError {
  return new CfkvError('INVALID_ARGUMENT', message, { field });
}
