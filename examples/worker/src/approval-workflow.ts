import { createStep, createWorkflow } from '@mastra/core/workflows';
import { z } from 'zod';

/** Id of the approval workflow: its name in routes and the workflowName of its KV snapshots. */
export const APPROVAL_WORKFLOW_ID = 'approval';

/** The step that suspends until a reviewer decides; resume names it. */
export const REVIEW_STEP_ID = 'review';

const draftInput = z.object({ topic: z.string() });
const draftOutput = z.object({ draft: z.string() });
const reviewDecision = z.object({ approved: z.boolean(), reviewer: z.string() });
const reviewOutput = draftOutput.extend(reviewDecision.shape);

const draftStep = createStep({
  id: 'draft',
  inputSchema: draftInput,
  outputSchema: draftOutput,
  execute: async ({ inputData }) => ({ draft: `A short note about ${inputData.topic}.` }),
});

// Suspending ends the Worker request; the snapshot in KV is all a later request needs to resume,
// even in another isolate or after a restart.
const reviewStep = createStep({
  id: REVIEW_STEP_ID,
  inputSchema: draftOutput,
  outputSchema: reviewOutput,
  suspendSchema: draftOutput,
  resumeSchema: reviewDecision,
  execute: async ({ inputData, resumeData, suspend }) => {
    if (resumeData === undefined) return suspend({ draft: inputData.draft });
    return { ...inputData, ...resumeData };
  },
});

/**
 * Creates the workflow that drafts a note, then waits for a reviewer's decision before it
 * finishes. Each app gets its own instance, because a workflow keeps the Mastra it was
 * registered with, and with it the storage its snapshots go to.
 */
export function createApprovalWorkflow() {
  return createWorkflow({
    id: APPROVAL_WORKFLOW_ID,
    inputSchema: draftInput,
    outputSchema: reviewOutput,
  })
    .then(draftStep)
    .then(reviewStep)
    .commit();
}

export type ApprovalWorkflow = ReturnType<typeof createApprovalWorkflow>;
