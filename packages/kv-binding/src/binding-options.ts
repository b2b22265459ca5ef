import type { KVNamespaceLike } from '@cfkv/core';

/**
 * Cloudflare's Workers limits allow one invocation six simultaneous outgoing connections waiting
 * for a response, KV binding calls included, so more concurrent puts would only queue.
 */
export const DEFAULT_MAX_CONCURRENCY = 6;

export interface BindingTransportOptions {
  /**
   * KV namespace bindings by logical table name, such as `{ mastra_threads: env.THREADS }`.
   * Each value is a Workers `KVNamespace` (the `kv_namespaces` entries of `wrangler.jsonc`).
   */
  namespaces: Record<string, KVNamespaceLike>;
  /**
   * Number of single-key binding calls that `putMany` and `deleteMany` keep in flight at once.
   * Default {@link DEFAULT_MAX_CONCURRENCY} (6).
   */
  maxConcurrency?: number;
}
