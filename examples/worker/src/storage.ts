import { CloudflareStore } from '@cfkv/mastra';

import { DEFAULT_KEY_PREFIX, type Env } from './env.js';

/**
 * Creates the Mastra storage the agent's memory and the read routes use: CloudflareStore over the
 * Worker's KV bindings, one namespace per Mastra table.
 */
export function createStorage(env: Env): CloudflareStore {
  return new CloudflareStore({
    id: 'example-worker',
    keyPrefix: env.KV_KEY_PREFIX ?? DEFAULT_KEY_PREFIX,
    bindings: {
      mastra_threads: env.THREADS,
      mastra_messages: env.MESSAGES,
      mastra_resources: env.RESOURCES,
      mastra_workflow_snapshot: env.WORKFLOW_SNAPSHOT,
      mastra_scorers: env.SCORERS,
      mastra_ai_spans: env.SPANS,
    },
  });
}
