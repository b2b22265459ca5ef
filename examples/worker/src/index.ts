import { ErrorCategory, MastraError } from '@mastra/core/error';

import { getApp } from './app.js';
import type { Env } from './env.js';
import { HttpError, json } from './http-error.js';
import { route } from './router.js';

export type { Env } from './env.js';

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    try {
      return await route(await getApp(env), request, url);
    } catch (error) {
      return errorResponse(error, request, url);
    }
  },
};

function errorResponse(error: unknown, request: Request, url: URL): Response {
  if (error instanceof HttpError) return json({ error: error.message }, error.status);

  // The store marks input it rejects before any KV call (such as an id that makes a key longer
  // than KV's 512-byte limit) as a user error, which is the client's to fix.
  if (error instanceof MastraError && error.category === ErrorCategory.USER) {
    return json({ error: error.message, id: error.id }, 400);
  }

  // An unexpected failure is logged once here, where it is handled, and returned as a 500.
  console.error(`${request.method} ${url.pathname} failed`, error);
  const message = error instanceof Error ? error.message : String(error);
  return json({ error: message }, 500);
}
