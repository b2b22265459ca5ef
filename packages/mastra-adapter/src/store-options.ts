import { CfkvError, type KVNamespaceLike, type Transport } from '@cfkv/core';
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
   * seeing each other; `dangerouslyClearAll` removes only this prefix's keys. Default `''`.
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
   * `traces`/`spans`).
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
 * Maps `bindings` to Mastra table names, resolving aliases. Rejects a binding name that is
 * neither a table nor an alias, two names for one table, and a missing required table.
 */
export function resolveBindings(
  bindings: Record<string, KVNamespaceLike>,
): Record<StoreTable, KVNamespaceLike> {
  const namespaces: Partial<Record<StoreTable, KVNamespaceLike>> = {};
  for (const [name, namespace] of Object.entries(bindings)) {
    const table = tableForBindingName(name);
    if (namespaces[table] !== undefined) {
      throw new CfkvError('INVALID_ARGUMENT', `bindings names ${table} twice (as ${name}).`, {
        table,
        field: 'bindings',
      });
    }
    namespaces[table] = namespace;
  }

  for (const table of REQUIRED_TABLES) {
    if (namespaces[table] === undefined) throw missingBinding(table);
  }
  return namespaces as Record<StoreTable, KVNamespaceLike>;
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

function missingBinding(table: StoreTable): CfkvError {
  const aliases = Object.entries(TABLE_ALIASES)
    .filter(([, aliasTable]) => aliasTable === table)
    .map(([alias]) => alias);
  return new CfkvError(
    'MISSING_BINDING',
    `bindings has no KV namespace for ${table} (or its alias ${aliases.join(' or ')}); ` +
      `add a kv_namespaces entry and pass it.`,
    { table, field: 'bindings' },
  );
}

/** Rejects REST options without an account id or token, naming the field but never the token. */
export function assertRestOptions(options: RestStoreOptions): void {
  for (const field of ['accountId', 'apiToken'] as const) {
    const value: unknown = options[field];
    if (typeof value === 'string' && value.trim() !== '') continue;
    throw new CfkvError(
      'INVALID_ARGUMENT',
      `${field} is missing or empty; CloudflareStore needs accountId and apiToken for the REST API.`,
      { field },
    );
  }
}

export function isBindingOptions(options: CloudflareStoreOptions): options is BindingStoreOptions {
  return 'bindings' in options && options.bindings !== undefined;
}

export function isTransportOptions(
  options: CloudflareStoreOptions,
): options is TransportStoreOptions {
  return 'transport' in options && options.transport !== undefined;
}
