import type { KVNamespaceLike } from '@cfkv/core';
import { Miniflare } from 'miniflare';

/** The compatibility date of the Worker that hosts the namespaces; Miniflare 4.20260730 accepts it. */
const COMPATIBILITY_DATE = '2026-07-30';

export interface MiniflareKvOptions {
  /** Folder where Miniflare stores the namespaces, so they survive a restart. Default: memory only. */
  persist?: string;
}

export interface MiniflareKv {
  /** One KV namespace binding per table name, backed by Miniflare's KV. */
  namespaces: Record<string, KVNamespaceLike>;
  miniflare: Miniflare;
  dispose(): Promise<void>;
}

/** Starts Miniflare with one KV namespace per table and returns the namespaces as bindings. */
export async function createMiniflareKv(
  tables: readonly string[],
  options: MiniflareKvOptions = {},
): Promise<MiniflareKv> {
  const miniflare = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null, { status: 404 }); } };',
    compatibilityDate: COMPATIBILITY_DATE,
    kvNamespaces: [...tables],
    kvPersist: options.persist ?? false,
    // Without this, Miniflare downloads request metadata from the internet when it starts.
    cf: false,
  });

  const namespaces: Record<string, KVNamespaceLike> = {};
  for (const table of tables) {
    namespaces[table] = (await miniflare.getKVNamespace(table)) as unknown as KVNamespaceLike;
  }

  return { namespaces, miniflare, dispose: () => miniflare.dispose() };
}
