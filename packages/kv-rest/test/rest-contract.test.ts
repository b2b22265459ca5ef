import { describeTransportContract, FaultTransport } from '@cfkv/testing';
import { startLocalRest } from './support/local-rest.js';

const TABLE = 'contract_table';

describeTransportContract('rest', async () => {
  const local = await startLocalRest();
  const transport = local.createTransport();
  return { transport, table: TABLE, dispose: local.close };
});

// Cloudflare may return short or empty list pages and caps bulk gets at 100 keys.
describeTransportContract('rest through small pages', async () => {
  const local = await startLocalRest();
  const transport = new FaultTransport(local.createTransport(), {
    listPageSize: 10,
    bulkGetCap: 100,
  });
  return { transport, table: TABLE, dispose: local.close };
});
