import { describeObservabilityContract } from './contract/observability-contract.js';
import { createRestStore } from './contract/transport-fixtures.js';

describeObservabilityContract('rest', createRestStore);
