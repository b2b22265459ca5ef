import {
  assertApiTokenText,
  TRANSPORT_OPERATIONS,
  CfkvError,
  escapeKeyPart,
  MAX_KEY_BYTES,
  utf8ByteLength,
  type KVNamespaceLike,
  type Transport,
} from '@cfkv/core';
import type { RestTransportOptions } from '@cfkv/rest';
import {
  TABLE_MESSAGES,
  TABLE_RESOURCES,
  TABLE_SCORERS,
  TABLE_SPANS,
  TABLE_THREADS,
  TABLE_WORKFLOW_SNAPSHOT,
} from '@mastra/core/storage';

/** Mastra's table names that CloudflareStore keeps, each in its own KV namespace. */
export const STORE_TABLES = [
  TABLE_THREADS,
  TABLE_MESSAGES,
  TABLE_RESOURCES,
  TABLE_WORKFLOW_SNAPSHOT,
  TABLE_SCORERS,
  TABLE_SPANS,
] as const;

export type StoreTable = (typeof STORE_TABLES)[number];

/** The tables the memory and workflow domains cannot work without. */
export const REQUIRED_TABLES: readonly StoreTable[] = [
  TABLE_THREADS,
  TABLE_MESSAGES,
  TABLE_RESOURCES,
  TABLE_WORKFLOW_SNAPSHOT,
];

/** Short binding names of older Mastra docs, accepted in `bindings` next to the table names. */
export const TABLE_ALIASES: Readonly<Record<string, StoreTable>> = {
  threads: TABLE_THREADS,
  messages: TABLE_MESSAGES,
  resources: TABLE_RESOURCES,
  workflow_snapshot: TABLE_WORKFLOW_SNAPSHOT,
  evals: TABLE_SCORERS,
  scorers: TABLE_SCORERS,
  traces: TABLE_SPANS,
  spans: TABLE_SPANS,
};

interface CommonStoreOptions {
  /** Mastra storage id. Default `'cloudflare-kv'`. */
  id?: string;
  /**
   * Prepended to every key of every table, so several stores can share namespaces without
   * seeing each other; `dangerouslyClearAll` removes only this prefix's keys. At most 128 bytes
   * of UTF-8 as written in keys, where `%`, `:` and control characters take 3 bytes each, so
   * keys keep room for ids under KV's 512-byte key limit. Default `''`.
   */
  keyPrefix?: string;
  /**
   * Least milliseconds between two updatedAt writes of one thread caused by saving, updating or
   * deleting its messages; a thread touched more recently keeps its updatedAt. Cloudflare
   * answers 429 to more than about one write a second to one key, and every message save would
   * otherwise rewrite the thread record. `updateThread` always writes. Default 1000.
   */
  threadTouchIntervalMs?: number;
}

export interface BindingStoreOptions extends CommonStoreOptions {
  /**
   * Workers KV namespace bindings keyed by Mastra table name (`mastra_threads`, ...) or by a
   * short alias (`threads`, `messages`, `resources`, `workflow_snapshot`, `evals`/`scorers`,
   * `traces`/`spans`). The memory and workflow tables are required. `mastra_scorers` and
   * `mastra_ai_spans` are optional: without them the scores and observability calls reject
   * with MISSING_BINDING, and `dangerouslyClearAll` skips their tables.
   */
  bindings: Record<string, KVNamespaceLike>;
}

/**
 * Cloudflare REST API options, as `@cfkv/rest`'s RestTransport takes them: `accountId`, `apiToken`,
 * `namespacePrefix`, `baseUrl`, `fetch`, and the retry, timeout and concurrency settings.
 */
export interface RestStoreOptions extends CommonStoreOptions, RestTransportOptions {}

export interface TransportStoreOptions extends CommonStoreOptions {
  /** Any cfkv transport, used as given (tests, benchmarks, custom transports). */
  transport: Transport;
}

export type CloudflareStoreOptions = BindingStoreOptions | RestStoreOptions | TransportStoreOptions;

/**
 * Maximum bytes `keyPrefix` may take in a key. KV keys are at most 512 bytes, so a prefix of 128
 * bytes leaves 384 for the table name, index parts and ids of every key.
 */
export const MAX_KEY_PREFIX_BYTES = 128;

/**
 * Cloudflare's limit on a KV namespace title (512 in the API schema, counted here in UTF-8
 * bytes, which are never fewer than characters). REST namespace titles are
 * `{namespacePrefix}{table}`.
 */
export const MAX_NAMESPACE_TITLE_BYTES = 512;

/** Required KV namespace methods, as the Workers KV binding has them. */
const NAMESPACE_METHODS = ['get', 'put', 'list', 'delete'] as const;

/**
 * Checks the options every store takes (`id`, `keyPrefix`, `threadTouchIntervalMs`), so bad
 * configuration rejects in the constructor instead of at the first call.
 */
