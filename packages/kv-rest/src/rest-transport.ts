import {
  assertValidKey,
  assertWellFormedText,
  assertWritableEntry,
  chunk,
  isCfkvError,
  MAX_BULK_DELETE_KEYS,
  MAX_BULK_WRITE_BYTES,
  MAX_BULK_WRITE_PAIRS,
  MAX_LIST_LIMIT,
  readBulkOrSplit,
  type KvEntry,
  type ListOptions,
  type ListPage,
  type PutOptions,
  type Transport,
  type ValueWithMetadata,
} from '@cfkv/core';
import { splitBulkWrite, type BulkWriteItem } from './bulk-batches.js';
import { sendBulkBatches } from './bulk-requests.js';
import { NamespaceRegistry } from './namespace-registry.js';
import { RestClient } from './rest-client.js';
import {
  resolveRestOptions,
  type ResolvedRestOptions,
  type RestTransportOptions,
} from './rest-options.js';
import {
  readBulkGetValues,
  readBulkGetWithMetadata,
  readListPage,
  readUnsuccessfulKeys,
} from './rest-responses.js';
import { assertBulkGetSize, assertListLimit, isBulkReadTooLarge } from './rest-validation.js';

/** Cloudflare rejects a list `limit` under 10, so smaller limits are raised to it. */
export const MIN_REST_LIST_LIMIT = 10;

/**
 * A {@link Transport} over the Cloudflare REST API v4, for Node.js and other servers. Each table
 * is the KV namespace titled `{namespacePrefix}{table}`, found or created on first use.
 */
export class RestTransport implements Transport {
  readonly name = 'rest';
  readonly #options: ResolvedRestOptions;
  readonly #client: RestClient;
  readonly #namespaces: NamespaceRegistry;

  constructor(options: RestTransportOptions) {
    this.#options = resolveRestOptions(options);
    this.#client = new RestClient(this.#options);
    this.#namespaces = new NamespaceRegistry(this.#client, this.#options.namespacePrefix);
  }

