import { BindingTransport } from '@cfkv/binding';
import { KeySchema, MIN_MILLISECONDS_BETWEEN_WRITES_TO_ONE_KEY, type Transport } from '@cfkv/core';
import type { IMastraLogger } from '@mastra/core/logger';
import { MastraCompositeStore } from '@mastra/core/storage';
import { clearTables } from './clear-tables.js';
import { CloudflareMemoryStorage } from './domains/memory/memory-storage.js';
import { CloudflareWorkflowsStorage } from './domains/workflows/workflows-storage.js';
import { CloudflareScoresStorage } from './domains/scores/scores-storage.js';
import { CloudflareObservabilityStorage } from './domains/observability/observability-storage.js';
import { LazyRestTransport } from './lazy-rest-transport.js';
import type { StoreContext } from './store-context.js';
import { runStoreOperation } from './store-errors.js';
import {
  assertRestOptions,
  assertStoreOptions,
  assertTransport,
  isBindingOptions,
  isTransportOptions,
  resolveBindings,
  STORE_TABLES,
  withUnboundTables,
  type CloudflareStoreOptions,
  type StoreTable,
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
  /** The tables this store can reach: every table, or over bindings only those bound. */
  readonly #tables: readonly StoreTable[];
  declare stores: {
    memory: CloudflareMemoryStorage;
    workflows: CloudflareWorkflowsStorage;
    scores: CloudflareScoresStorage;
    observability: CloudflareObservabilityStorage;
  };

  constructor(options: CloudflareStoreOptions) {
    super({ id: storeIdOf(options), name: 'CloudflareStore' });
    const { transport, tables } = createTransport(options);
    this.transport = transport;
    this.#tables = tables;
    this.keyPrefix = options.keyPrefix ?? '';
    this.#context = {
      transport: this.transport,
      keys: new KeySchema(this.keyPrefix),
      threadTouchIntervalMs:
        options.threadTouchIntervalMs ?? MIN_MILLISECONDS_BETWEEN_WRITES_TO_ONE_KEY,
      warn: (message, details) => this.logger?.warn(message, details),
    };
    this.stores = {
      memory: new CloudflareMemoryStorage(this.#context),
      workflows: new CloudflareWorkflowsStorage(this.#context),
      scores: new CloudflareScoresStorage(this.#context),
      observability: new CloudflareObservabilityStorage(this.#context),
    };
  }

  /** Sets Mastra's logger on the store and on every domain, which log through it. */
  override __setLogger(logger: IMastraLogger): void {
    super.__setLogger(logger);
    for (const domain of Object.values(this.stores)) domain.__setLogger(logger);
  }

  /**
   * Deletes every key of this store's key prefix in every table it can reach; other prefixes
   * stay. Over bindings, an optional table left unbound is skipped.
   */
  async dangerouslyClearAll(): Promise<void> {
    const details = { keyPrefix: this.keyPrefix };
    await runStoreOperation(
      { name: 'CLEAR_ALL', domain: ErrorDomain.STORAGE, details, logger: this.logger },
      async () => {
        await clearTables(this.#context, this.#tables);
        this.stores.memory.forgetOwnWrites();
      },
    );
  }
}

/** Checks the options and returns the store id, in time for the base class constructor. */
function storeIdOf(options: CloudflareStoreOptions): string {
  assertStoreOptions(options);
  return options.id ?? DEFAULT_STORE_ID;
}

function createTransport(options: CloudflareStoreOptions): {
  transport: Transport;
  tables: readonly StoreTable[];
} {
  if (isTransportOptions(options)) {
    assertTransport(options.transport);
    return { transport: options.transport, tables: STORE_TABLES };
  }
  if (isBindingOptions(options)) {
    const namespaces = resolveBindings(options.bindings);
    const transport = new BindingTransport({ namespaces: withUnboundTables(namespaces) });
    return { transport, tables: STORE_TABLES.filter((table) => table in namespaces) };
  }
  assertRestOptions(options);
  return { transport: new LazyRestTransport(options, STORE_TABLES), tables: STORE_TABLES };
}
