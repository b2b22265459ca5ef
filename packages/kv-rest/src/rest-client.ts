import type { ResolvedRestOptions } from './rest-options.js';
import {
  classifyFailure,
  CloudflareCode,
  sanitizeCause,
  toCfkvError,
  trimEcho,
  type AttemptFailure,
  type CloudflareApiError,
  type RequestTarget,
} from './rest-errors.js';
import { computeBackoffMs, parseRetryAfterMs, sleep } from './retry-policy.js';

export interface RestRequest extends RequestTarget {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Path after the base URL, each segment already percent-encoded. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: string | Uint8Array | FormData;
  contentType?: string;
}

/** Cloudflare API v4 response envelope. */
export interface CloudflareEnvelope<Result> {
  success: boolean;
  errors: CloudflareApiError[];
  result: Result;
  result_info?: Record<string, unknown>;
}

type AttemptOutcome<Value> = { ok: true; value: Value } | { ok: false; failure: AttemptFailure };
type ResponseReader<Value> = (response: Response) => Promise<AttemptOutcome<Value>>;

/**
 * Sends requests to the Cloudflare API v4 with the token, a timeout per attempt, retries of
 * rate limits, server errors and network failures, and an overall deadline per call.
 */
export class RestClient {
  readonly #options: ResolvedRestOptions;

  constructor(options: ResolvedRestOptions) {
    this.#options = options;
  }

  /** Returns the path of the account's KV namespaces, followed by `suffix`. */
  namespacesPath(suffix = ''): string {
    return `/accounts/${encodeURIComponent(this.#options.accountId)}/storage/kv/namespaces${suffix}`;
  }

  /** Sends a request whose response is a JSON envelope; `success: false` is an error too. */
  json<Result>(request: RestRequest): Promise<CloudflareEnvelope<Result>> {
    return this.#send(request, (response) => this.#readEnvelope<Result>(response));
  }

  /** Sends a value GET, whose response is the raw bytes; a missing key (code 10009) gives null. */
  value(request: RestRequest): Promise<string | null> {
    return this.#send(request, (response) => this.#readValue(response));
  }

  async #send<Value>(request: RestRequest, read: ResponseReader<Value>): Promise<Value> {
    const { maxRetries, timeoutMs, deadlineMs, retryBaseDelayMs, retryMaxDelayMs } = this.#options;
    const deadline = Date.now() + deadlineMs;

