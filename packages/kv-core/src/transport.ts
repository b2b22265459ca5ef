/**
 * The contract every cfkv transport implements. A transport addresses logical tables, each of
 * which is its own KV namespace, and moves whole keys: the key prefix and the key schema are
 * applied above it. Values are text (JSON written by core).
 */
export interface Transport {
  /** A short name for logs and benchmarks, such as `binding` or `rest`. */
  readonly name: string;

  get(table: string, key: string): Promise<string | null>;
  /** Reads up to {@link MAX_BULK_GET_KEYS} keys; the result is aligned with `keys`. */
  getMany(table: string, keys: readonly string[]): Promise<(string | null)[]>;
  getWithMetadata(table: string, key: string): Promise<ValueWithMetadata>;
  put(table: string, key: string, value: string, options?: PutOptions): Promise<void>;
  /** Writes every entry; a transport splits them to its own request limits. */
  putMany(table: string, entries: readonly KvEntry[]): Promise<void>;
  delete(table: string, key: string): Promise<void>;
  deleteMany(table: string, keys: readonly string[]): Promise<void>;
  /** One page of keys in ascending order of their UTF-8 bytes, at most 1000 a page. */
  list(table: string, options?: ListOptions): Promise<ListPage>;
}

export interface PutOptions {
  /** JSON-serializable metadata returned with list results, at most 1024 bytes serialized. */
  metadata?: unknown;
  /** Seconds until KV deletes the key; Cloudflare's `expirationTtl`, at least 60. */
  expirationTtl?: number;
}

export interface KvEntry extends PutOptions {
  key: string;
  value: string;
}

export interface ValueWithMetadata {
  value: string | null;
  metadata: unknown;
}

export interface ListOptions {
  prefix?: string;
  /** The cursor of the previous page; every page of one listing must use the same prefix. */
  cursor?: string;
  /** Keys per page, at most 1000 (Cloudflare's default and maximum). */
  limit?: number;
}

export interface ListedKey {
  name: string;
  metadata?: unknown;
  /** Seconds since the Unix epoch at which KV deletes the key. */
  expiration?: number;
}

export interface ListPage {
  keys: ListedKey[];
  /** Pass to the next call; absent or empty when `complete`. */
  cursor?: string;
  /** True on the last page. A page may be empty while more pages remain. */
  complete: boolean;
}
