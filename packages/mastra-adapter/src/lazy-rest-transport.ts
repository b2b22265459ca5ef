import type {
  KvEntry,
  ListOptions,
  ListPage,
  PutOptions,
  Transport,
  ValueWithMetadata,
} from '@cfkv/core';
import type { RestStoreOptions } from './store-options.js';

interface InitializedTransport extends Transport {
  init(tables: readonly string[]): Promise<void>;
}

interface RestModule {
  RestTransport: new (options: Record<string, unknown>) => InitializedTransport;
}

/**
 * The module name sits in a variable so that bundlers do not follow it: a Worker that uses
 * bindings must not carry the REST client in its bundle. Node resolves it at run time.
 */
const REST_MODULE = '@cfkv/rest';

/**
 * A Transport that loads `@cfkv/rest` on first use and finds or creates the namespaces of
 * `tables` once, so constructing a store stays synchronous.
 */
export class LazyRestTransport implements Transport {
  readonly name = 'rest';
  readonly #options: RestStoreOptions;
  readonly #tables: readonly string[];
  #ready: Promise<Transport> | undefined;

  constructor(options: RestStoreOptions, tables: readonly string[]) {
    this.#options = options;
    this.#tables = tables;
  }

  async get(table: string, key: string): Promise<string | null> {
    return (await this.#transport()).get(table, key);
  }

  async getMany(table: string, keys: readonly string[]): Promise<(string | null)[]> {
    return (await this.#transport()).getMany(table, keys);
  }

  async getWithMetadata(table: string, key: string): Promise<ValueWithMetadata> {
    return (await this.#transport()).getWithMetadata(table, key);
  }

  async put(table: string, key: string, value: string, options?: PutOptions): Promise<void> {
    return (await this.#transport()).put(table, key, value, options);
  }

  async putMany(table: string, entries: readonly KvEntry[]): Promise<void> {
    return (await this.#transport()).putMany(table, entries);
  }

  async delete(table: string, key: string): Promise<void> {
    return (await this.#transport()).delete(table, key);
  }

  async deleteMany(table: string, keys: readonly string[]): Promise<void> {
    return (await this.#transport()).deleteMany(table, keys);
  }

  async list(table: string, options?: ListOptions): Promise<ListPage> {
    return (await this.#transport()).list(table, options);
  }

  #transport(): Promise<Transport> {
    this.#ready ??= this.#load().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #load(): Promise<Transport> {
    const { RestTransport } = (await import(/* @vite-ignore */ REST_MODULE)) as RestModule;
    const {
      id: _id,
      keyPrefix: _keyPrefix,
      threadTouchIntervalMs: _threadTouchIntervalMs,
      ...restOptions
    } = this.#options;
    const transport = new RestTransport(restOptions);
    await transport.init(this.#tables);
    return transport;
  }
}
