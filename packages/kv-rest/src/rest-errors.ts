import { CfkvError, type CfkvErrorCode } from '@cfkv/core';
import { isRetryableStatus } from './retry-policy.js';

/** Cloudflare API v4 error codes that change how a failure is handled. */
export const CloudflareCode = {
  AUTHENTICATION: 10000,
  VALIDATION: 10001,
  KEY_NOT_FOUND: 10009,
  NAMESPACE_NOT_FOUND: 10013,
  NAMESPACE_TITLE_EXISTS: 10014,
  THROTTLED: 971,
} as const;

/** Characters of a Cloudflare error message or body kept in a cfkv error message. */
export const MAX_ECHOED_BODY_CHARACTERS = 300;

const MAX_CAUSE_DEPTH = 4;

/** The operation, table and key of a request, named in every error it raises. */
export interface RequestTarget {
  operation: string;
  table?: string;
  key?: string;
}

/** One failed HTTP attempt: the error it stands for and whether another attempt may succeed. */
export interface AttemptFailure {
  code: CfkvErrorCode;
  /** Description of the failure, such as `HTTP 503, Cloudflare error 10002: ...`, without credentials. */
  reason: string;
  retryable: boolean;
  status?: number;
  cloudflareCode?: number;
  /** Wait the server asked for with `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
  /** A sanitized copy of the underlying error (see {@link sanitizeCause}). */
  cause?: Error;
}

/** An error entry of Cloudflare's response envelope. */
export interface CloudflareApiError {
  code: number;
  message: string;
}

/**
 * Classifies a failed response by HTTP status and Cloudflare error code, never by message text:
 * authentication and missing namespaces fail at once, rate limits and server errors are retried.
 */
export function classifyFailure(
  status: number,
  errors: readonly CloudflareApiError[],
  bodyText: string,
  secret: string,
): AttemptFailure {
  const first = errors[0];
  const codes = errors.map((error) => error.code);
  const cloudflareCode = first?.code;
  const echoed =
    first === undefined ? bodyText : `Cloudflare error ${first.code}: ${first.message}`;
  const reason = `HTTP ${status}${echoed ? `, ${trimEcho(echoed, secret)}` : ''}`;
  const failure = { reason, status, cloudflareCode };

  if (status === 401 || status === 403 || codes.includes(CloudflareCode.AUTHENTICATION)) {
    return { ...failure, code: 'AUTHENTICATION_FAILED', retryable: false };
  }
  if (codes.includes(CloudflareCode.NAMESPACE_NOT_FOUND)) {
    return { ...failure, code: 'NAMESPACE_NOT_FOUND', retryable: false };
  }
  if (status === 429 || codes.includes(CloudflareCode.THROTTLED)) {
    return { ...failure, code: 'RATE_LIMITED', retryable: true };
  }
  if (status === 408) return { ...failure, code: 'TIMED_OUT', retryable: true };
  return { ...failure, code: 'TRANSPORT_FAILED', retryable: isRetryableStatus(status) };
}

/** Builds the error thrown for a failure, naming the operation, key and table. */
export function toCfkvError(target: RequestTarget, failure: AttemptFailure, attempts: number) {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  return new CfkvError(
    failure.code,
    `KV ${describeTarget(target)} failed${tries}: ${failure.reason}`,
    {
      table: target.table,
      key: target.key,
      operation: target.operation,
      status: failure.status,
      cloudflareCode: failure.cloudflareCode,
    },
    { cause: failure.cause },
  );
}

export function describeTarget({ operation, table, key }: RequestTarget): string {
  if (table === undefined) return operation;
  if (key === undefined) return `${operation} in ${table}`;
  return `${operation} of ${JSON.stringify(key)} in ${table}`;
}

/** Shortens text echoed from a response and removes the token from it. */
export function trimEcho(text: string, secret: string): string {
  const redacted = redactSecret(text.trim(), secret);
  if (redacted.length <= MAX_ECHOED_BODY_CHARACTERS) return redacted;
  return `${redacted.slice(0, MAX_ECHOED_BODY_CHARACTERS)}...`;
}

export function redactSecret(text: string, secret: string): string {
  return secret === '' ? text : text.split(secret).join('[redacted]');
}

/**
 * Copies an error's name, message and string `code`, with the secret removed, down its cause
 * chain. A fetch error or a custom fetch may carry request options or headers, so the copy keeps
 * none of the other fields and the token cannot travel inside a cause.
 */
export function sanitizeCause(error: unknown, secret: string, depth = 0): Error {
  const message = error instanceof Error ? error.message : String(error);
  const nested =
    error instanceof Error && error.cause !== undefined && depth < MAX_CAUSE_DEPTH
      ? { cause: sanitizeCause(error.cause, secret, depth + 1) }
      : undefined;
  const copy = new Error(redactSecret(message, secret), nested);
  copy.name = error instanceof Error ? redactSecret(error.name, secret) : 'Error';
  copy.stack = `${copy.name}: ${copy.message}`;

  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') Object.assign(copy, { code: redactSecret(code, secret) });
  return copy;
}
