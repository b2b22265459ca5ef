import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import type { KVNamespaceLike } from '@cfkv/core';
import { Miniflare } from 'miniflare';
import { unstable_readConfig } from 'wrangler';

/** The example's folder, which contains wrangler.jsonc. */
export const WORKER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Output folder of `wrangler deploy --dry-run`. */
export const BUNDLE_DIR = path.join(WORKER_DIR, 'dist');

const WRANGLER_CONFIG = path.join(WORKER_DIR, 'wrangler.jsonc');

const offlineEnv = {
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  MASTRA_TELEMETRY_DISABLED: '1',
};

/** The built Worker: its entry module and the settings it must run under. */
export interface WorkerBundle {
  scriptPath: string;
  /** Wasm files the bundle imports by relative path, written next to it by the dry run. */
  wasmPaths: string[];
  compatibilityDate: string;
  compatibilityFlags: string[];
  kvBindings: string[];
  vars: Record<string, string>;
}

/** A Worker running in Miniflare. */
export interface RunningWorker {
  /** Sends a request to the Worker; a `body` other than a string is sent as JSON. */
  fetch(path: string, init?: { method?: string; body?: unknown }): Promise<WorkerResponse>;
  /** Counts the KV keys that start with `prefix` in each namespace, keyed by binding name. */
  countKeys(prefix: string): Promise<Record<string, number>>;
  /** Stops Miniflare. */
  dispose(): Promise<void>;
}

/** A response of the Worker with its JSON body parsed. */
export interface WorkerResponse {
  status: number;
  body: unknown;
}

/** Builds the Worker bundle with wrangler, offline, exactly as `wrangler deploy` would upload it. */
export async function buildWorkerBundle(): Promise<WorkerBundle> {
  const args = [resolveWranglerBin(), 'deploy', '--dry-run', '--outdir', BUNDLE_DIR];
  await promisify(execFile)(process.execPath, args, {
    cwd: WORKER_DIR,
    env: { ...process.env, ...offlineEnv },
    maxBuffer: 16 * 1024 * 1024,
  });

  const files = await readdir(BUNDLE_DIR);
  const wasmPaths = files.filter((file) => file.endsWith('.wasm'));
  return {
    ...readBundleSettings(),
    wasmPaths: wasmPaths.map((file) => path.join(BUNDLE_DIR, file)),
  };
}

// wrangler's exports map hides its bin script, so it is found next to its package.json.
function resolveWranglerBin(): string {
  const manifestPath = createRequire(import.meta.url).resolve('wrangler/package.json');
  return path.join(path.dirname(manifestPath), 'bin', 'wrangler.js');
}

function readBundleSettings(): Omit<WorkerBundle, 'wasmPaths'> {
  const config = unstable_readConfig({ config: WRANGLER_CONFIG });
  const vars = Object.fromEntries(
    Object.entries(config.vars).map(([name, value]) => [name, String(value)]),
  );

  return {
    scriptPath: path.join(BUNDLE_DIR, 'index.js'),
    compatibilityDate: config.compatibility_date ?? '2026-08-01',
    compatibilityFlags: config.compatibility_flags,
    kvBindings: config.kv_namespaces.map((namespace: { binding: string }) => namespace.binding),
    vars,
  };
}

/** Options of startWorker. */
export interface StartWorkerOptions {
  /** Folder where Miniflare persists the KV namespaces (SQLite plus blobs). Default: in memory. */
  persistDir?: string;
  /** Variables added to, or replacing, the `vars` of wrangler.jsonc, such as KV_KEY_PREFIX. */
  vars?: Record<string, string>;
}

/**
 * Starts the bundle in Miniflare with its KV namespaces persisted under `persistDir`, so a second
 * Worker started over the same folder reads what the first one stored.
 */
export async function startWorker(
  bundle: WorkerBundle,
  { persistDir, vars = {} }: StartWorkerOptions,
): Promise<RunningWorker> {
  const miniflare = new Miniflare({
    // Miniflare cannot follow the bundle's dynamic imports, so every module is listed here: the
    // entry and the wasm files (Mastra's xxhash) that the bundle imports by relative path.
    modulesRoot: BUNDLE_DIR,
    modules: [
      { type: 'ESModule', path: bundle.scriptPath },
      ...bundle.wasmPaths.map((wasmPath) => ({ type: 'CompiledWasm' as const, path: wasmPath })),
    ],
    compatibilityDate: bundle.compatibilityDate,
    compatibilityFlags: bundle.compatibilityFlags,
    kvNamespaces: bundle.kvBindings,
    kvPersist: persistDir ?? false,
    bindings: { ...bundle.vars, ...vars },
    // Without cf: false, Miniflare downloads request metadata from the internet at start.
    cf: false,
  });
  await miniflare.ready;

  return {
    fetch: (requestPath, init) => fetchJson(miniflare, requestPath, init),
    countKeys: (prefix) => countKeys(miniflare, bundle.kvBindings, prefix),
    dispose: () => miniflare.dispose(),
  };
}

async function countKeys(
  miniflare: Miniflare,
  bindings: string[],
  prefix: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const binding of bindings) {
    // Miniflare's KVNamespace type needs @cloudflare/workers-types, which is not installed here.
    const namespace = (await miniflare.getKVNamespace(binding)) as unknown as KVNamespaceLike;
    let cursor: string | undefined;
    let count = 0;
    do {
      const page = await namespace.list({ prefix, cursor });
      count += page.keys.length;
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor !== undefined);
    counts[binding] = count;
  }
  return counts;
}

async function fetchJson(
  miniflare: Miniflare,
  requestPath: string,
  init: { method?: string; body?: unknown } = {},
): Promise<WorkerResponse> {
  const hasBody = init.body !== undefined;
  const response = await miniflare.dispatchFetch(`http://worker.local${requestPath}`, {
    method: init.method ?? 'GET',
    headers: hasBody ? { 'content-type': 'application/json' } : {},
    body: hasBody ? serializeBody(init.body) : undefined,
  });

  const text = await response.text();
  return { status: response.status, body: parseJson(text) };
}

function serializeBody(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
