import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Creates the persist folder and its `kv` subfolder and writes a probe file into each. Miniflare
 * does not report a KV folder it cannot create: its reconfiguration waits forever instead, so
 * the folder is checked before the server starts.
 */
export async function assertWritableFolder(folder: string, kvFolder: string): Promise<void> {
  for (const path of [folder, kvFolder]) {
    const probe = join(path, `.cfkv-write-check-${process.pid}`);
    try {
      await createFolder(path);
      await writeFile(probe, '');
      await rm(probe);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new Error(
        `The persist folder ${path} is not writable (${reason}); choose a folder this user ` +
          'can write, or keep the data in memory.',
        { cause: error },
      );
    }
  }
}

/**
 * Creates `path` and its missing parents one level at a time. Node 22.23's
 * `mkdir(path, { recursive: true })` never settles for a path such as `/proc/forbidden`, where
 * the parent exists but refuses new entries with ENOENT.
 */
async function createFolder(path: string): Promise<void> {
  try {
    await mkdir(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path) throw error;
    await createFolder(parent);
    await mkdir(path);
  }
}
