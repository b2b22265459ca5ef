import type { ServerResponse } from 'node:http';
import { ApiError, ErrorCode } from './api-error.js';
import { jsonError } from './api-response.js';
import type { FaultSpec } from './fault-injector.js';

const STATUS_MESSAGES: Record<number, string> = {
  429: 'Please wait and consider throttling your request speed',
  500: 'Internal server error (injected fault)',
  502: 'Bad gateway (injected fault)',
  503: 'Service unavailable (injected fault)',
};

/** Returns whether the fault replaces the response, rather than only delaying it. */
export function replacesResponse(fault: Readonly<FaultSpec>): boolean {
  return fault.dropConnection === true || fault.status !== undefined;
}

/** Sends the fault: a dropped connection, or its status in Cloudflare's error envelope. */
export function sendFault(fault: Readonly<FaultSpec>, response: ServerResponse): void {
  if (fault.dropConnection === true || fault.status === undefined) {
    response.socket?.destroy();
    return;
  }

  const code = fault.status === 429 ? ErrorCode.THROTTLED : ErrorCode.INTERNAL;
  const message = STATUS_MESSAGES[fault.status] ?? 'Injected fault';
  const headers: Record<string, string> = {};
  if (fault.retryAfterSeconds !== undefined) {
    headers['retry-after'] = String(fault.retryAfterSeconds);
  }
  const errorResponse = jsonError(new ApiError(fault.status, code, message), headers);
  response.writeHead(errorResponse.status, errorResponse.headers);
  response.end(errorResponse.body);
}
