import { describeMemoryContract } from './contract/memory-contract.js';
import { createBindingStore } from './contract/transport-fixtures.js';

describeMemoryContract('binding', createBindingStore);