    for (let attempt = 1; ; attempt += 1) {
      this.#throwIfAborted(request, attempt - 1);
      const attemptTimeoutMs = Math.max(1, Math.min(timeoutMs, deadline - Date.now()));

      const outcome = await this.#attempt(request, attempt, attemptTimeoutMs, read);
      if (outcome.ok) return outcome.value;

      const { failure } = outcome;
      if (!failure.retryable || attempt > maxRetries) throw toCfkvError(request, failure, attempt);
      const delayMs =
        failure.retryAfterMs ?? computeBackoffMs(attempt, retryBaseDelayMs, retryMaxDelayMs);
      // Waiting past the deadline cannot lead to a successful attempt, so the call ends now.
      if (Date.now() + delayMs >= deadline) throw toCfkvError(request, failure, attempt);
      await this.#wait(delayMs, request, attempt);
    }
  }

  async #attempt<Value>(
    request: RestRequest,
    attempt: number,
    timeoutMs: number,
    read: ResponseReader<Value>,
  ): Promise<AttemptOutcome<Value>> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const callerSignal = this.#options.signal;
    const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
    let status: number | undefined;

    try {
      const response = await this.#options.fetch(this.#url(request), {
        method: request.method,
        headers: this.#headers(request),
        body: request.body,
        signal,
      });
      status = response.status;
      return await read(response);
    } catch (error) {
      return { ok: false, failure: this.#failureOfThrown(error, timeout, timeoutMs) };
    } finally {
      this.#report(request, status, attempt);
    }
  }

  #failureOfThrown(error: unknown, timeout: AbortSignal, timeoutMs: number): AttemptFailure {
    const cause = sanitizeCause(error, this.#options.apiToken);
    if (this.#options.signal?.aborted) {
      return { code: 'ABORTED', reason: 'the signal was aborted', retryable: false, cause };
    }
    if (timeout.aborted) {
      return { code: 'TIMED_OUT', reason: `no response within ${timeoutMs} ms`, retryable: true };
    }
    return { code: 'TRANSPORT_FAILED', reason: cause.message, retryable: true, cause };
  }

  async #readEnvelope<Result>(
    response: Response,
  ): Promise<AttemptOutcome<CloudflareEnvelope<Result>>> {
    const text = await response.text();
    const envelope = parseEnvelope(text);
    if (!response.ok || envelope?.success === false) {
      return { ok: false, failure: this.#failureOfResponse(response, envelope, text) };
    }
    if (envelope === undefined) {
      const echoed = trimEcho(text, this.#options.apiToken);
      const reason = `HTTP ${response.status} with a body that is not a JSON API response: ${echoed}`;
      return {
        ok: false,
        failure: { code: 'TRANSPORT_FAILED', reason, retryable: false, status: response.status },
      };
    }
    return { ok: true, value: envelope as CloudflareEnvelope<Result> };
  }

  async #readValue(response: Response): Promise<AttemptOutcome<string | null>> {
    if (response.ok) return { ok: true, value: await response.text() };

    const text = await response.text();
    const envelope = parseEnvelope(text);
    const isMissingKey =
      response.status === 404 &&
      envelope?.errors.some((error) => error.code === CloudflareCode.KEY_NOT_FOUND) === true;
    if (isMissingKey) return { ok: true, value: null };
    return { ok: false, failure: this.#failureOfResponse(response, envelope, text) };
  }

  #failureOfResponse(
    response: Response,
    envelope: CloudflareEnvelope<unknown> | undefined,
    text: string,
  ): AttemptFailure {
    const failure = classifyFailure(
      response.status,
      envelope?.errors ?? [],
      text,
      this.#options.apiToken,
    );
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'));
    return retryAfterMs === undefined ? failure : { ...failure, retryAfterMs };
  }

  async #wait(delayMs: number, request: RestRequest, attempts: number): Promise<void> {
    try {
      await sleep(delayMs, this.#options.signal);
    } catch {
      this.#throwIfAborted(request, attempts);
    }
  }

  #throwIfAborted(request: RestRequest, attempts: number): void {
    const signal = this.#options.signal;
    if (!signal?.aborted) return;

    const cause = sanitizeCause(signal.reason, this.#options.apiToken);
    const failure: AttemptFailure = {
      code: 'ABORTED',
      reason: 'the signal was aborted',
      retryable: false,
      cause,
    };
    throw toCfkvError(request, failure, attempts);
  }

  #url(request: RestRequest): string {
    const url = new URL(this.#options.baseUrl + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.href;
  }

  #headers(request: RestRequest): Record<string, string> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.#options.apiToken}`,
    };
    if (request.contentType !== undefined) headers['content-type'] = request.contentType;
    return headers;
  }

  #report(request: RestRequest, status: number | undefined, attempt: number): void {
    const { onRequest } = this.#options;
    if (onRequest === undefined) return;
    try {
      onRequest({
        method: request.method,
        path: request.path,
        status,
        attempt,
        operation: request.operation,
      });
    } catch {
      // A failing hook must not turn a successful request into a failed one.
    }
  }
}

function parseEnvelope(text: string): CloudflareEnvelope<unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || !('success' in parsed)) return undefined;

  const envelope = parsed as CloudflareEnvelope<unknown>;
  const errors = Array.isArray(envelope.errors) ? envelope.errors.filter(isApiError) : [];
  return { ...envelope, errors };
}

function isApiError(value: unknown): value is CloudflareApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as CloudflareApiError).code === 'number'
  );
}