export function assertStoreOptions(options: unknown): asserts options is CloudflareStoreOptions {
  if (!isPlainObject(options)) {
    throw new CfkvError(
      'INVALID_ARGUMENT',
      `CloudflareStore options must be an object, such as { bindings } or ` +
        `{ accountId, apiToken }; got ${describeValue(options)}.`,
      { field: 'options' },
    );
  }

  const { id, keyPrefix, threadTouchIntervalMs } = options;
  if (id !== undefined && (typeof id !== 'string' || id.trim() === '')) {
    throw invalidOption('id', `must be a non-empty string, got ${describeValue(id)}`);
  }
  if (keyPrefix !== undefined) assertKeyPrefix(keyPrefix);
  if (threadTouchIntervalMs !== undefined) assertInterval(threadTouchIntervalMs);
}

function assertKeyPrefix(keyPrefix: unknown): void {
  if (typeof keyPrefix !== 'string') {
    throw invalidOption('keyPrefix', `must be a string, got ${describeValue(keyPrefix)}`);
  }

  const bytes = utf8ByteLength(escapeKeyPart(keyPrefix));
  if (bytes <= MAX_KEY_PREFIX_BYTES) return;
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `keyPrefix takes ${bytes} bytes in every key; it must take at most ` +
      `${MAX_KEY_PREFIX_BYTES} bytes (UTF-8, with %, : and control characters as 3 bytes each) ` +
      `so keys keep room for ids under KV's ${MAX_KEY_BYTES}-byte key limit.`,
    { field: 'keyPrefix', limit: MAX_KEY_PREFIX_BYTES, actual: bytes },
  );
}

function assertInterval(interval: unknown): void {
  if (typeof interval === 'number' && Number.isFinite(interval) && interval >= 0) return;
  throw invalidOption(
    'threadTouchIntervalMs',
    `must be a number of milliseconds >= 0, got ${describeValue(interval)}`,
  );
}

/**
 * Maps `bindings` to Mastra table names, resolving aliases, and returns only the tables given.
 * Rejects a value that is not an object, a binding name that is neither a table nor an alias,
 * two names for one table, a missing required table and a value that is not a KV namespace.
 * A name whose value is undefined or null, as `env.X` is when wrangler.jsonc has no binding X,
 * counts as absent.
 */
export function resolveBindings(bindings: unknown): Partial<Record<StoreTable, KVNamespaceLike>> {
  if (!isPlainObject(bindings)) throw invalidBindings(bindings);

  const names = new Map<StoreTable, string>();
  for (const name of Object.keys(bindings)) {
    const table = tableForBindingName(name);
    const earlier = names.get(table);
    if (earlier !== undefined) {
      throw new CfkvError(
        'INVALID_ARGUMENT',
        `bindings names ${table} twice (as ${earlier} and ${name}); keep one of them.`,
        { table, field: 'bindings' },
      );
    }
    names.set(table, name);
  }

  const givenNames = [...names].filter(([, name]) => bindings[name] != null);
  for (const table of REQUIRED_TABLES) {
    if (!givenNames.some(([given]) => given === table)) {
      throw missingBinding(table, names.get(table));
    }
  }

  const namespaces: Partial<Record<StoreTable, KVNamespaceLike>> = {};
  for (const [table, name] of givenNames) {
    const namespace = bindings[name];
    assertKvNamespace(name, namespace);
    namespaces[table] = namespace;
  }
  return namespaces;
}

/**
 * Fills each table missing from `namespaces` with a stand-in whose every call rejects with
 * MISSING_BINDING naming the `bindings` key to add, so a domain without its binding fails at
 * its first call and nothing else of the store is affected.
 */
export function withUnboundTables(
  namespaces: Partial<Record<StoreTable, KVNamespaceLike>>,
): Record<StoreTable, KVNamespaceLike> {
  const filled = { ...namespaces };
  for (const table of STORE_TABLES) filled[table] ??= unboundNamespace(table);
  return filled as Record<StoreTable, KVNamespaceLike>;
}

function unboundNamespace(table: StoreTable): KVNamespaceLike {
  const reject = () => Promise.reject(missingBinding(table));
  return { get: reject, getWithMetadata: reject, put: reject, delete: reject, list: reject };
}

function tableForBindingName(name: string): StoreTable {
  if ((STORE_TABLES as readonly string[]).includes(name)) return name as StoreTable;
  const table = TABLE_ALIASES[name];
  if (table !== undefined) return table;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `bindings has an unknown name ${JSON.stringify(name)}; use a Mastra table name ` +
      `(${STORE_TABLES.join(', ')}) or an alias (${Object.keys(TABLE_ALIASES).join(', ')}).`,
    { field: 'bindings' },
  );
}

