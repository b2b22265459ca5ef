import { describeWorkflowsContract } from './contract/workflows-contract.js';
import { createRestStore } from './contract/transport-fixtures.js';

describeWorkflowsContract('rest', createRestStore);
