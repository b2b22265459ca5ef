import { Miniflare } from 'miniflare';
import type { KVNamespaceLike, ListOptions, ListPage, Transport } from '../../src/index.js';

export interface MiniflareTransport {
  transport: Transport;
  table: string;
  dispose(): Promise<void>;
}

const TABLE = 'T';

/**
 * Starts Miniflare with one KV namespace and returns a minimal transport over it. kv-core tests
 * use this instead of @cfkv/binding so that core never depends on a transport package.
 */
export async function startMiniflareTransport(): Promise<MiniflareTransport> {
  const miniflare = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response() } }',
    compatibilityDate: '2026-07-30',
    kvNamespaces: [TABLE],
    cf: false,
  });
  const namespace = (await miniflare.getKVNamespace(TABLE)) as unknown as KVNamespaceLike;

  return {
    transport: namespaceTransport(namespace),
    table: TABLE,
    dispose: () => miniflare.dispose(),
  };
}

function namespaceTransport(namespace: KVNamespaceLike): Transport {
  return {
    name: 'miniflare-test',
    get: (_table, key) => namespace.get(key),
    async getMany(_table, keys) {
      if (keys.length === 0) return [];
      const values = await namespace.get([...keys]);
      return keys.map((key) => values.get(key) ?? null);
    },
    getWithMetadata: (_table, key) => namespace.getWithMetadata(key),
    put: (_table, key, value, options = {}) => namespace.put(key, value, options),
    async putMany(_table, entries) {
      for (const { key, value, ...options } of entries) await namespace.put(key, value, options);
    },
    delete: (_table, key) => namespace.delete(key),
    async deleteMany(_table, keys) {
      for (const key of keys) await namespace.delete(key);
    },
    async list(_table, options: ListOptions = {}): Promise<ListPage> {
      const result = await namespace.list(options);
      return {
        keys: result.keys.map(({ name, metadata }) =>
          metadata === undefined ? { name } : { name, metadata },
        ),
        cursor: result.list_complete ? undefined : result.cursor,
        complete: result.list_complete,
      };
    },
  };
}

/** Wraps a real transport so that no list page contains more than `pageSize` keys. */
export function withListPageSize(transport: Transport, pageSize: number): Transport {
  return {
    ...transport,
    list: (table, options = {}) =>
      transport.list(table, { ...options, limit: Math.min(options.limit ?? 1000, pageSize) }),
  };
}

export function randomPrefix(): string {
  return `test-${crypto.randomUUID()}`;
}
