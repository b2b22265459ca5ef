import { z } from 'zod';

import type { WorkflowRunStatus } from '@mastra/core/workflows';

import { HttpError } from './http-error.js';

/** Statuses a workflow run can have in Mastra 1.x, accepted by the runs list filter. */
const RUN_STATUSES = [
  'running',
  'success',
  'failed',
  'tripwire',
  'suspended',
  'waiting',
  'pending',
  'canceled',
  'bailed',
  'paused',
  'skipped',
] as const satisfies readonly WorkflowRunStatus[];

const nonEmptyId = z.string().trim().min(1, 'must be a non-empty string');

/** Body of POST /threads. */
export const createThreadInput = z.object({
  resourceId: nonEmptyId,
  title: z.string().optional(),
});

/** Body of POST /threads/:id/messages. */
export const sendMessageInput = z.object({
  resourceId: nonEmptyId,
  text: z.string().trim().min(1, 'must be a non-empty string'),
});

/** Body of POST /workflows/approval/runs. */
export const startRunInput = z.object({
  topic: z.string().trim().min(1, 'must be a non-empty string'),
  resourceId: nonEmptyId.optional(),
});

/** Body of POST /workflows/approval/runs/:runId/resume: the reviewer's decision. */
export const resumeRunInput = z.object({
  approved: z.boolean(),
  reviewer: nonEmptyId,
});

/** Largest `perPage` a client may request from GET /workflows/approval/runs. */
export const MAX_RUNS_PER_PAGE = 100;

/** Largest `last` a client may request from GET /threads/:id/messages. */
export const MAX_LAST_MESSAGES = 100;

/** Default `last` of GET /threads/:id/messages. */
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

/** Query of GET /workflows/approval/runs, as listWorkflowRuns takes it. */
export interface RunListQuery {
  status?: WorkflowRunStatus;
  resourceId?: string;
  page: number;
  perPage: number;
}

const runListQuery = z.object({
  status: z.enum(RUN_STATUSES).optional(),
  resourceId: nonEmptyId.optional(),
  page: z.coerce.number().int().min(0).default(0),
  perPage: z.coerce.number().int().min(1).max(MAX_RUNS_PER_PAGE).default(20),
});

/** Parses the query of the runs list, raising HttpError 400 when a parameter is invalid. */
export function readRunListQuery(url: URL): RunListQuery {
  const result = runListQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!result.success) throw new HttpError(400, describeIssues(result.error));
  return result.data;
}
