import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';

import { startService, type RunningService } from '../src/service.js';
import { EXAMPLE_DIR } from '../src/storage.js';
import { ServiceClient } from '../scripts/service-client.js';

/** A key prefix and a persist folder that no other test uses. */
export interface TestIsolation {
  keyPrefix: string;
  persistDir: string;
  /** Deletes the persist folder. */
  dispose(): Promise<void>;
}

/** Returns a fresh key prefix and persist folder, so tests never read each other's data. */
export function createTestIsolation(): TestIsolation {
  const id = randomUUID().slice(0, 8);
  const persistDir = path.join(EXAMPLE_DIR, '.cfkv', `test-${id}`);

  return {
    keyPrefix: `test-${id}:`,
    persistDir,
    dispose: () => rm(persistDir, { recursive: true, force: true }),
  };
}

/** A service started for a test, with a client for its routes. */
export interface TestService {
  client: ServiceClient;
  service: RunningService;
}

/** Starts the service on a free port over the isolation's folder and key prefix. */
export async function startTestService(isolation: TestIsolation): Promise<TestService> {
  const service = await startService({
    port: 0,
    storage: { persistDir: isolation.persistDir, keyPrefix: isolation.keyPrefix, log: () => {} },
  });
  return { client: new ServiceClient(service.url), service };
}
