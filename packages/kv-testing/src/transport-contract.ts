import { describeBulkContract } from './contract-bulk.js';
import type { CreateTransportFixture } from './contract-fixture.js';
import { describeLimitsContract } from './contract-limits.js';
import { describeListContract } from './contract-list.js';
import { describeReadWriteContract } from './contract-read-write.js';
import { describeSpecialKeysContract } from './contract-special-keys.js';

/**
 * Registers the transport contract: the behaviour every cfkv transport must share, run against
 * real KV. Suites are named `<name>: <area>`, and each suite creates one fixture. Each test writes
 * under its own random key prefix, so the fixture's table may be shared and need not be empty.
 */
export function describeTransportContract(name: string, createFixture: CreateTransportFixture) {
  describeReadWriteContract(name, createFixture);
  describeListContract(name, createFixture);
  describeLimitsContract(name, createFixture);
  describeSpecialKeysContract(name, createFixture);
  describeBulkContract(name, createFixture);
}
