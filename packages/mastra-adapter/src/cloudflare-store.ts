import { BindingTransport } from '@cfkv/binding';
import { KeySchema, MIN_MILLISECONDS_BETWEEN_WRITES_TO_ONE_KEY, type Transport } from '@cfkv/core';
import type { IMastraLogger } from '@mastra/core/logger';
import { MastraCompositeStore } from '@mastra/core/storage';
import { clearTables } from './clear-tables.js';
import { CloudflareMemoryStorage } from './domains/memory/memory-storage.js';
import { CloudflareWorkflowsStorage } from './domains/workflows/workflows-storage.js';
import { LazyRestTransport } from './lazy-rest-transport.js';
import type { StoreContext } from './store-context.js';
import { runStoreOperation } from './store-errors.js';
import {
  assertRestOptions,
  isBindingOptions,
  isTransportOptions,
  resolveBindings,
  STORE_TABLES,
  type CloudflareStoreOptions,
} from './store-options.js';
import { ErrorDomain } from '@mastra/core/error';

export const DEFAULT_STORE_ID = 'cloudflare-kv';

/**
 * Mastra storage over Cloudflare Workers KV, through Worker bindings, the REST API or any
 * cfkv transport. The transport is chosen once, here; domains only see the Transport contract.
 */
export class CloudflareStore extends MastraCompositeStore {
  readonly transport: Transport;
  readonly keyPrefix: string;
  readonly #context: StoreContext;
  declare stores: {
    memory: CloudflareMemoryStorage;
    workflows: CloudflareWorkflowsStorage;
  };

  constructor(options: CloudflareStoreOptions) {
    super({ id: options.id ?? DEFAULT_STORE_ID, name: 'CloudflareStore' });
    this.transport = createTransport(options);
    this.keyPrefix = options.keyPrefix ?? '';
    this.#context = {
      transport: this.transport,
      keys: new KeySchema(this.keyPrefix),
      threadTouchIntervalMs:
        options.threadTouchIntervalMs ?? MIN_MILLISECONDS_BETWEEN_WRITES_TO_ONE_KEY,
    };
    this.stores = {
      memory: new CloudflareMemoryStorage(this.#context),
      workflows: new CloudflareWorkflowsStorage(this.#context),
    };
  }

  /** Sets Mastra's logger on the store and on every domain, which log through it. */
  override __setLogger(logger: IMastraLogger): void {
    super.__setLogger(logger);
    for (const domain of Object.values(this.stores)) domain.__setLogger(logger);
  }

  /** Deletes every key of this store's key prefix in every table; other prefixes stay. */
  async dangerouslyClearAll(): Promise<void> {
    const details = { keyPrefix: this.keyPrefix };
    await runStoreOperation(
      { name: 'CLEAR_ALL', domain: ErrorDomain.STORAGE, details, logger: this.logger },
      () => clearTables(this.#context, STORE_TABLES),
    );
  }
}

function createTransport(options: CloudflareStoreOptions): Transport {
  if (isTransportOptions(options)) return options.transport;
  if (isBindingOptions(options)) {
    return new BindingTransport({ namespaces: resolveBindings(options.bindings) });
  }
  assertRestOptions(options);
  return new LazyRestTransport(options, STORE_TABLES);
}
