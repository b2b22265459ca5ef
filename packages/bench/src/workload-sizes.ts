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
 * At scale 16 the long thread contains 2,400 messages, more than two list pages of 1000 keys,
 * and each resource 160 threads (16 pages). Seeding dominates the run time, so the sizes stay small
 * enough for the default run (scales 1, 4 and 16 on both transports) to finish in minutes.
 */
export const DEFAULT_BASE: WorkloadBase = {
  resources: 3,
  threadsPerResource: 10,
  longThreadMessages: 150,
  growBatchSize: 100,
  workflowRuns: 10,
  scores: 20,
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
  /** Threads per page of listThreads; the smallest resource fills one page. */
  threadsPerPage: 10,
  /** Messages on each side of an included message. */
  includeContext: 5,
  /** Messages deleted by the delete step. */
  deletedMessages: 5,
  /**
   * Runs, scores of one run and traces per listed page. At scale 1 each fills one page, so the
   * page read at every scale is the same size.
   */
  listPerPage: 10,
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
