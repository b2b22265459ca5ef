import type { App } from './app.js';
import { HttpError } from './http-error.js';
import { createThread, listLastMessages, listResourceThreads, sendMessage } from './routes.js';
import { listApprovalRuns, resumeApprovalRun, startApprovalRun } from './workflow-routes.js';

type Handler = (app: App, request: Request, url: URL, params: string[]) => Promise<Response>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

// Path parameters are one segment each, percent-decoded, so ids may contain any character.
const routes: Route[] = [
  { method: 'POST', pattern: /^\/threads$/, handler: (app, request) => createThread(app, request) },
  {
    method: 'POST',
    pattern: /^\/threads\/([^/]+)\/messages$/,
    handler: (app, request, _url, [threadId]) => sendMessage(app, threadId!, request),
  },
  {
    method: 'GET',
    pattern: /^\/threads\/([^/]+)\/messages$/,
    handler: (app, _request, url, [threadId]) => listLastMessages(app, threadId!, url),
  },
  {
    method: 'GET',
    pattern: /^\/resources\/([^/]+)\/threads$/,
    handler: (app, _request, _url, [resourceId]) => listResourceThreads(app, resourceId!),
  },
  {
    method: 'POST',
    pattern: /^\/workflows\/approval\/runs$/,
    handler: (app, request) => startApprovalRun(app, request),
  },
  {
    method: 'GET',
    pattern: /^\/workflows\/approval\/runs$/,
    handler: (app, _request, url) => listApprovalRuns(app, url),
  },
  {
    method: 'POST',
    pattern: /^\/workflows\/approval\/runs\/([^/]+)\/resume$/,
    handler: (app, request, _url, [runId]) => resumeApprovalRun(app, runId!, request),
  },
];

/** Finds the route for the request and runs it; raises HttpError 404 or 405 when none matches. */
export function route(app: App, request: Request, url: URL): Promise<Response> {
  const matching = routes
    .map((candidate) => ({ candidate, match: candidate.pattern.exec(url.pathname) }))
    .filter((entry) => entry.match !== null);
  if (matching.length === 0) throw new HttpError(404, `no route for ${url.pathname}`);

  const found = matching.find((entry) => entry.candidate.method === request.method);
  if (!found) throw new HttpError(405, `${request.method} is not allowed on ${url.pathname}`);

  const params = found.match!.slice(1).map(decodePathParameter);
  return found.candidate.handler(app, request, url, params);
}

function decodePathParameter(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, `path parameter "${raw}" is not valid percent-encoding`);
  }
}
