import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { ApiError, ErrorCode } from './api-error.js';
import type { KvBinding } from './kv-binding.js';
import { NamespaceRegistry, type NamespaceRecord } from './namespace-registry.js';
import { ReconfigureGate } from './reconfigure-gate.js';

const COMPATIBILITY_DATE = '2026-07-01';
const WORKER_SCRIPT = 'export default { fetch: () => new Response(null, { status: 404 }) };';
const NAMESPACE_ID_PATTERN = /^[0-9a-f]{32}$/;

/**
 * Every namespace of the server as its own KV namespace of one Miniflare instance. A new
 * namespace is bound by reconfiguring that instance, so keys, limits and list cursors are
 * exactly those of workerd's KV with no prefix added to user keys.
 */
export class NamespaceStore {
  readonly #miniflare: Miniflare;
  readonly #registry: NamespaceRegistry;
  readonly #kvPersist: string | false;
  readonly #gate = new ReconfigureGate();
  #boundIds: string[];
  #bindings = new Map<string, Promise<KvBinding>>();

  private constructor(registry: NamespaceRegistry, kvPersist: string | false) {
    this.#registry = registry;
    this.#kvPersist = kvPersist;
    this.#boundIds = registry.all().map((namespace) => namespace.id);
    this.#miniflare = new Miniflare(this.#miniflareOptions());
  }

  static async open(persistFolder: string | undefined): Promise<NamespaceStore> {
    const registry = await NamespaceRegistry.open(persistFolder);
    const kvPersist = persistFolder === undefined ? false : join(persistFolder, 'kv');
    const store = new NamespaceStore(registry, kvPersist);
    await store.#miniflare.ready;
    return store;
  }

  list(): readonly NamespaceRecord[] {
    return this.#registry.all();
  }

  get(id: string): NamespaceRecord {
    assertNamespaceId(id);
    const namespace = this.#registry.findById(id);
    if (namespace === undefined) {
      throw new ApiError(404, ErrorCode.NAMESPACE_NOT_FOUND, `Namespace ${id} was not found.`);
    }
    return namespace;
  }

  async create(title: string): Promise<NamespaceRecord> {
    return this.#gate.exclusive(async () => {
      assertTitleIsFree(this.#registry, title);
      const namespace = { id: randomBytes(16).toString('hex'), title };
      this.#boundIds = [...this.#boundIds, namespace.id];
      await this.#reconfigure();
      await this.#registry.add(namespace);
      return namespace;
    });
  }

  async rename(id: string, title: string): Promise<NamespaceRecord> {
    return this.#gate.exclusive(async () => {
      const namespace = this.get(id);
      if (namespace.title !== title) {
        assertTitleIsFree(this.#registry, title);
        await this.#registry.rename(id, title);
      }
      return { id, title };
    });
  }

  /** Removes the namespace from the registry first, then deletes its keys from disk. */
  async delete(id: string): Promise<void> {
    await this.#gate.exclusive(async () => {
      this.get(id);
      await this.#registry.remove(id);
      await deleteAllKeys(await this.#binding(id));
    });
  }

  /** Runs `task` with the namespace's binding while no reconfiguration can poison it. */
  async withBinding<T>(id: string, task: (binding: KvBinding) => Promise<T>): Promise<T> {
    return this.#gate.shared(async () => {
      this.get(id);
      return task(await this.#binding(id));
    });
  }

  async close(): Promise<void> {
    await this.#gate.exclusive(() => this.#miniflare.dispose());
  }

  #binding(id: string): Promise<KvBinding> {
    let binding = this.#bindings.get(id);
    if (binding === undefined) {
      binding = this.#miniflare.getKVNamespace(
        bindingName(id),
      ) as Promise<unknown> as Promise<KvBinding>;
      this.#bindings.set(id, binding);
    }
    return binding;
  }

  async #reconfigure(): Promise<void> {
    this.#bindings = new Map();
    await this.#miniflare.setOptions(this.#miniflareOptions());
  }

  #miniflareOptions() {
    const kvNamespaces = Object.fromEntries(this.#boundIds.map((id) => [bindingName(id), id]));
    return {
      modules: true,
      script: WORKER_SCRIPT,
      compatibilityDate: COMPATIBILITY_DATE,
      cf: false,
      kvNamespaces,
      kvPersist: this.#kvPersist,
    };
  }
}

export function assertNamespaceId(id: string): void {
  if (!NAMESPACE_ID_PATTERN.test(id)) {
    throw new ApiError(
      400,
      ErrorCode.INVALID_IDENTIFIER,
      `Could not route to namespace ${JSON.stringify(id)}, perhaps your object identifier is ` +
        'invalid? Namespace ids are 32 lowercase hexadecimal characters.',
    );
  }
}

function assertTitleIsFree(registry: NamespaceRegistry, title: string): void {
  if (registry.findByTitle(title) !== undefined) {
    throw new ApiError(
      400,
      ErrorCode.DUPLICATE_NAMESPACE_TITLE,
      `A namespace with the title ${JSON.stringify(title)} already exists in this account.`,
    );
  }
}

function bindingName(id: string): string {
  return `KV_${id}`;
}

// Lists from the start each round, because the keys before any cursor are already gone.
async function deleteAllKeys(binding: KvBinding): Promise<void> {
  for (;;) {
    const page = await binding.list({});
    await Promise.all(page.keys.map((key) => binding.delete(key.name)));
    if (page.list_complete && page.keys.length === 0) {
      return;
    }
  }
}
