import { describeObservabilityContract } from './contract/observability-contract.js';
import { createBindingStore } from './contract/transport-fixtures.js';

describeObservabilityContract('binding', createBindingStore);
