/** The part of workerd's KVNamespace binding that the server calls, as Miniflare returns it. */
export interface KvBinding {
  get(key: string, type: 'arrayBuffer'): Promise<ArrayBuffer | null>;
  get(keys: string[], options: { type: 'text' | 'json' }): Promise<Map<string, unknown>>;
  getWithMetadata(
    key: string,
    type: 'arrayBuffer',
  ): Promise<{ value: ArrayBuffer | null; metadata: unknown }>;
  getWithMetadata(
    keys: string[],
    options: { type: 'text' | 'json' },
  ): Promise<Map<string, { value: unknown; metadata: unknown } | null>>;
  put(key: string, value: ArrayBuffer | Uint8Array | string, options?: KvPutOptions): Promise<void>;
  delete(key: string): Promise<void>;
  list(options: { prefix?: string; cursor?: string; limit?: number }): Promise<KvListResult>;
}

export interface KvPutOptions {
  expiration?: number;
  expirationTtl?: number;
  metadata?: unknown;
}

export interface KvListResult {
  keys: { name: string; expiration?: number; metadata?: unknown }[];
  list_complete: boolean;
  cursor?: string;
}
