import type {
  MastraCompositeStore,
  MemoryStorage,
  ObservabilityStorage,
  ScoresStorage,
  WorkflowsStorage,
} from '@mastra/core/storage';
import type { WorkloadSizes } from './workload-sizes.js';

/** The storage domains the workload uses; a missing one makes its steps "not supported". */
export interface WorkloadDomains {
  memory: MemoryStorage | undefined;
  workflows: WorkflowsStorage | undefined;
  scores: ScoresStorage | undefined;
  observability: ObservabilityStorage | undefined;
}

export type DomainName = keyof WorkloadDomains;

/** Ids and data the steps share, filled in as earlier steps create records. */
export interface WorkloadState {
  sizes: WorkloadSizes;
  domains: WorkloadDomains;
  resourceIds: string[];
  threadIdsByResource: Map<string, string[]>;
  longThreadId: string;
  /** Message ids of the long thread, oldest first. */
  longThreadMessageIds: string[];
  equalTimestampThreadId: string;
  workflowName: string;
  runIds: string[];
  scoreRunId: string;
  traceIds: string[];
  /** Milliseconds of the next generated timestamp; each call of `nextDate` advances it. */
  clockMs: number;
}

const START_MS = Date.UTC(2026, 0, 1);

export async function openWorkloadDomains(storage: MastraCompositeStore): Promise<WorkloadDomains> {
  return {
    memory: await storage.getStore('memory'),
    workflows: await storage.getStore('workflows'),
    scores: await storage.getStore('scores'),
    observability: await storage.getStore('observability'),
  };
}

export function createWorkloadState(sizes: WorkloadSizes, domains: WorkloadDomains): WorkloadState {
  return {
    sizes,
    domains,
    resourceIds: [],
    threadIdsByResource: new Map(),
    longThreadId: 'thread-long',
    longThreadMessageIds: [],
    equalTimestampThreadId: 'thread-equal-timestamps',
    workflowName: 'bench-workflow',
    runIds: [],
    scoreRunId: 'score-run-0',
    traceIds: [],
    clockMs: START_MS,
  };
}

/** Returns a timestamp one second after the previous one, so record order is known. */
export function nextDate(state: WorkloadState): Date {
  state.clockMs += 1000;
  return new Date(state.clockMs);
}
