import { describeScoresContract } from './contract/scores-contract.js';
import { createRestStore } from './contract/transport-fixtures.js';

describeScoresContract('rest', createRestStore);
