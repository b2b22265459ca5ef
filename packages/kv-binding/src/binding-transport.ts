import {
  assertValidKey,
  assertWellFormedText,
  assertWritableEntry,
  CfkvError,
  isCfkvError,
  MAX_BULK_GET_KEYS,
  MAX_LIST_LIMIT,
  readBulkOrSplit,
  type KVNamespaceLike,
  type KvEntry,
  type ListOptions,
  type ListPage,
  type ListedKey,
  type PutOptions,
  type Transport,
  type ValueWithMetadata,
} from '@cfkv/core';
import { DEFAULT_MAX_CONCURRENCY, type BindingTransportOptions } from './binding-options.js';
import { assertKvNamespaces, assertMaxConcurrency } from './binding-validation.js';
import { runWithConcurrency } from './run-with-concurrency.js';

const MAX_CAUSE_MESSAGE_CHARACTERS = 200;

/**
 * A {@link Transport} over Workers KV bindings, for code running inside a Worker. Each table is
 * one `KVNamespace` binding. Bindings have no bulk write or bulk delete, so `putMany` and
 * `deleteMany` issue one call per key with bounded concurrency.
 */
export class BindingTransport implements Transport {
  readonly name = 'binding';
  readonly #namespaces: Readonly<Record<string, KVNamespaceLike>>;
  readonly #maxConcurrency: number;

  constructor(options: BindingTransportOptions) {
    assertKvNamespaces(options.namespaces);
    this.#namespaces = { ...options.namespaces };
    this.#maxConcurrency = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
    assertMaxConcurrency(this.#maxConcurrency);
  }

  async get(table: string, key: string): Promise<string | null> {
    assertValidKey(table, key);
    const namespace = this.#namespace(table);

    return this.#call(table, 'get', key, () => namespace.get(key, { type: 'text' }));
  }

  async getMany(table: string, keys: readonly string[]): Promise<(string | null)[]> {
    assertBulkGetSize(table, keys);
    for (const key of keys) assertValidKey(table, key);
    const namespace = this.#namespace(table);
    if (keys.length === 0) return [];

    // The bulk get returns a Map with one entry per distinct key, so each key is requested once.
    const distinctKeys = [...new Set(keys)];
    const values = await readBulkOrSplit(distinctKeys, {
      readBulk: (someKeys) =>
        this.#call(table, 'getMany', undefined, () =>
          namespace.get([...someKeys], { type: 'text' }),
        ),
      readOne: (key) => this.#call(table, 'get', key, () => namespace.get(key, { type: 'text' })),
      isTooLarge: isBulkReadTooLarge,
    });

    return keys.map((key) => values.get(key) ?? null);
  }

  async getWithMetadata(table: string, key: string): Promise<ValueWithMetadata> {
    assertValidKey(table, key);
    const namespace = this.#namespace(table);

    const result = await this.#call(table, 'getWithMetadata', key, () =>
      namespace.getWithMetadata(key, { type: 'text' }),
    );

