import {
  CfkvError,
  MIN_MILLISECONDS_BETWEEN_WRITES_TO_ONE_KEY,
  type KvEntry,
  type ListOptions,
  type ListPage,
  type PutOptions,
  type Transport,
  type ValueWithMetadata,
} from '@cfkv/core';
import {
  emptyFaultCounters,
  type FaultCounters,
  type FaultTransportOptions,
  type TransportOperation,
} from './fault-options.js';
import { StaleState } from './stale-state.js';

/**
 * A test transport that wraps a real one and adds the faults production KV has and local KV
 * lacks: small list pages, stale reads, 429 on repeated writes, the bulk-get cap, a per-call
 * operation budget and errors injected by a hook. It never stores data itself.
 */
export class FaultTransport implements Transport {
  readonly name: string;
  readonly #inner: Transport;
  readonly #options: FaultTransportOptions;
  readonly #stale: StaleState;
  readonly #lastWriteAt = new Map<string, number>();
  readonly #listLowerBounds = new Map<string, string>();
  #counters = emptyFaultCounters();
  #budgetUsed = 0;

  constructor(inner: Transport, options: FaultTransportOptions = {}) {
    this.name = `fault(${inner.name})`;
    this.#inner = inner;
    this.#options = options;
    this.#stale = new StaleState(options.staleReads ?? 0);
  }

