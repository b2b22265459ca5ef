export { CloudflareStore, DEFAULT_STORE_ID } from './cloudflare-store.js';
export { CloudflareMemoryStorage } from './domains/memory/memory-storage.js';
export { CloudflareWorkflowsStorage } from './domains/workflows/workflows-storage.js';
export { CloudflareScoresStorage } from './domains/scores/scores-storage.js';
export { CloudflareObservabilityStorage } from './domains/observability/observability-storage.js';
export {
  REQUIRED_TABLES,
  resolveBindings,
  STORE_TABLES,
  TABLE_ALIASES,
  type BindingStoreOptions,
  type CloudflareStoreOptions,
  type RestStoreOptions,
  type StoreTable,
  type TransportStoreOptions,
} from './store-options.js';
