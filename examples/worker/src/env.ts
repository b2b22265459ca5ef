import type { KVNamespaceLike } from '@cfkv/core';

/** Key prefix of the store when KV_KEY_PREFIX is not set. */
export const DEFAULT_KEY_PREFIX = 'demo:';

/** Bindings and variables of the Worker, as declared in wrangler.jsonc. */
export interface Env {
  THREADS: KVNamespaceLike;
  MESSAGES: KVNamespaceLike;
  RESOURCES: KVNamespaceLike;
  WORKFLOW_SNAPSHOT: KVNamespaceLike;
  SCORERS: KVNamespaceLike;
  SPANS: KVNamespaceLike;
  /** "1" turns off Mastra's telemetry. */
  MASTRA_TELEMETRY_DISABLED?: string;
  /** Prefix of every KV key the store writes. Default: DEFAULT_KEY_PREFIX. */
  KV_KEY_PREFIX?: string;
  /** OpenAI API key (a secret). When set, the agent uses a real model instead of the offline one. */
  OPENAI_API_KEY?: string;
  /** Real model in Mastra's "provider/model" form. Default: "openai/gpt-4o-mini". */
  MODEL_ID?: string;
}
