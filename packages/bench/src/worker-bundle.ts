import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The Worker example as wrangler would upload it. */
export interface WorkerBundle {
  name: string;
  /** The main module wrangler wrote, in a temporary folder removed after measuring. */
  file: string;
  bytes: number;
  /** The main module gzipped with node:zlib. */
  gzipBytes: number;
  /** Wrangler's "Total Upload" line: every module of the upload, in KiB. */
  wranglerUploadKiB: number | undefined;
  wranglerGzipKiB: number | undefined;
}

const UPLOAD_LINE = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/;

/**
 * Bundles the Worker in `workerFolder` with `wrangler deploy --dry-run --outdir`, which builds
 * offline and uploads nothing, and returns the main module with its sizes.
 */
export function buildWorkerBundle(workerFolder: string): { size: WorkerBundle; contents: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'cfkv-bench-worker-'));
  try {
    const output = execFileSync(
      'pnpm',
      ['exec', 'wrangler', 'deploy', '--dry-run', '--outdir', outdir],
      {
        cwd: workerFolder,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          WRANGLER_SEND_METRICS: 'false',
          CLOUDFLARE_CF_FETCH_ENABLED: 'false',
        },
      },
    );
    const mainModule = findMainModule(outdir);
    const contents = readFileSync(mainModule);
    const upload = UPLOAD_LINE.exec(output);
    const size: WorkerBundle = {
      name: readPackageName(workerFolder),
      file: basename(mainModule),
      bytes: contents.byteLength,
      gzipBytes: gzipSync(contents).byteLength,
      wranglerUploadKiB: upload ? Number(upload[1]) : undefined,
      wranglerGzipKiB: upload ? Number(upload[2]) : undefined,
    };
    return { size, contents: contents.toString('utf8') };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function findMainModule(outdir: string): string {
  const modules = readdirSync(outdir).filter((file) => file.endsWith('.js'));
  if (modules.length !== 1) {
    throw new Error(
      `wrangler's dry run wrote ${modules.length} JavaScript modules to ${outdir}; expected 1.`,
    );
  }
  return join(outdir, modules[0]!);
}

function readPackageName(folder: string): string {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  return String(manifest.name);
}
