import type {
  KvEntry,
  ListOptions,
  ListPage,
  PutOptions,
  Transport,
  ValueWithMetadata,
} from '@cfkv/core';

/**
 * How long a write is remembered: KV may take up to 60 seconds to show a write in other
 * locations, and a read can be served from a cache that is that old.
 */
const OWN_WRITE_WINDOW_MS = 60_000;
/** Writes remembered at once; the oldest is forgotten first. */
const MAX_REMEMBERED_WRITES = 1_000;
/** Values longer than this are not remembered, so the memory used stays bounded. */
const MAX_REMEMBERED_VALUE_LENGTH = 256 * 1024;
/** Fingerprints of values last read or written that are kept at once; the oldest go first. */
const MAX_SEEN_FINGERPRINTS = 10_000;

interface OwnWrite {
  /** The value written, or null for a delete. */
  value: string | null;
  metadata: unknown;
  writtenAt: number;
  /** For a delete: the fingerprint of the value last seen before it, when one was seen. */
  deletedFingerprint?: string;
}

/**
 * Lets one store object read its own record writes although KV is eventually consistent. A
 * read that returns "not found" for a record this object wrote in the last 60 seconds returns
 * the value written. A read that returns the value this object deleted in that time returns
 * "not found". Any other read result, such as another value written since by another store
 * object, is returned as KV gave it, so writes of other store objects are seen as soon as KV
 * shows them. Lists are passed through unchanged.
 */
export class OwnWritesTransport implements Transport {
  readonly name: string;
  readonly #inner: Transport;
  readonly #isRemembered: (table: string, key: string) => boolean;
  readonly #writes = new Map<string, OwnWrite>();
  readonly #seen = new Map<string, string>();

  /** `isRemembered` picks the keys worth remembering, such as record keys read by id. */
  constructor(inner: Transport, isRemembered: (table: string, key: string) => boolean) {
    this.name = inner.name;
    this.#inner = inner;
    this.#isRemembered = isRemembered;
  }

  async get(table: string, key: string): Promise<string | null> {
    const value = await this.#inner.get(table, key);
    return this.#resolve(table, key, { value, metadata: null }).value;
  }

  async getMany(table: string, keys: readonly string[]): Promise<(string | null)[]> {
    const values = await this.#inner.getMany(table, keys);
    return values.map(
      (value, index) => this.#resolve(table, keys[index]!, { value, metadata: null }).value,
    );
  }

  async getWithMetadata(table: string, key: string): Promise<ValueWithMetadata> {
    return this.#resolve(table, key, await this.#inner.getWithMetadata(table, key));
  }

  async put(table: string, key: string, value: string, options?: PutOptions): Promise<void> {
    await this.#inner.put(table, key, value, options);
    this.#remember(table, key, value, options?.metadata ?? null);
  }

  async putMany(table: string, entries: readonly KvEntry[]): Promise<void> {
    await this.#inner.putMany(table, entries);
    for (const entry of entries) {
      this.#remember(table, entry.key, entry.value, entry.metadata ?? null);
    }
  }

  async delete(table: string, key: string): Promise<void> {
    await this.#inner.delete(table, key);
    this.#remember(table, key, null, null);
  }

  async deleteMany(table: string, keys: readonly string[]): Promise<void> {
    await this.#inner.deleteMany(table, keys);
    for (const key of keys) this.#remember(table, key, null, null);
  }

  list(table: string, options?: ListOptions): Promise<ListPage> {
    return this.#inner.list(table, options);
  }

  /** Forgets every remembered write, for when the store's keys were cleared by another path. */
  forget(): void {
    this.#writes.clear();
    this.#seen.clear();
  }

  #resolve(table: string, key: string, fresh: ValueWithMetadata): ValueWithMetadata {
    const resolved = this.#merge(table, key, fresh);
    if (resolved.value !== null) this.#see(table, key, resolved.value);
    return resolved;
  }

  #merge(table: string, key: string, fresh: ValueWithMetadata): ValueWithMetadata {
    const own = this.#recall(table, key);
    if (own === undefined) return fresh;
    if (own.value !== null && fresh.value === null) {
      return { value: own.value, metadata: own.metadata };
    }
    if (own.value === null && fresh.value !== null) {
      const deleted = own.deletedFingerprint;
      if (deleted === undefined || fingerprint(fresh.value) === deleted) {
        return { value: null, metadata: null };
      }
      this.#writes.delete(writeId(table, key));
    }
    return fresh;
  }

  /**
   * Records the fingerprint of a value read or written, for a later delete of the key. Values
   * too long to remember are not hashed, which keeps the CPU time of large reads down.
   */
  #see(table: string, key: string, value: string): void {
    if (!this.#isRemembered(table, key)) return;
    const id = writeId(table, key);
    this.#seen.delete(id);
    if (value.length > MAX_REMEMBERED_VALUE_LENGTH) return;

    this.#seen.set(id, fingerprint(value));
    if (this.#seen.size > MAX_SEEN_FINGERPRINTS) {
      this.#seen.delete(this.#seen.keys().next().value as string);
    }
  }

  #recall(table: string, key: string): OwnWrite | undefined {
    const id = writeId(table, key);
    const own = this.#writes.get(id);
    if (own === undefined) return undefined;
    if (Date.now() - own.writtenAt <= OWN_WRITE_WINDOW_MS) return own;

    this.#writes.delete(id);
    return undefined;
  }

  #remember(table: string, key: string, value: string | null, metadata: unknown): void {
    if (!this.#isRemembered(table, key)) return;
    const id = writeId(table, key);
    const deletedFingerprint = value === null ? this.#seen.get(id) : undefined;
    this.#writes.delete(id);
    this.#seen.delete(id);
    if (value !== null) this.#see(table, key, value);
    if (value !== null && value.length > MAX_REMEMBERED_VALUE_LENGTH) return;

    const write: OwnWrite = { value, metadata, writtenAt: Date.now() };
    if (deletedFingerprint !== undefined) write.deletedFingerprint = deletedFingerprint;
    this.#writes.set(id, write);
    if (this.#writes.size > MAX_REMEMBERED_WRITES) {
      const oldest = this.#writes.keys().next().value as string;
      this.#writes.delete(oldest);
    }
  }
}

function writeId(table: string, key: string): string {
  return `${table}\u0000${key}`;
}

/**
 * Returns a short fingerprint of a value: its length and a 32-bit FNV-1a hash of its UTF-16 code
 * units. Two different values of one key share it with a chance of about one in four billion.
 */
function fingerprint(value: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < value.length; index++) {
    hash ^= value.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${value.length}:${(hash >>> 0).toString(16)}`;
}
