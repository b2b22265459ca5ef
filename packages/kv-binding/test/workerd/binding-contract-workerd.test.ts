import { describeTransportContract } from '@cfkv/testing/contract';
import { env } from 'cloudflare:workers';
import { BindingTransport } from '../../src/index.js';

describeTransportContract('binding in workerd', async () => {
  const transport = new BindingTransport({ namespaces: { contract: env.CONTRACT } });
  return { transport, table: 'contract', dispose: async () => {} };
});