  get counters(): FaultCounters {
    return structuredClone(this.#counters);
  }

  resetCounters(): void {
    this.#counters = emptyFaultCounters();
  }

  /** Starts a new operation budget, as a new Worker invocation would. */
  resetBudget(): void {
    this.#budgetUsed = 0;
  }

  async get(table: string, key: string): Promise<string | null> {
    this.#begin('get', table, [key]);

    const stale = this.#takeStale(table, key);
    return stale === undefined ? this.#inner.get(table, key) : stale.value;
  }

  async getMany(table: string, keys: readonly string[]): Promise<(string | null)[]> {
    this.#begin('getMany', table, keys);
    this.#assertBulkGetCap(table, keys);

    const values = await this.#inner.getMany(table, keys);
    return keys.map((key, index) => {
      const stale = this.#takeStale(table, key);
      return stale === undefined ? (values[index] ?? null) : stale.value;
    });
  }

  async getWithMetadata(table: string, key: string): Promise<ValueWithMetadata> {
    this.#begin('getWithMetadata', table, [key]);

    return this.#takeStale(table, key) ?? this.#inner.getWithMetadata(table, key);
  }

  async put(table: string, key: string, value: string, options?: PutOptions): Promise<void> {
    this.#begin('put', table, [key]);
    this.#recordWrites(table, [key]);

    await this.#stale.recordBeforeWrite(this.#inner, table, [key]);
    await this.#inner.put(table, key, value, options);
  }

  async putMany(table: string, entries: readonly KvEntry[]): Promise<void> {
    const keys = entries.map((entry) => entry.key);
    this.#begin('putMany', table, keys);
    this.#recordWrites(table, keys);

    await this.#stale.recordBeforeWrite(this.#inner, table, keys);
    await this.#inner.putMany(table, entries);
  }

  async delete(table: string, key: string): Promise<void> {
    this.#begin('delete', table, [key]);
    this.#recordWrites(table, [key]);

    await this.#stale.recordBeforeWrite(this.#inner, table, [key]);
    await this.#inner.delete(table, key);
  }

  async deleteMany(table: string, keys: readonly string[]): Promise<void> {
    this.#begin('deleteMany', table, keys);
    this.#recordWrites(table, keys);

    await this.#stale.recordBeforeWrite(this.#inner, table, keys);
    await this.#inner.deleteMany(table, keys);
  }

  async list(table: string, options: ListOptions = {}): Promise<ListPage> {
    this.#begin('list', table, []);
    const limit = this.#pageLimit(options.limit);

    const fresh = await this.#inner.list(table, { ...options, limit });
    const page = this.#applyStaleToPage(table, options, fresh);

    const lastKey = page.keys.at(-1)?.name;
    if (page.cursor && lastKey !== undefined) this.#listLowerBounds.set(page.cursor, lastKey);
    return page;
  }

  /** Counts the call, spends budget and runs the `failOn` hook, in that order. */
  #begin(operation: TransportOperation, table: string, keys: readonly string[]): void {
    const counters = this.#counters;
    counters.calls++;
    counters.byOperation[operation]++;
    counters.keys += keys.length;
    this.#spendBudget(operation, table);

    const error = this.#options.failOn?.({
      operation,
      table,
      keys,
      callNumber: counters.calls,
      operationCallNumber: counters.byOperation[operation],
    });
    if (error === undefined) return;
    counters.injectedErrors++;
    throw error;
  }

  #spendBudget(operation: TransportOperation, table: string): void {
    const budget = this.#options.operationBudget;
    this.#budgetUsed++;
    if (budget === undefined || this.#budgetUsed <= budget) return;

    throw new CfkvError(
      'TRANSPORT_FAILED',
      `${operation} in ${table} is call ${this.#budgetUsed} since the budget was reset; ` +
        `the operation budget is ${budget} calls.`,
      { table, operation, field: 'operationBudget', limit: budget, actual: this.#budgetUsed },
    );
  }

  /** Rejects a write to a key written less than a second ago, as Cloudflare returns 429. */
  #recordWrites(table: string, keys: readonly string[]): void {
    if (!this.#options.rateLimitRepeatWrites) return;
    const now = (this.#options.now ?? Date.now)();

    const seen = new Set<string>();
    for (const key of keys) {
      const id = `${table}\u0000${key}`;
      const lastWriteAt = this.#lastWriteAt.get(id);
      const isRepeat =
        seen.has(id) ||
        (lastWriteAt !== undefined &&
          now - lastWriteAt < MIN_MILLISECONDS_BETWEEN_WRITES_TO_ONE_KEY);
      if (isRepeat) throw this.#rateLimitedError(table, key);
      seen.add(id);
    }
    for (const id of seen) this.#lastWriteAt.set(id, now);
  }

  #rateLimitedError(table: string, key: string): CfkvError {
    this.#counters.rateLimited++;
    return new CfkvError(
      'RATE_LIMITED',
      `Write to ${key} in ${table} was rejected with 429: KV accepts about one write a second ` +
        `to one key.`,
      { table, key, status: 429, limit: MIN_MILLISECONDS_BETWEEN_WRITES_TO_ONE_KEY },
    );
  }

  #assertBulkGetCap(table: string, keys: readonly string[]): void {
    const cap = this.#options.bulkGetCap;
    if (cap === undefined || keys.length <= cap) return;

    throw new CfkvError(
      'BATCH_TOO_LARGE',
      `getMany in ${table} was given ${keys.length} keys; the bulk-get cap is ${cap} keys.`,
      { table, field: 'keys', limit: cap, actual: keys.length },
    );
  }

  #pageLimit(requested: number | undefined): number | undefined {
    const forced = this.#options.listPageSize;
    if (forced === undefined) return requested;
    return requested === undefined ? forced : Math.min(requested, forced);
  }

  #takeStale(table: string, key: string): ValueWithMetadata | undefined {
    const stale = this.#stale.takeValue(table, key);
    if (stale !== undefined) this.#counters.staleReadsServed++;
    return stale;
  }

  #applyStaleToPage(table: string, options: ListOptions, fresh: ListPage): ListPage {
    if (!this.#stale.enabled) return fresh;

    const after = options.cursor ? (this.#listLowerBounds.get(options.cursor) ?? null) : null;
    const before = fresh.complete ? null : (fresh.keys.at(-1)?.name ?? null);
    // An empty page that is not the last one covers an unknown range, so it stays as it is.
    if (!fresh.complete && before === null) return fresh;

    const range = { prefix: options.prefix ?? '', after, before };
    const { page, served } = this.#stale.applyToPage(table, fresh, range);
    this.#counters.staleReadsServed += served;
    return page;
  }
}
