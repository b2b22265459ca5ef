import { describeScoresContract } from './contract/scores-contract.js';
import { createBindingStore } from './contract/transport-fixtures.js';

describeScoresContract('binding', createBindingStore);
