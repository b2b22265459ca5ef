import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { BindingTransport } from '@cfkv/binding';
import { CloudflareStore, STORE_TABLES } from '@cfkv/mastra';
import { RestTransport } from '@cfkv/rest';
import { startLocalKvServer } from '@cfkv/rest-local';
import { createMiniflareKv } from '@cfkv/testing';
import type { MastraCompositeStore } from '@mastra/core/storage';
import { ConcurrencyGauge, gaugeNamespaces } from './concurrency-gauge.js';
import { OperationProbe } from './operation-probe.js';

/** A store opened over fresh, empty storage for one run of the workload. */
export interface OpenedStore {
  storage: MastraCompositeStore;
  /** Counts the store's KV operations; undefined for a store that is not CloudflareStore. */
  probe: OperationProbe | undefined;
  /** The key prefix of the store's keys, for telling a whole-table listing apart. */
  keyPrefix: string;
  close(): Promise<void>;
}

export interface StoreTarget {
  /** Column name in the report, such as `cloudflare/binding`. */
  name: string;
  open(): Promise<OpenedStore>;
}

const KEY_PREFIX = 'bench';

/**
 * CloudflareStore skips the updatedAt write of a thread stamped less than a second before, so a
 * message write's cost would depend on how long the previous step took. At 0 every write pays
 * for the thread update, the cost of the first write after a quiet second, and counts repeat.
 */
const THREAD_TOUCH_INTERVAL_MS = 0;
const LOCAL_API_TOKEN = 'bench-token';

/** CloudflareStore over Workers KV bindings, served by Miniflare. */
export const bindingTarget: StoreTarget = {
  name: 'cloudflare/binding',
  async open() {
    const kv = await createMiniflareKv(STORE_TABLES);
    const gauge = new ConcurrencyGauge();
    const probe = new OperationProbe('binding', gauge);
    const transport = new BindingTransport({ namespaces: gaugeNamespaces(kv.namespaces, gauge) });
    const storage = new CloudflareStore({
      transport: probe.wrap(transport),
      keyPrefix: KEY_PREFIX,
      threadTouchIntervalMs: THREAD_TOUCH_INTERVAL_MS,
    });
    return { storage, probe, keyPrefix: KEY_PREFIX, close: () => kv.dispose() };
  },
};

/** CloudflareStore over the REST API, served by @cfkv/rest-local on 127.0.0.1. */
export const restTarget: StoreTarget = {
  name: 'cloudflare/rest',
  async open() {
    const server = await startLocalKvServer({ apiToken: LOCAL_API_TOKEN });
    const probe = new OperationProbe('rest');
    const transport = new RestTransport({
      accountId: server.accountId,
      apiToken: LOCAL_API_TOKEN,
      baseUrl: server.baseUrl,
      onRequest: probe.countRequest,
    });
    await transport.init(STORE_TABLES);
    const storage = new CloudflareStore({
      transport: probe.wrap(transport),
      keyPrefix: KEY_PREFIX,
      threadTouchIntervalMs: THREAD_TOUCH_INTERVAL_MS,
    });
    return { storage, probe, keyPrefix: KEY_PREFIX, close: () => server.close() };
  },
};

/**
 * Another Mastra 1.x storage, loaded from a module whose default export (or `createStore`
 * export) returns a new store. The factory runs once per scale, so each run starts empty. A
 * relative path is looked up in each of `baseDirectories` in turn.
 */
export function moduleTarget(modulePath: string, baseDirectories: readonly string[]): StoreTarget {
  const url = pathToFileURL(resolveModulePath(modulePath, baseDirectories)).href;
  return {
    name: modulePath,
    async open() {
      const module = (await import(url)) as { default?: unknown; createStore?: unknown };
      const factory = module.createStore ?? module.default;
      if (typeof factory !== 'function') {
        throw new Error(
          `${modulePath} exports no store factory; export default a function returning a Mastra storage.`,
        );
      }
      const storage = (await factory()) as MastraCompositeStore;
      await storage.init();
      const close = async () => {
        await (storage as { close?: () => Promise<void> }).close?.();
      };
      return { storage, probe: undefined, keyPrefix: '', close };
    },
  };
}

function resolveModulePath(modulePath: string, baseDirectories: readonly string[]): string {
  const candidates = [...new Set(baseDirectories.map((folder) => resolve(folder, modulePath)))];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found !== undefined) return found;
  throw new Error(`--store ${modulePath} was not found; looked for ${candidates.join(', ')}.`);
}
