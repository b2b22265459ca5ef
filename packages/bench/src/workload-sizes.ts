/** Data sizes of the workload at scale 1; `--scale` multiplies the sizes marked as scaled. */
export interface WorkloadBase {
  resources: number;
  /** Scaled. */
  threadsPerResource: number;
  /** Scaled: the long thread holds this many messages before the measured reads. */
  longThreadMessages: number;
  /** Messages per saveMessages call while the long thread grows. */
  growBatchSize: number;
  /** Scaled. */
  workflowRuns: number;
  /** Scaled. */
  scores: number;
  /** Scaled. */
  traces: number;
}

/**
 * At scale 16 the long thread holds 2,400 messages and each resource 160 threads (8 pages),
 * which keeps the default run (scales 1, 4, 16 on both transports) near 3 minutes on two cores.
 */
export const DEFAULT_BASE: WorkloadBase = {
  resources: 3,
  threadsPerResource: 10,
  longThreadMessages: 150,
  growBatchSize: 100,
  workflowRuns: 10,
  scores: 10,
  traces: 10,
};

/** Sizes that stay fixed at every scale: the reads that must cost the same at any data size. */
export const FIXED_SIZES = {
  /** Messages of one measured saveMessages call. */
  saveBatch: 100,
  /** Messages saved with one shared createdAt. */
  equalTimestampMessages: 20,
  /** "Last N" reads. */
  lastN: [10, 100] as const,
  /** Threads per page of listThreads. */
  threadsPerPage: 20,
  /** Messages on each side of an included message. */
  includeContext: 5,
  /** Messages deleted by the delete step. */
  deletedMessages: 5,
  /** Runs, scores and traces per listed page. */
  listPerPage: 20,
  spansPerTrace: 5,
} as const;

export interface WorkloadSizes extends WorkloadBase {
  scale: number;
}

export function sizesForScale(scale: number, base: WorkloadBase = DEFAULT_BASE): WorkloadSizes {
  return {
    scale,
    resources: base.resources,
    threadsPerResource: base.threadsPerResource * scale,
    longThreadMessages: base.longThreadMessages * scale,
    growBatchSize: base.growBatchSize,
    workflowRuns: base.workflowRuns * scale,
    scores: base.scores * scale,
    traces: base.traces * scale,
  };
}
