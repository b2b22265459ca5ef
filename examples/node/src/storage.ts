import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CloudflareStore } from '@cfkv/mastra';
import { startLocalKvServer } from '@cfkv/rest-local';

/** The example's folder; local KV data is persisted under it. */
export const EXAMPLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Folder of the local KV server's data when no other is given. */
export const DEFAULT_PERSIST_DIR = path.join(EXAMPLE_DIR, '.cfkv');

/** Namespace title prefix when CFKV_NAMESPACE_PREFIX is not set. */
export const DEFAULT_NAMESPACE_PREFIX = 'cfkv_example_';

/** Settings of createStorage: the Cloudflare account or local folder, and the prefixes. */
export interface StorageSettings {
  /** Cloudflare account id and API token. Without them a local KV REST server is started. */
  cloudflare?: { accountId: string; apiToken: string };
  /** Namespaces are titled `{namespacePrefix}{table}`. Default: DEFAULT_NAMESPACE_PREFIX. */
  namespacePrefix?: string;
  /** Prefix of every KV key the store writes. Default: none. */
  keyPrefix?: string;
  /** Folder of the local KV server's data. Default: DEFAULT_PERSIST_DIR. */
  persistDir?: string;
  /** Receives the line that names where the data is kept. Default: console.log. */
  log?: (line: string) => void;
}

/** The service's storage and what must be stopped with it. */
export interface ServiceStorage {
  storage: CloudflareStore;
  /** Stops the local KV server, if one was started. */
  close(): Promise<void>;
}

/**
 * Reads StorageSettings from CLOUDFLARE_ACCOUNT_ID, CLOUDFLARE_API_TOKEN, CFKV_NAMESPACE_PREFIX,
 * CFKV_KEY_PREFIX and CFKV_PERSIST_DIR. Credentials count only when both are set and non-blank.
 */
export function readStorageSettings(env: NodeJS.ProcessEnv): StorageSettings {
  const accountId = env.CLOUDFLARE_ACCOUNT_ID?.trim();
  const apiToken = env.CLOUDFLARE_API_TOKEN?.trim();

  return {
    cloudflare: accountId && apiToken ? { accountId, apiToken } : undefined,
    namespacePrefix: env.CFKV_NAMESPACE_PREFIX ?? DEFAULT_NAMESPACE_PREFIX,
    keyPrefix: env.CFKV_KEY_PREFIX,
    persistDir: env.CFKV_PERSIST_DIR || undefined,
  };
}

/**
 * Creates and initializes a CloudflareStore over the Cloudflare REST API: against the account in
 * `settings.cloudflare` when given, otherwise against a local KV REST server started here.
 */
export async function createStorage(settings: StorageSettings = {}): Promise<ServiceStorage> {
  const log = settings.log ?? console.log;
  const namespacePrefix = settings.namespacePrefix ?? DEFAULT_NAMESPACE_PREFIX;
  const { keyPrefix } = settings;

  if (settings.cloudflare) {
    const storage = new CloudflareStore({ ...settings.cloudflare, namespacePrefix, keyPrefix });
    log(`storage: Cloudflare Workers KV, namespaces titled ${namespacePrefix}<table>`);
    await storage.init();
    return { storage, close: async () => {} };
  }

  return createLocalStorage(settings.persistDir ?? DEFAULT_PERSIST_DIR, {
    namespacePrefix,
    keyPrefix,
    log,
  });
}

async function createLocalStorage(
  persistDir: string,
  options: { namespacePrefix: string; keyPrefix?: string; log: (line: string) => void },
): Promise<ServiceStorage> {
  // The token only guards the loopback server for this run, so a new one is made every start.
  const apiToken = randomBytes(24).toString('hex');
  const server = await startLocalKvServer({ apiToken, persist: persistDir });
  options.log(
    `storage: local KV REST server at ${server.baseUrl}, data in ${persistDir} ` +
      '(set CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_TOKEN to use Cloudflare)',
  );

  const storage = new CloudflareStore({
    accountId: server.accountId,
    apiToken,
    baseUrl: server.baseUrl,
    namespacePrefix: options.namespacePrefix,
    keyPrefix: options.keyPrefix,
  });
  try {
    await storage.init();
  } catch (error) {
    await server.close();
    throw error;
  }
  return { storage, close: () => server.close() };
}
