import { BindingTransport } from '@cfkv/binding';
import { collectAllKeys, type Transport } from '@cfkv/core';
import { RestTransport } from '@cfkv/rest';
import { startLocalKvServer } from '@cfkv/rest-local';
import { createMiniflareKv, randomPrefix } from '@cfkv/testing';
import { CloudflareStore, STORE_TABLES } from '../../src/index.js';
import type { CreateStore } from './store-fixture.js';

const API_TOKEN = 'cfkv-contract-token';

/** Opens a store over KV bindings on a fresh Miniflare. */
export const createBindingStore: CreateStore = async ({ keyPrefix }) => {
  const kv = await createMiniflareKv(STORE_TABLES);
  const store = new CloudflareStore({ bindings: kv.namespaces, keyPrefix });
  const transport = new BindingTransport({ namespaces: kv.namespaces });
  return { store, transport, rawKeys: () => allKeys(transport), dispose: () => kv.dispose() };
};

/** Opens a store in REST mode against a fresh @cfkv/rest-local server. */
export const createRestStore: CreateStore = async ({ keyPrefix }) => {
  const server = await startLocalKvServer({ apiToken: API_TOKEN });
  const connection = {
    accountId: server.accountId,
    apiToken: API_TOKEN,
    baseUrl: server.baseUrl,
    namespacePrefix: randomPrefix('ns'),
  };
  const store = new CloudflareStore({ ...connection, keyPrefix });
  const transport = new RestTransport(connection);
  await transport.init(STORE_TABLES);
  return { store, transport, rawKeys: () => allKeys(transport), dispose: () => server.close() };
};

async function allKeys(transport: Transport): Promise<string[]> {
  const perTable = await Promise.all(
    STORE_TABLES.map((table) => collectAllKeys(transport, table, '')),
  );
  return perTable.flat().map((key) => key.name);
}
