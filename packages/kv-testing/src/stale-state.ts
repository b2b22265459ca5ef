import type { ListedKey, ListPage, Transport } from '@cfkv/core';
import { compareUtf8 } from './utf8-order.js';

interface StaleEntry {
  /** The key as it was before the latest write; null when it did not exist. */
  previous: { value: string; metadata: unknown } | null;
  remainingReads: number;
}

/** Key names a list page covers: after `after` and, unless it is null, up to `before` inclusive. */
export interface PageRange {
  prefix: string;
  after: string | null;
  before: string | null;
}

/**
 * Remembers, per key, the state before its latest write and how many reads may still see it.
 * The previous state is read from the real transport before the write is made.
 */
export class StaleState {
  readonly #entries = new Map<string, StaleEntry>();
  readonly #staleReads: number;

  constructor(staleReads: number) {
    this.#staleReads = staleReads;
  }

  get enabled(): boolean {
    return this.#staleReads > 0;
  }

  async recordBeforeWrite(transport: Transport, table: string, keys: readonly string[]) {
    if (!this.enabled) return;

    for (const key of keys) {
      const current = await transport.getWithMetadata(table, key);
      const previous =
        current.value === null ? null : { value: current.value, metadata: current.metadata };
      this.#entries.set(entryId(table, key), { previous, remainingReads: this.#staleReads });
    }
  }

  /** Returns the stale value of a key and counts the read, or undefined once reads are fresh. */
  takeValue(table: string, key: string): { value: string | null; metadata: unknown } | undefined {
    const entry = this.#take(table, key);
    if (entry === undefined) return undefined;
    return entry.previous ?? { value: null, metadata: null };
  }

  /** Rewrites a fresh list page so keys with stale state appear as they were before the write. */
  applyToPage(table: string, page: ListPage, range: PageRange): { page: ListPage; served: number } {
    const byName = new Map(page.keys.map((key) => [key.name, key]));
    let served = 0;
    for (const [id, entry] of this.#entries) {
      const name = keyOfEntry(table, id);
      if (name === undefined || !isInRange(name, range)) continue;

      this.#countRead(id, entry);
      served++;
      if (entry.previous === null) byName.delete(name);
      else byName.set(name, staleListedKey(name, entry.previous.metadata, byName.get(name)));
    }
    const keys = [...byName.values()].sort((left, right) => compareUtf8(left.name, right.name));
    return { page: { ...page, keys }, served };
  }

  #take(table: string, key: string): StaleEntry | undefined {
    const id = entryId(table, key);
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    this.#countRead(id, entry);
    return entry;
  }

  /** Counts one stale read and removes the entry after its last one, so later reads are fresh. */
  #countRead(id: string, entry: StaleEntry): void {
    entry.remainingReads--;
    if (entry.remainingReads <= 0) this.#entries.delete(id);
  }
}

function entryId(table: string, key: string): string {
  return `${table}\u0000${key}`;
}

function keyOfEntry(table: string, id: string): string | undefined {
  const tablePart = `${table}\u0000`;
  return id.startsWith(tablePart) ? id.slice(tablePart.length) : undefined;
}

function isInRange(name: string, range: PageRange): boolean {
  if (!name.startsWith(range.prefix)) return false;
  if (range.after !== null && compareUtf8(name, range.after) <= 0) return false;
  return range.before === null || compareUtf8(name, range.before) <= 0;
}

function staleListedKey(name: string, metadata: unknown, fresh: ListedKey | undefined): ListedKey {
  const listed: ListedKey = { name };
  if (metadata !== null && metadata !== undefined) listed.metadata = metadata;
  if (fresh?.expiration !== undefined) listed.expiration = fresh.expiration;
  return listed;
}
