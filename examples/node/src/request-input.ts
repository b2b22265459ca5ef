import { z } from 'zod';

import { HttpError } from './http-error.js';

const nonEmptyText = z.string().trim().min(1, 'must be a non-empty string');

/** Body of POST /threads. */
export const createThreadInput = z.object({
  resourceId: nonEmptyText,
  title: z.string().optional(),
});

/** Body of POST /threads/:id/messages. */
export const sendMessageInput = z.object({
  resourceId: nonEmptyText,
  text: nonEmptyText,
});

/** Maximum `last` a client may request from GET /threads/:id/messages. */
export const MAX_LAST_MESSAGES = 100;

/** `last` of GET /threads/:id/messages when the query omits it. */
export const DEFAULT_LAST_MESSAGES = 20;

/** Parses the JSON body of `request` with `schema`, raising HttpError 400 when it is invalid. */
export async function readJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
): Promise<z.infer<Schema>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new HttpError(400, 'request body must be valid JSON');
  }

  const result = schema.safeParse(body);
  if (!result.success) throw new HttpError(400, describeIssues(result.error));
  return result.data;
}

/** Parses the `last` query parameter, raising HttpError 400 unless it is an integer in range. */
export function readLastParameter(url: URL): number {
  const raw = url.searchParams.get('last');
  if (raw === null) return DEFAULT_LAST_MESSAGES;

  const last = Number(raw);
  if (!Number.isInteger(last) || last < 1 || last > MAX_LAST_MESSAGES) {
    throw new HttpError(
      400,
      `last must be an integer from 1 to ${MAX_LAST_MESSAGES}; received "${raw}"`,
    );
  }
  return last;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
    .join('; ');
}
