// The bindings vitest.workerd.config.ts gives the test Worker. Declared here, typed with core's
// structural KV interface, so the tests need no @cloudflare/workers-types.
declare module 'cloudflare:workers' {
  import type { KVNamespaceLike } from '@cfkv/core';

  export const env: { THREADS: KVNamespaceLike; CONTRACT: KVNamespaceLike };
}
