import type { Agent } from '@mastra/core/agent';
import { Mastra } from '@mastra/core/mastra';
import type { MastraCompositeStore } from '@mastra/core/storage';

import { createAgent } from './agent.js';
import { createApprovalWorkflow, type ApprovalWorkflow } from './approval-workflow.js';
import type { Env } from './env.js';
import { createStorage } from './storage.js';

/**
 * The objects a request needs: the storage, the agent whose memory lives in it, and the
 * approval workflow whose run snapshots live in it.
 */
export interface App {
  storage: MastraCompositeStore;
  agent: Agent;
  approvalWorkflow: ApprovalWorkflow;
}

// One app per isolate: building the agent on every request would repeat Mastra's set-up work.
// Keyed by env so a test that runs the handler with other bindings gets its own app.
const apps = new WeakMap<Env, Promise<App>>();

/** Returns the app for `env`, creating and initializing it on first use. */
export function getApp(env: Env): Promise<App> {
  let app = apps.get(env);
  if (!app) {
    app = createApp(env);
    apps.set(env, app);
    app.catch(() => apps.delete(env));
  }
  return app;
}

async function createApp(env: Env): Promise<App> {
  const storage = createStorage(env);
  await storage.init();

  // A workflow persists its snapshots through the storage of the Mastra it is registered with.
  const mastra = new Mastra({ storage, workflows: { approval: createApprovalWorkflow() } });
  const approvalWorkflow = mastra.getWorkflow('approval');

  return { storage, agent: createAgent(env, storage), approvalWorkflow };
}
