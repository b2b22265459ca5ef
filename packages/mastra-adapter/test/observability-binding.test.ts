import { BindingTransport } from '@cfkv/binding';
import { collectAllKeys } from '@cfkv/core';
import { createMiniflareKv } from '@cfkv/testing';
import { CloudflareStore, STORE_TABLES } from '../src/index.js';
import { describeObservabilityContract } from './contract/observability-contract.js';

describeObservabilityContract('binding', async ({ keyPrefix }) => {
  const kv = await createMiniflareKv(STORE_TABLES);
  const store = new CloudflareStore({ bindings: kv.namespaces, keyPrefix });
  const transport = new BindingTransport({ namespaces: kv.namespaces });
  return {
    store,
    transport,
    rawKeys: async () => {
      const perTable = await Promise.all(
        STORE_TABLES.map((table) => collectAllKeys(transport, table, '')),
      );
      return perTable.flat().map((key) => key.name);
    },
    dispose: () => kv.dispose(),
  };
});
