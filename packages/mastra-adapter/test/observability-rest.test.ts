import { collectAllKeys } from '@cfkv/core';
import { RestTransport } from '@cfkv/rest';
import { startLocalKvServer } from '@cfkv/rest-local';
import { randomPrefix } from '@cfkv/testing';
import { CloudflareStore, STORE_TABLES } from '../src/index.js';
import { describeObservabilityContract } from './contract/observability-contract.js';

const API_TOKEN = 'cfkv-observability-contract-token';

describeObservabilityContract('rest', async ({ keyPrefix }) => {
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
  return {
    store,
    transport,
    rawKeys: async () => {
      const perTable = await Promise.all(
        STORE_TABLES.map((table) => collectAllKeys(transport, table, '')),
      );
      return perTable.flat().map((key) => key.name);
    },
    dispose: () => server.close(),
  };
});