    return { value: result.value, metadata: result.metadata ?? null };
  }

  async put(table: string, key: string, value: string, options: PutOptions = {}): Promise<void> {
    assertValidKey(table, key);
    assertWritableEntry(table, key, value, options);
    const namespace = this.#namespace(table);

    await this.#call(table, 'put', key, () => namespace.put(key, value, putOptions(options)));
  }

  /** Writes one `put` per distinct key; when a key repeats, its last entry wins. */
  async putMany(table: string, entries: readonly KvEntry[]): Promise<void> {
    for (const entry of entries) {
      assertValidKey(table, entry.key);
      assertWritableEntry(table, entry.key, entry.value, entry);
    }
    const namespace = this.#namespace(table);
    const lastEntryByKey = new Map(entries.map((entry) => [entry.key, entry]));
    const keys = [...lastEntryByKey.keys()];

    await runWithConcurrency(
      keys,
      this.#maxConcurrency,
      (key) => {
        const entry = lastEntryByKey.get(key) as KvEntry;
        return this.#call(table, 'put', key, () =>
          namespace.put(key, entry.value, putOptions(entry)),
        );
      },
      { table, operation: 'putMany' },
    );
  }

  async delete(table: string, key: string): Promise<void> {
    assertValidKey(table, key);
    const namespace = this.#namespace(table);

    await this.#call(table, 'delete', key, () => namespace.delete(key));
  }

  async deleteMany(table: string, keys: readonly string[]): Promise<void> {
    for (const key of keys) assertValidKey(table, key);
    const namespace = this.#namespace(table);
    const distinctKeys = [...new Set(keys)];

    await runWithConcurrency(
      distinctKeys,
      this.#maxConcurrency,
      (key) => this.#call(table, 'delete', key, () => namespace.delete(key)),
      { table, operation: 'deleteMany' },
    );
  }

  async list(table: string, options: ListOptions = {}): Promise<ListPage> {
    if (options.limit !== undefined) assertListLimit(table, options.limit);
    if (options.prefix !== undefined)
      assertWellFormedText(options.prefix, { table, field: 'prefix' });
    const namespace = this.#namespace(table);

    const result = await this.#call(table, 'list', undefined, () =>
      namespace.list({ prefix: options.prefix, cursor: options.cursor, limit: options.limit }),
    );

    const keys = result.keys.map(toListedKey);
    if (result.list_complete) return { keys, complete: true };
    return { keys, cursor: result.cursor, complete: false };
  }

  #namespace(table: string): KVNamespaceLike {
    const namespace = Object.hasOwn(this.#namespaces, table) ? this.#namespaces[table] : undefined;
    if (namespace !== undefined) return namespace;

    const bound = Object.keys(this.#namespaces).join(', ') || 'none';
    throw new CfkvError(
      'MISSING_BINDING',
      `No KV namespace is bound for table ${table}; the bindings given are: ${bound}. ` +
        `Add a kv_namespaces entry to wrangler.jsonc and pass it under namespaces.${table}.`,
      { table, field: 'namespaces' },
    );
  }

  /**
   * Runs one binding call, wrapping what it throws in RATE_LIMITED (a 429) or TRANSPORT_FAILED,
   * with the cause kept.
   */
  async #call<Result>(
    table: string,
    operation: string,
    key: string | undefined,
    run: () => Promise<Result>,
  ): Promise<Result> {
    try {
      return await run();
    } catch (error) {
      if (isCfkvError(error)) throw error;
      const target = key === undefined ? table : `${key} in ${table}`;
      throw new CfkvError(
        isRateLimited(error) ? 'RATE_LIMITED' : 'TRANSPORT_FAILED',
        `KV ${operation} of ${target} failed: ${describeCause(error)}`,
        { table, key, operation },
        { cause: error },
      );
    }
  }
}

function putOptions(options: PutOptions): { metadata?: unknown; expirationTtl?: number } {
  const bindingOptions: { metadata?: unknown; expirationTtl?: number } = {};
  if (options.metadata !== undefined) bindingOptions.metadata = options.metadata;
  if (options.expirationTtl !== undefined) bindingOptions.expirationTtl = options.expirationTtl;
  return bindingOptions;
}

function toListedKey(key: { name: string; expiration?: number; metadata?: unknown }): ListedKey {
  const listed: ListedKey = { name: key.name };
  if (key.metadata !== undefined && key.metadata !== null) listed.metadata = key.metadata;
  if (key.expiration !== undefined) listed.expiration = key.expiration;
  return listed;
}

function assertBulkGetSize(table: string, keys: readonly string[]): void {
  if (keys.length <= MAX_BULK_GET_KEYS) return;

  throw new CfkvError(
    'BATCH_TOO_LARGE',
    `getMany in ${table} was given ${keys.length} keys; a KV bulk get reads at most ` +
      `${MAX_BULK_GET_KEYS} keys, so split the keys into batches.`,
    { table, field: 'keys', limit: MAX_BULK_GET_KEYS, actual: keys.length },
  );
}

function assertListLimit(table: string, limit: number): void {
  if (Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIST_LIMIT) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `list limit in ${table} is ${limit}; KV list pages hold a whole number of 1 to ` +
      `${MAX_LIST_LIMIT} keys.`,
    { table, field: 'limit', limit: MAX_LIST_LIMIT, actual: limit },
  );
}

/**
 * Detects a bulk get over the 25 MB limit. The binding reports it only in the error message, as
 * HTTP status 413 ("KV GET_BULK failed: 413 ..."), with no code or status field.
 */
function isBulkReadTooLarge(error: unknown): boolean {
  if (!isCfkvError(error, 'TRANSPORT_FAILED') || !(error.cause instanceof Error)) return false;
  return /\b413\b/.test(error.cause.message);
}

/**
 * Detects KV's rate limit (about one write a second to one key). The binding reports it only in
 * the error message, as HTTP status 429 ("KV PUT failed: 429 Too Many Requests").
 */
function isRateLimited(error: unknown): boolean {
  return error instanceof Error && /\b429\b/.test(error.message);
}

function describeCause(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > MAX_CAUSE_MESSAGE_CHARACTERS
    ? `${message.slice(0, MAX_CAUSE_MESSAGE_CHARACTERS)}...`
    : message;
}
