import { describeMemoryContract } from './contract/memory-contract.js';
import { createRestStore } from './contract/transport-fixtures.js';

describeMemoryContract('rest', createRestStore);
