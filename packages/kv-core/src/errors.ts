/** Errors caused by the caller's input: retrying the same call cannot succeed. */
export const USER_ERROR_CODES = [
  'INVALID_ARGUMENT',
  'KEY_TOO_LARGE',
  'VALUE_TOO_LARGE',
  'METADATA_TOO_LARGE',
  'EXPIRATION_TOO_SHORT',
  'BATCH_TOO_LARGE',
  'MISSING_BINDING',
  'NOT_SUPPORTED',
] as const;

/** Errors of the transport or of stored data: the input was valid. */
export const SYSTEM_ERROR_CODES = [
  'TRANSPORT_FAILED',
  'AUTHENTICATION_FAILED',
  'NAMESPACE_NOT_FOUND',
  'RATE_LIMITED',
  'TIMED_OUT',
  'ABORTED',
  'LIST_DID_NOT_END',
  'CORRUPT_RECORD',
  'PARTIAL_WRITE',
] as const;

export type UserErrorCode = (typeof USER_ERROR_CODES)[number];
export type SystemErrorCode = (typeof SYSTEM_ERROR_CODES)[number];
export type CfkvErrorCode = UserErrorCode | SystemErrorCode;

/** Structured fields of a {@link CfkvError}; all scalar so they log and serialize cleanly. */
export interface CfkvErrorDetails {
  table?: string;
  key?: string;
  field?: string;
  limit?: number;
  actual?: number;
  status?: number;
  cloudflareCode?: number;
  operation?: string;
  /** Keys already written when a multi-key write failed part way. */
  writtenKeys?: string[];
  /** Keys not written when a multi-key write failed part way. */
  unwrittenKeys?: string[];
}

/**
 * The one error type of cfkv. Its `code` separates user errors (bad input) from system errors
 * (transport, stored data). Messages and fields never contain credentials.
 */
export class CfkvError extends Error implements CfkvErrorDetails {
  override readonly name = 'CfkvError';
  readonly code: CfkvErrorCode;
  readonly table?: string;
  readonly key?: string;
  readonly field?: string;
  readonly limit?: number;
  readonly actual?: number;
  readonly status?: number;
  readonly cloudflareCode?: number;
  readonly operation?: string;
  readonly writtenKeys?: string[];
  readonly unwrittenKeys?: string[];

  constructor(
    code: CfkvErrorCode,
    message: string,
    details: CfkvErrorDetails = {},
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    Object.assign(this, definedFields(details));
  }

  get isUserError(): boolean {
    return (USER_ERROR_CODES as readonly string[]).includes(this.code);
  }
}

export function isCfkvError(error: unknown, code?: CfkvErrorCode): error is CfkvError {
  return error instanceof CfkvError && (code === undefined || error.code === code);
}

function definedFields(details: CfkvErrorDetails): Partial<CfkvErrorDetails> {
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));
}
