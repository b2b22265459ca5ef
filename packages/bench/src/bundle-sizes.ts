import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A string only the REST client contains: the bulk endpoint path of Cloudflare's KV API. */
export const REST_CLIENT_MARKER = '/bulk/get';

export interface BundleSize {
  name: string;
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface BundleReport {
  worker: BundleSize | undefined;
  /** True when the bindings-mode Worker bundle contains the REST client. */
  workerHasRestClient: boolean | undefined;
  packages: BundleSize[];
  /** Why the Worker bundle could not be measured. */
  workerError?: string;
}

/**
 * Measures the Worker example bundle (wrangler's dry-run output, built first when its dist is
 * missing) and the ESM build of each package.
 */
export function measureBundles(repositoryRoot: string): BundleReport {
  const packages = measurePackages(join(repositoryRoot, 'packages'));
  const workerFolder = join(repositoryRoot, 'examples', 'worker');
  const workerFile = join(workerFolder, 'dist', 'index.js');
  try {
    if (!existsSync(workerFile)) buildWorker(workerFolder);
    const worker = measureFile('@cfkv/example-worker', workerFile);
    const workerHasRestClient = readFileSync(workerFile, 'utf8').includes(REST_CLIENT_MARKER);
    return { worker, workerHasRestClient, packages };
  } catch (error) {
    const workerError = error instanceof Error ? error.message : String(error);
    return { worker: undefined, workerHasRestClient: undefined, packages, workerError };
  }
}

function buildWorker(workerFolder: string): void {
  execFileSync('pnpm', ['run', 'build'], { cwd: workerFolder, stdio: 'ignore' });
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

function measureFile(name: string, file: string): BundleSize {
  const contents = readFileSync(file);
  return { name, file, bytes: statSync(file).size, gzipBytes: gzipSync(contents).byteLength };
}
