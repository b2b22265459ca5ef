import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { ApiError, ErrorCode } from './api-error.js';
import { toErrorResponse, type ApiResponse } from './api-response.js';
import { assertBearerToken } from './bearer-auth.js';
import type { FaultInjector } from './fault-injector.js';
import { replacesResponse, sendFault } from './fault-response.js';
import type { NamespaceStore } from './namespace-store.js';
import type { FailedRequest } from './server-options.js';
import { discardRequestBody } from './request-body.js';
import { noRoute, routeNamespacesRequest } from './request-router.js';

/** Server state that every request handler uses. */
export interface HandlerDependencies {
  apiToken: string;
  accountId: string;
  store: NamespaceStore;
  faults: FaultInjector;
  /** Receives failures that became a 500 or a destroyed socket. */
  onError: ((error: unknown, request: FailedRequest) => void) | undefined;
}

const API_PREFIX = ['', 'client', 'v4', 'accounts'];
const NAMESPACES_PATH = ['storage', 'kv', 'namespaces'];

/** Serves one HTTP request, applying an injected fault before or after the route runs. */
export async function handleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  dependencies: HandlerDependencies,
): Promise<void> {
  const method = request.method ?? 'GET';
  const rawUrl = request.url ?? '/';
  const fault = dependencies.faults.select(method, rawUrl);
  if (fault?.delayMs !== undefined) {
    await delay(fault.delayMs);
  }
  if (fault !== undefined && replacesResponse(fault) && fault.afterHandling !== true) {
    await discardRequestBody(request);
    sendFault(fault, response);
    return;
  }

  const apiResponse = await serveRoute(request, method, rawUrl, dependencies);
  await discardRequestBody(request);
  if (fault !== undefined && replacesResponse(fault)) {
    sendFault(fault, response);
    return;
  }
  sendApiResponse(response, apiResponse);
}

async function serveRoute(
  request: IncomingMessage,
  method: string,
  rawUrl: string,
  { apiToken, accountId, store, onError }: HandlerDependencies,
): Promise<ApiResponse> {
  try {
    assertBearerToken(request.headers.authorization, apiToken);
    const queryStart = rawUrl.indexOf('?');
    const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
    const query = new URLSearchParams(queryStart === -1 ? '' : rawUrl.slice(queryStart + 1));

    const segments = namespacesSegments(rawPath, accountId);
    const handler = routeNamespacesRequest(method, segments);
    return await handler({ request, query, store });
  } catch (error) {
    const errorResponse = toErrorResponse(error);
    // A client that went away mid-request is not a server failure worth reporting.
    if (errorResponse.status >= 500 && !request.socket.destroyed) {
      onError?.(error, { method, url: rawUrl });
    }
    return errorResponse;
  }
}

/** Returns the raw path segments after `.../accounts/{account}/storage/kv/namespaces`. */
function namespacesSegments(rawPath: string, accountId: string): string[] {
  const segments = rawPath.split('/');
  const prefixMatches = API_PREFIX.every((segment, index) => segments[index] === segment);
  const storageMatches = NAMESPACES_PATH.every(
    (segment, index) => segments[API_PREFIX.length + 1 + index] === segment,
  );
  if (!prefixMatches || !storageMatches) {
    throw noRoute();
  }

  const pathAccountId = decodePathSegment(segments[API_PREFIX.length] ?? '');
  if (pathAccountId !== accountId) {
    throw new ApiError(
      403,
      ErrorCode.AUTHENTICATION,
      `Authentication error: the token has no access to account ${JSON.stringify(pathAccountId)}.`,
    );
  }
  const rest = segments.slice(API_PREFIX.length + 1 + NAMESPACES_PATH.length);
  return rest.length === 1 && rest[0] === '' ? [] : rest;
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function sendApiResponse(response: ServerResponse, apiResponse: ApiResponse): void {
  const body =
    typeof apiResponse.body === 'string' ? Buffer.from(apiResponse.body) : apiResponse.body;
  response.writeHead(apiResponse.status, {
    ...apiResponse.headers,
    'content-length': String(body.byteLength),
  });
  response.end(body);
}
