import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { ApiError, ErrorCode } from './api-error.js';
import { runBulkInChunks } from './bulk-runner.js';
import { BULK_WORKER_SCRIPT, type BulkOperation } from './bulk-worker-script.js';
import type { KvBinding } from './kv-binding.js';
import { NamespaceRegistry, type NamespaceRecord } from './namespace-registry.js';
import { assertWritableFolder } from './persist-folder.js';
import { ReconfigureGate } from './reconfigure-gate.js';

const COMPATIBILITY_DATE = '2026-07-01';
const NAMESPACE_ID_PATTERN = /^[0-9a-f]{32}$/;
const BULK_WORKER_URL = 'http://cfkv-local.invalid/bulk';
/**
 * Miniflare 4.20260730 waits forever when workerd cannot start, for example when its KV folder
 * became unwritable, so a namespace create gives up after this long and responds with a 500.
 */
const RECONFIGURE_TIMEOUT_MS = 60_000;

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
    const kvPersist = persistFolder === undefined ? false : join(persistFolder, 'kv');
    if (persistFolder !== undefined)
      await assertWritableFolder(persistFolder, join(persistFolder, 'kv'));
    const registry = await NamespaceRegistry.open(persistFolder);
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

  /** Runs a bulk write or delete inside workerd; returns the keys whose call failed. */
  async runBulk(id: string, operation: BulkOperation): Promise<string[]> {
    return this.#gate.shared(async () => {
      this.get(id);
      return runBulkInChunks(
        operation,
        (chunk) => this.#dispatchBulk(id, chunk),
        () => this.#binding(id),
      );
    });
  }

  async #dispatchBulk(id: string, operation: BulkOperation): Promise<string[]> {
    const response = await this.#miniflare.dispatchFetch(BULK_WORKER_URL, {
      method: 'POST',
      body: JSON.stringify({ ...operation, binding: bindingName(id) }),
    });
    if (!response.ok) {
      throw new Error(`The bulk worker responded with HTTP ${response.status}.`);
    }
    const { failedKeys } = (await response.json()) as { failedKeys: string[] };
    return failedKeys;
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
    await withTimeout(this.#miniflare.setOptions(this.#miniflareOptions()), RECONFIGURE_TIMEOUT_MS);
  }

  #miniflareOptions() {
    const kvNamespaces = Object.fromEntries(this.#boundIds.map((id) => [bindingName(id), id]));
    return {
      modules: true,
      script: BULK_WORKER_SCRIPT,
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

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`Reconfiguring Miniflare did not finish within ${timeoutMs} ms.`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
