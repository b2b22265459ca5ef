/**
 * The part of Cloudflare's `KVNamespace` binding that cfkv uses, declared here so that no
 * published type depends on `@cloudflare/workers-types`. A real binding satisfies it.
 */
export interface KVNamespaceLike {
  get(key: string, options?: { type?: 'text'; cacheTtl?: number }): Promise<string | null>;
  get(
    keys: string[],
    options?: { type?: 'text'; cacheTtl?: number },
  ): Promise<Map<string, string | null>>;
  getWithMetadata<Metadata = unknown>(
    key: string,
    options?: { type?: 'text'; cacheTtl?: number },
  ): Promise<{ value: string | null; metadata: Metadata | null }>;
  put(
    key: string,
    value: string,
    options?: { expiration?: number; expirationTtl?: number; metadata?: unknown },
  ): Promise<void>;
  delete(key: string): Promise<void>;
  list<Metadata = unknown>(options?: {
    prefix?: string | null;
    limit?: number;
    cursor?: string | null;
  }): Promise<KVNamespaceListResultLike<Metadata>>;
}

export type KVNamespaceListResultLike<Metadata = unknown> =
  | {
      list_complete: false;
      keys: { name: string; expiration?: number; metadata?: Metadata }[];
      cursor: string;
    }
  | {
      list_complete: true;
      keys: { name: string; expiration?: number; metadata?: Metadata }[];
      cursor?: string;
    };
