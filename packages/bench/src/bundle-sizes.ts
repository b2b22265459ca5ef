import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWorkerBundle, type WorkerBundle } from './worker-bundle.js';

/**
 * Strings only the REST client contains: paths of Cloudflare's KV REST API that survive
 * minification. The bindings-mode Worker must contain none of them.
 */
export const REST_CLIENT_MARKERS = ['/bulk/get', '/bulk/delete', 'storage/kv/namespaces'];

export interface BundleSize {
  name: string;
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface BundleReport {
  worker: WorkerBundle | undefined;
  /** Reason the Worker bundle could not be built or measured. */
  workerError?: string;
  /** REST client markers found in the bindings-mode Worker bundle; empty when it has none. */
  restClientMarkersInWorker: string[] | undefined;
  /** Markers absent from @cfkv/rest's own build, which would make the check above vacuous. */
  markersMissingFromRestBuild: string[];
  packages: BundleSize[];
}

/**
 * Builds the Worker example with wrangler's dry run and measures it, checks that it carries no
 * REST client, and measures the ESM build of each package.
 */
export function measureBundles(repositoryRoot: string): BundleReport {
  const packagesFolder = join(repositoryRoot, 'packages');
  const packages = measurePackages(packagesFolder);
  const restBuild = join(packagesFolder, 'kv-rest', 'dist', 'index.js');
  const markersMissingFromRestBuild = existsSync(restBuild)
    ? findMissingMarkers(readFileSync(restBuild, 'utf8'))
    : [...REST_CLIENT_MARKERS];

  try {
    const worker = buildWorkerBundle(join(repositoryRoot, 'examples', 'worker'));
    const restClientMarkersInWorker = findRestClientMarkers(worker.contents);
    return {
      worker: worker.size,
      restClientMarkersInWorker,
      markersMissingFromRestBuild,
      packages,
    };
  } catch (error) {
    const workerError = error instanceof Error ? error.message : String(error);
    return {
      worker: undefined,
      workerError,
      restClientMarkersInWorker: undefined,
      markersMissingFromRestBuild,
      packages,
    };
  }
}

export function findRestClientMarkers(code: string): string[] {
  return REST_CLIENT_MARKERS.filter((marker) => code.includes(marker));
}

function findMissingMarkers(code: string): string[] {
  return REST_CLIENT_MARKERS.filter((marker) => !code.includes(marker));
}

/** Lists the failures in a bundle report, worded as printed at the end of the run. */
export function bundleFailures(bundles: BundleReport | undefined): string[] {
  if (bundles === undefined) return [];
  const failures: string[] = [];
  if (bundles.markersMissingFromRestBuild.length > 0) {
    failures.push(
      `bundle: @cfkv/rest's build lacks the REST client markers ` +
        `${bundles.markersMissingFromRestBuild.join(', ')}; build it or update REST_CLIENT_MARKERS`,
    );
  }
  if (bundles.workerError !== undefined) {
    failures.push(`bundle: the Worker example could not be built: ${bundles.workerError}`);
  }
  const markers = bundles.restClientMarkersInWorker ?? [];
  if (markers.length > 0) {
    failures.push(
      `bundle: the bindings-mode Worker bundle contains the REST client (found ${markers.join(', ')})`,
    );
  }
  return failures;
}

function measurePackages(packagesFolder: string): BundleSize[] {
  const sizes: BundleSize[] = [];
  for (const folder of readdirSync(packagesFolder).sort()) {
    const dist = join(packagesFolder, folder, 'dist');
    if (!existsSync(dist)) continue;
    const files = readdirSync(dist)
      .filter((file) => file.endsWith('.js'))
      .map((file) => join(dist, file));
    const manifest = JSON.parse(readFileSync(join(packagesFolder, folder, 'package.json'), 'utf8'));
    sizes.push(measureFiles(String(manifest.name), dist, files));
  }
  return sizes;
}

/** Sums the ESM files of a build; each is gzipped on its own, as a server would send it. */
function measureFiles(name: string, dist: string, files: readonly string[]): BundleSize {
  const measured = files.map((file) => measureFile(name, file));
  return {
    name,
    file: join(dist, '*.js'),
    bytes: measured.reduce((sum, size) => sum + size.bytes, 0),
    gzipBytes: measured.reduce((sum, size) => sum + size.gzipBytes, 0),
  };
}

export function measureFile(name: string, file: string): BundleSize {
  const contents = readFileSync(file);
  return { name, file, bytes: contents.byteLength, gzipBytes: gzipSync(contents).byteLength };
}