function assertKvNamespace(name: string, namespace: unknown): asserts namespace is KVNamespaceLike {
  const missing = NAMESPACE_METHODS.filter(
    (method) => typeof (namespace as Record<string, unknown>)[method] !== 'function',
  );
  if (missing.length === 0) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `bindings.${name} is not a KV namespace: it has no ${missing.join(', ')} method. ` +
      `Pass the binding object from env, such as env.${name.toUpperCase()}.`,
    { field: `bindings.${name}` },
  );
}

function missingBinding(table: StoreTable, givenName?: string): CfkvError {
  const aliases = Object.entries(TABLE_ALIASES)
    .filter(([, aliasTable]) => aliasTable === table)
    .map(([alias]) => `bindings.${alias}`);
  const given = givenName === undefined ? '' : `bindings.${givenName} is undefined or null. `;
  return new CfkvError(
    'MISSING_BINDING',
    `${given}No KV namespace is bound for ${table}: add a kv_namespaces entry to ` +
      `wrangler.jsonc and pass it as bindings.${table} (or ${aliases.join(' or ')}).`,
    { table, field: `bindings.${table}` },
  );
}

function invalidBindings(bindings: unknown): CfkvError {
  const example = '{ mastra_threads: env.THREADS, ... }';
  if (bindings === undefined || bindings === null) {
    return new CfkvError(
      'MISSING_BINDING',
      `bindings is ${describeValue(bindings)}; pass an object of the Worker's KV namespace ` +
        `bindings, such as ${example}, built from the env of the Worker's fetch handler.`,
      { field: 'bindings' },
    );
  }
  return invalidOption(
    'bindings',
    `must be an object of KV namespace bindings, such as ${example}, got ${describeValue(bindings)}`,
  );
}

/**
 * Rejects REST options without an account id or token, naming the field but never the token,
 * and a namespacePrefix that makes a namespace title too long. Options that set `bindings` or
 * `transport` to undefined or null are rejected first, because they mean a binding or
 * transport went missing, not that the REST API was chosen.
 */
export function assertRestOptions(options: RestStoreOptions): void {
  const connection = options as Partial<Record<'bindings' | 'transport', unknown>>;
  if ('bindings' in options && options.accountId === undefined) {
    throw invalidBindings(connection.bindings);
  }
  if ('transport' in options && options.accountId === undefined) {
    throw invalidOption(
      'transport',
      `must be a cfkv Transport, got ${describeValue(connection.transport)}`,
    );
  }

  for (const field of ['accountId', 'apiToken'] as const) {
    const value: unknown = options[field];
    if (typeof value === 'string' && value.trim() !== '') continue;
    throw new CfkvError(
      'INVALID_ARGUMENT',
      `${field} is missing or empty; CloudflareStore needs accountId and apiToken for the REST API.`,
      { field },
    );
  }
  assertApiTokenText(options.apiToken);
  if (options.namespacePrefix !== undefined) assertNamespacePrefix(options.namespacePrefix);
}

function assertNamespacePrefix(namespacePrefix: unknown): void {
  if (typeof namespacePrefix !== 'string') {
    throw invalidOption(
      'namespacePrefix',
      `must be a string, got ${describeValue(namespacePrefix)}`,
    );
  }

  const maxTableBytes = Math.max(...STORE_TABLES.map(utf8ByteLength));
  const limit = MAX_NAMESPACE_TITLE_BYTES - maxTableBytes;
  const bytes = utf8ByteLength(namespacePrefix);
  if (bytes <= limit) return;
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `namespacePrefix is ${bytes} bytes; it must be at most ${limit} bytes of UTF-8, because ` +
      `namespace titles are {namespacePrefix}{table}, the longest table name is ` +
      `${maxTableBytes} bytes, and Cloudflare allows titles of at most ${MAX_NAMESPACE_TITLE_BYTES} bytes.`,
    { field: 'namespacePrefix', limit, actual: bytes },
  );
}

export function isBindingOptions(options: CloudflareStoreOptions): options is BindingStoreOptions {
  return 'bindings' in options && options.bindings !== undefined && options.bindings !== null;
}

export function isTransportOptions(
  options: CloudflareStoreOptions,
): options is TransportStoreOptions {
  return 'transport' in options && options.transport !== undefined && options.transport !== null;
}

/** Rejects a `transport` option that lacks a Transport method, naming the first one missing. */
export function assertTransport(transport: unknown): asserts transport is Transport {
  const methods = transport as Partial<Record<string, unknown>>;
  const missing = TRANSPORT_OPERATIONS.find((method) => typeof methods[method] !== 'function');
  if (missing === undefined) return;
  throw invalidOption(
    'transport',
    `must be a cfkv Transport, but its ${missing} is not a function (got ${describeValue(transport)})`,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalidOption(field: string, problem: string): CfkvError {
  return new CfkvError('INVALID_ARGUMENT', `${field} ${problem}.`, { field });
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40));
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value;
}
