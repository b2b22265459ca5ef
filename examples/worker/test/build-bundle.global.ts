import type { TestProject } from 'vitest/node';

import { buildWorkerBundle, type WorkerBundle } from '../scripts/worker-runner.js';

declare module 'vitest' {
  export interface ProvidedContext {
    workerBundle: WorkerBundle;
  }
}

export default async function buildBundle(project: TestProject): Promise<void> {
  project.provide('workerBundle', await buildWorkerBundle());
}
