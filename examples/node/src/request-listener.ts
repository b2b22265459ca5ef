import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

import type { App } from './app.js';
import { HttpError, json } from './http-error.js';
import { route } from './router.js';

/**
 * Creates a node:http request listener that turns each request into a Fetch API Request, routes
 * it, and writes the Response back. Errors become JSON `{ error }` responses.
 */
export function createRequestListener(app: App): RequestListener {
  return (incoming, outgoing) => {
    handle(app, incoming, outgoing).catch((error: unknown) => {
      // Writing the response failed, usually because the client disconnected, so nothing can be sent.
      console.error(`${incoming.method} ${incoming.url} failed to write its response`, error);
      outgoing.destroy();
    });
  };
}

async function handle(app: App, incoming: IncomingMessage, outgoing: ServerResponse) {
  const request = toFetchRequest(incoming);
  const url = new URL(request.url);

  let response: Response;
  try {
    response = await route(app, request, url);
  } catch (error) {
    response = errorResponse(error, request, url);
  }

  await writeResponse(response, outgoing);
}

function toFetchRequest(incoming: IncomingMessage): Request {
  // Routes read only the path and query, so a fixed origin keeps a malformed Host header harmless.
  const url = new URL(incoming.url ?? '/', 'http://localhost');
  const method = incoming.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';

  return new Request(url, {
    method,
    headers: toHeaders(incoming),
    body: hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : undefined,
    // Node's fetch requires `duplex: 'half'` for a streamed request body.
    duplex: 'half',
  } as RequestInit);
}

function toHeaders(incoming: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (Array.isArray(value)) value.forEach((item) => headers.append(name, item));
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  outgoing.writeHead(response.status, Object.fromEntries(response.headers));
  outgoing.end(body);
}

function errorResponse(error: unknown, request: Request, url: URL): Response {
  if (error instanceof HttpError) return json({ error: error.message }, error.status);

  // An unexpected failure is logged once, here, where it is handled, and returned as a 500.
  console.error(`${request.method} ${url.pathname} failed`, error);
  const message = error instanceof Error ? error.message : String(error);
  return json({ error: message }, 500);
}
