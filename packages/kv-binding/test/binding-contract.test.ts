import { createMiniflareKv, describeTransportContract, FaultTransport } from '@cfkv/testing';
import { BindingTransport } from '../src/index.js';

const TABLE = 'contract_table';

describeTransportContract('binding', async () => {
  const kv = await createMiniflareKv([TABLE]);
  const transport = new BindingTransport({ namespaces: kv.namespaces });
  return { transport, table: TABLE, dispose: kv.dispose };
});

// Miniflare serves whole pages and has no bulk-get cap; production KV may return short pages.
describeTransportContract('binding through small pages', async () => {
  const kv = await createMiniflareKv([TABLE]);
  const binding = new BindingTransport({ namespaces: kv.namespaces });
  const transport = new FaultTransport(binding, { listPageSize: 7, bulkGetCap: 100 });
  return { transport, table: TABLE, dispose: kv.dispose };
});
