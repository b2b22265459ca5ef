/** Cloudflare API v4 error codes that this server returns. */
export const ErrorCode = {
  /** Missing or invalid credentials (Cloudflare: "Authentication error"). */
  AUTHENTICATION: 10000,
  /** Invalid input: a bad key, body, query parameter or limit. */
  VALIDATION: 10001,
  /** An unexpected failure inside the server, also used for injected 5xx faults. */
  INTERNAL: 10002,
  KEY_NOT_FOUND: 10009,
  NAMESPACE_NOT_FOUND: 10013,
  DUPLICATE_NAMESPACE_TITLE: 10014,
  /** Too many requests (Cloudflare's rate limiter). */
  THROTTLED: 971,
  NO_ROUTE: 7000,
  METHOD_NOT_ALLOWED: 7001,
  /** A path identifier (account or namespace id) that cannot name an object. */
  INVALID_IDENTIFIER: 7003,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A failure sent as Cloudflare's error envelope with the given HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCodeValue;

  constructor(status: number, code: ErrorCodeValue, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

export function validationError(message: string, status = 400): ApiError {
  return new ApiError(status, ErrorCode.VALIDATION, message);
}
