import { ApiError, ErrorCode } from './api-error.js';

/** An HTTP response built by a route handler and written by the server in one place. */
export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

export function jsonSuccess(result: unknown, resultInfo?: Record<string, unknown>): ApiResponse {
  const envelope: Record<string, unknown> = { success: true, errors: [], messages: [], result };
  if (resultInfo !== undefined) {
    envelope.result_info = resultInfo;
  }
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(envelope) };
}

export function jsonError(error: ApiError, headers: Record<string, string> = {}): ApiResponse {
  const envelope = {
    success: false,
    errors: [{ code: error.code, message: error.message }],
    messages: [],
    result: null,
  };
  return {
    status: error.status,
    headers: { ...JSON_HEADERS, ...headers },
    body: JSON.stringify(envelope),
  };
}

export function rawValue(bytes: Uint8Array): ApiResponse {
  return { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: bytes };
}

// Miniflare rejects bad input from the binding with messages such as
// "KV PUT failed: 400 Invalid expiration_ttl of 10. Expiration TTL must be at least 60.",
// which reuse Cloudflare's own wording, so the message after the status is passed on.
const BINDING_FAILURE = /^KV [A-Z_]+ failed: (\d{3}) (.+)$/s;

/** Converts anything a handler throws into an envelope; client errors keep their message. */
export function toErrorResponse(error: unknown): ApiResponse {
  if (error instanceof ApiError) {
    return jsonError(error);
  }

  const message = error instanceof Error ? error.message : String(error);
  const bindingFailure = BINDING_FAILURE.exec(message);
  const bindingStatus = Number(bindingFailure?.[1]);
  if (bindingFailure !== null && bindingStatus >= 400 && bindingStatus < 500) {
    return jsonError(new ApiError(400, ErrorCode.VALIDATION, bindingFailure[2] ?? message));
  }
  return jsonError(new ApiError(500, ErrorCode.INTERNAL, `Internal error: ${message}`));
}
