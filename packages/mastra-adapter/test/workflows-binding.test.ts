import { describeWorkflowsContract } from './contract/workflows-contract.js';
import { createBindingStore } from './contract/transport-fixtures.js';

describeWorkflowsContract('binding', createBindingStore);
