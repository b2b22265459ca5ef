import { BindingTransport } from '@cfkv/binding';
import { collectAllKeys, KeySchema, type Transport } from '@cfkv/core';
import { RestTransport, type RestTransportOptions } from '@cfkv/rest';
import { startLocalKvServer, type LocalKvServer } from '@cfkv/rest-local';
import { createMiniflareKv, randomPrefix, type MiniflareKv } from '@cfkv/testing';
import { CloudflareStore, STORE_TABLES, type RestStoreOptions } from '../../src/index.js';

export const API_TOKEN = 'cfkv-reliability-token-3e9b71c0d54a';

/**
 * Retry settings that keep fault tests fast: short backoff. The attempt timeout leaves room for
 * a loaded two-core machine; tests of timeouts set a shorter one.
 */
export const FAST_RETRIES = {
  maxRetries: 6,
  retryBaseDelayMs: 2,
  retryMaxDelayMs: 20,
  timeoutMs: 5_000,
  deadlineMs: 60_000,
} satisfies Partial<RestTransportOptions>;

/** Namespaces shared by the stores of one test file, binding or REST. */
export interface Backend {
  name: 'binding' | 'rest';
  /** A raw transport over the namespaces, for checking keys before and after a call. */
  transport: Transport;
  /** A store over the namespaces with its own random key prefix. */
  openStore(options?: {
    keyPrefix?: string;
    rest?: Partial<RestTransportOptions>;
  }): CloudflareStore;
  /** Every key of the store with `keyPrefix`, in every table, as `table key`. */
  rawKeys(keyPrefix: string): Promise<string[]>;
  server?: LocalKvServer;
  dispose(): Promise<void>;
}

export async function startBindingBackend(): Promise<Backend> {
  const kv: MiniflareKv = await createMiniflareKv(STORE_TABLES);
  const transport = new BindingTransport({ namespaces: kv.namespaces });
  return {
    name: 'binding',
    transport,
    openStore: (options = {}) =>
      new CloudflareStore({
        bindings: kv.namespaces,
        keyPrefix: options.keyPrefix ?? randomPrefix('rel'),
      }),
    rawKeys: (keyPrefix) => rawKeys(transport, keyPrefix),
    dispose: () => kv.dispose(),
  };
}

export async function startRestBackend(): Promise<Backend> {
  const server = await startLocalKvServer({ apiToken: API_TOKEN });
  const namespacePrefix = randomPrefix('ns');
  const base = {
    accountId: server.accountId,
    apiToken: API_TOKEN,
    baseUrl: server.baseUrl,
    namespacePrefix,
  };
  const transport = new RestTransport({ ...base, ...FAST_RETRIES });
  await transport.init(STORE_TABLES);
  return {
    name: 'rest',
    transport,
    server,
    openStore: (options = {}) => {
      const storeOptions: RestStoreOptions = {
        ...base,
        ...FAST_RETRIES,
        ...options.rest,
        keyPrefix: options.keyPrefix ?? randomPrefix('rel'),
      };
      return new CloudflareStore(storeOptions);
    },
    rawKeys: (keyPrefix) => rawKeys(transport, keyPrefix),
    dispose: () => server.close(),
  };
}

async function rawKeys(transport: Transport, keyPrefix: string): Promise<string[]> {
  const perTable = await Promise.all(
    STORE_TABLES.map(async (table) => {
      const keys = await collectAllKeys(transport, table, new KeySchema(keyPrefix).prefix(table));
      return keys.map((key) => `${table} ${key.name}`);
    }),
  );
  return perTable.flat().sort();
}

/** Both transports, each with a function that starts its backend, for tests run on both. */
export const BACKENDS: [string, () => Promise<Backend>][] = [
  ['binding', startBindingBackend],
  ['rest', startRestBackend],
];
