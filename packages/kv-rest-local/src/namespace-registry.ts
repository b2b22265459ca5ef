import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One KV namespace as the REST API describes it. */
export interface NamespaceRecord {
  id: string;
  title: string;
}

interface RegistryFile {
  version: 1;
  namespaces: NamespaceRecord[];
}

const REGISTRY_FILE_NAME = 'namespaces.json';

/**
 * Namespace ids and titles in creation order, saved as JSON in the persist folder (or kept in
 * memory when there is none), so a restarted server finds the namespaces it created.
 */
export class NamespaceRegistry {
  readonly #folder: string | undefined;
  #namespaces: NamespaceRecord[] = [];

  private constructor(folder: string | undefined) {
    this.#folder = folder;
  }

  static async open(folder: string | undefined): Promise<NamespaceRegistry> {
    const registry = new NamespaceRegistry(folder);
    if (folder !== undefined) {
      registry.#namespaces = await readRegistryFile(join(folder, REGISTRY_FILE_NAME));
    }
    return registry;
  }

  all(): readonly NamespaceRecord[] {
    return this.#namespaces;
  }

  findById(id: string): NamespaceRecord | undefined {
    return this.#namespaces.find((namespace) => namespace.id === id);
  }

  findByTitle(title: string): NamespaceRecord | undefined {
    return this.#namespaces.find((namespace) => namespace.title === title);
  }

  async add(namespace: NamespaceRecord): Promise<void> {
    await this.#replace([...this.#namespaces, namespace]);
  }

  async rename(id: string, title: string): Promise<void> {
    await this.#replace(
      this.#namespaces.map((namespace) => (namespace.id === id ? { id, title } : namespace)),
    );
  }

  async remove(id: string): Promise<void> {
    await this.#replace(this.#namespaces.filter((namespace) => namespace.id !== id));
  }

  async #replace(namespaces: NamespaceRecord[]): Promise<void> {
    if (this.#folder !== undefined) {
      await writeRegistryFile(this.#folder, { version: 1, namespaces });
    }
    this.#namespaces = namespaces;
  }
}

async function readRegistryFile(path: string): Promise<NamespaceRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }

  const parsed = JSON.parse(text) as Partial<RegistryFile>;
  if (parsed.version !== 1 || !Array.isArray(parsed.namespaces)) {
    throw new Error(`${path} is not a cfkv-local namespace registry (expected version 1).`);
  }
  return parsed.namespaces;
}

// Written to a temporary file and renamed, so a crash mid-write never leaves half a registry.
async function writeRegistryFile(folder: string, registry: RegistryFile): Promise<void> {
  await mkdir(folder, { recursive: true });
  const path = join(folder, REGISTRY_FILE_NAME);
  const temporaryPath = `${path}.${process.pid}.tmp`;
  await writeFile(temporaryPath, `${JSON.stringify(registry, null, 2)}\n`);
  await rename(temporaryPath, path);
}
