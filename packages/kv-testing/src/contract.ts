// The parts of @cfkv/testing that run inside workerd: nothing here imports Miniflare or Node.
export { chunk } from './chunk.js';
export {
  listAllPages,
  listedNames,
  type CreateTransportFixture,
  type TransportFixture,
} from './contract-fixture.js';
export { SPECIAL_KEY_NAMES } from './contract-special-keys.js';
export * from './fault-options.js';
export { FaultTransport } from './fault-transport.js';
export { randomPrefix } from './random-prefix.js';
export { describeTransportContract } from './transport-contract.js';
export { compareUtf8 } from './utf8-order.js';
