import { describeMessageContract } from './message-contract.js';
import { describeResourceWorkflowContract } from './resource-workflow-contract.js';
import { describeRobustnessContract } from './robustness-contract.js';
import type { CreateStore } from './store-fixture.js';
import { describeThreadContract } from './thread-contract.js';

export type { CreateStore, StoreFixture } from './store-fixture.js';

/**
 * The memory contract of CloudflareStore, written once and run over every transport: each
 * transport's test file passes a `createStore` that opens a store over fresh namespaces.
 */
export function describeMemoryContract(name: string, createStore: CreateStore): void {
  describeThreadContract(name, createStore);
  describeMessageContract(name, createStore);
  describeRobustnessContract(name, createStore);
  describeResourceWorkflowContract(name, createStore);
}