  /** Finds or creates the namespace of every table up front, so later calls skip the lookup. */
  async init(tables: readonly string[]): Promise<void> {
    await Promise.all(tables.map((table) => this.#namespaces.resolve(table)));
  }

  async get(table: string, key: string): Promise<string | null> {
    assertValidKey(table, key);

    return this.#inNamespace(table, (namespaceId) =>
      this.#client.value({
        method: 'GET',
        path: this.#valuePath(namespaceId, key),
        operation: 'get',
        table,
        key,
      }),
    );
  }

  async getMany(table: string, keys: readonly string[]): Promise<(string | null)[]> {
    assertBulkGetSize(table, keys);
    for (const key of keys) assertValidKey(table, key);
    if (keys.length === 0) return [];
    const distinctKeys = [...new Set(keys)];

    const values = await this.#inNamespace(table, (namespaceId) =>
      readBulkOrSplit(distinctKeys, {
        readBulk: async (someKeys) => {
          const envelope = await this.#client.json<unknown>(
            this.#bulkGetRequest(namespaceId, table, [...someKeys], false),
          );
          return readBulkGetValues(envelope.result, { operation: 'getMany', table });
        },
        readOne: (key) =>
          this.#client.value({
            method: 'GET',
            path: this.#valuePath(namespaceId, key),
            operation: 'get',
            table,
            key,
          }),
        isTooLarge: isBulkReadTooLarge,
      }),
    );

    return keys.map((key) => values.get(key) ?? null);
  }

  /** Reads value and metadata in one request: a bulk get with metadata of the one key. */
  async getWithMetadata(table: string, key: string): Promise<ValueWithMetadata> {
    assertValidKey(table, key);

    return this.#inNamespace(table, async (namespaceId) => {
      const request = this.#bulkGetRequest(namespaceId, table, [key], true);
      const envelope = await this.#client.json<unknown>({ ...request, key });
      const entries = readBulkGetWithMetadata(envelope.result, {
        operation: 'getWithMetadata',
        table,
        key,
      });
      return entries.get(key) ?? { value: null, metadata: null };
    });
  }

  async put(table: string, key: string, value: string, options: PutOptions = {}): Promise<void> {
    assertValidKey(table, key);
    assertWritableEntry(table, key, value, options);

    await this.#inNamespace(table, (namespaceId) =>
      this.#client.json({
        method: 'PUT',
        path: this.#valuePath(namespaceId, key),
        query: { expiration_ttl: options.expirationTtl },
        ...valueBody(value, options.metadata),
        operation: 'put',
        table,
        key,
      }),
    );
  }

  /** Writes in bulk requests of at most 10,000 pairs and 100 MB; a repeated key's last entry wins. */
  async putMany(table: string, entries: readonly KvEntry[]): Promise<void> {
    for (const entry of entries) {
      assertValidKey(table, entry.key);
      assertWritableEntry(table, entry.key, entry.value, entry);
    }
    if (entries.length === 0) return;
    // Split requests run concurrently, so a key repeated across two of them would race.
    const lastEntries = [...new Map(entries.map((entry) => [entry.key, entry])).values()];
    const batches = splitBulkWrite(
      lastEntries.map(toBulkWriteItem),
      MAX_BULK_WRITE_PAIRS,
      MAX_BULK_WRITE_BYTES,
    );

    await this.#sendBulk(table, 'putMany', batches, (namespaceId, batch) => ({
      method: 'PUT',
      path: this.#namespacePath(namespaceId, '/bulk'),
      body: JSON.stringify(batch),
    }));
  }

  async delete(table: string, key: string): Promise<void> {
    assertValidKey(table, key);

    await this.#inNamespace(table, (namespaceId) =>
      this.#client.json({
        method: 'DELETE',
        path: this.#valuePath(namespaceId, key),
        operation: 'delete',
        table,
        key,
      }),
    );
  }

  /** Deletes in bulk requests of at most 10,000 keys; missing keys are ignored. */
  async deleteMany(table: string, keys: readonly string[]): Promise<void> {
    for (const key of keys) assertValidKey(table, key);
    if (keys.length === 0) return;
    const batches = chunk([...new Set(keys)], MAX_BULK_DELETE_KEYS);

    await this.#sendBulk(table, 'deleteMany', batches, (namespaceId, batch) => ({
      method: 'POST',
      path: this.#namespacePath(namespaceId, '/bulk/delete'),
      body: JSON.stringify(batch),
    }));
  }

  async list(table: string, options: ListOptions = {}): Promise<ListPage> {
    const limit = options.limit ?? MAX_LIST_LIMIT;
    assertListLimit(table, limit);
    if (options.prefix !== undefined)
      assertWellFormedText(options.prefix, { table, field: 'prefix' });

    return this.#inNamespace(table, async (namespaceId) => {
      const envelope = await this.#client.json<unknown>({
        method: 'GET',
        path: this.#namespacePath(namespaceId, '/keys'),
        query: {
          prefix: options.prefix || undefined,
          cursor: options.cursor || undefined,
          limit: Math.max(MIN_REST_LIST_LIMIT, limit),
        },
        operation: 'list',
        table,
      });
      return readListPage(envelope, { operation: 'list', table });
    });
  }

  async #sendBulk<Item extends BulkWriteItem | string>(
    table: string,
    operation: 'putMany' | 'deleteMany',
    batches: Item[][],
    buildRequest: (
      namespaceId: string,
      batch: Item[],
    ) => { method: 'PUT' | 'POST'; path: string; body: string },
  ): Promise<void> {
    const batchKeys = batches.map((batch) => batch.map(keyOfItem));
    const context = { table, operation, concurrency: this.#options.maxConcurrency };
    const namespaceId = await this.#namespaces.resolve(table);

    await this.#forgetIfMissing(table, namespaceId, () =>
      sendBulkBatches(batchKeys, context, async (index) => {
        const request = buildRequest(namespaceId, batches[index] as Item[]);
        const envelope = await this.#client.json<unknown>({
          ...request,
          contentType: 'application/json',
          operation,
          table,
        });
        return readUnsuccessfulKeys(envelope.result);
      }),
    );
  }

  async #inNamespace<Result>(
    table: string,
    run: (namespaceId: string) => Promise<Result>,
  ): Promise<Result> {
    const namespaceId = await this.#namespaces.resolve(table);
    return this.#forgetIfMissing(table, namespaceId, () => run(namespaceId));
  }

  /** Drops the cached id when Cloudflare reports its namespace missing, then rethrows. */
  async #forgetIfMissing<Result>(
    table: string,
    namespaceId: string,
    run: () => Promise<Result>,
  ): Promise<Result> {
    try {
      return await run();
    } catch (error) {
      if (isCfkvError(error, 'NAMESPACE_NOT_FOUND')) this.#namespaces.forget(table, namespaceId);
      throw error;
    }
  }

  #bulkGetRequest(namespaceId: string, table: string, keys: string[], withMetadata: boolean) {
    return {
      method: 'POST' as const,
      path: this.#namespacePath(namespaceId, '/bulk/get'),
      body: JSON.stringify({ keys, type: 'text', withMetadata }),
      contentType: 'application/json',
      operation: withMetadata ? 'getWithMetadata' : 'getMany',
      table,
    };
  }

  #namespacePath(namespaceId: string, suffix: string): string {
    return this.#client.namespacesPath(`/${encodeURIComponent(namespaceId)}${suffix}`);
  }

  #valuePath(namespaceId: string, key: string): string {
    return this.#namespacePath(namespaceId, `/values/${encodeURIComponent(key)}`);
  }
}

/** Builds a raw body without metadata, or a multipart body with `value` and `metadata` parts. */
function valueBody(value: string, metadata: unknown) {
  if (metadata === undefined) {
    return { body: new TextEncoder().encode(value), contentType: 'application/octet-stream' };
  }
  const form = new FormData();
  // A string part would have its line breaks rewritten to CRLF by the multipart encoding; a
  // file part is sent byte for byte.
  form.set('value', new Blob([value], { type: 'application/octet-stream' }));
  form.set('metadata', JSON.stringify(metadata));
  return { body: form };
}

function toBulkWriteItem(entry: KvEntry): BulkWriteItem {
  const item: BulkWriteItem = { key: entry.key, value: entry.value };
  if (entry.metadata !== undefined) item.metadata = entry.metadata;
  if (entry.expirationTtl !== undefined) item.expiration_ttl = entry.expirationTtl;
  return item;
}

function keyOfItem(item: BulkWriteItem | string): string {
  return typeof item === 'string' ? item : item.key;
}
