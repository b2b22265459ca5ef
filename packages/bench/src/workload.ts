import {
  deleteMessages,
  deleteThread,
  updateMessage,
  updateThread,
} from './steps/memory-change-steps.js';
import {
  includeContext,
  lastMessagesStep,
  threadsAllPages,
  threadsFirstPage,
} from './steps/memory-read-steps.js';
import { equalTimestamps, growThread, saveBatch, seedThreads } from './steps/memory-write-steps.js';
import { saveScores, listScores } from './steps/score-steps.js';
import { getTrace, listTraces, saveTraces } from './steps/trace-steps.js';
import { getRun, listRuns, loadSnapshot, persistSnapshots } from './steps/workflow-steps.js';
import { FIXED_SIZES } from './workload-sizes.js';
import type { WorkloadStep } from './workload-step.js';

/** Every step in the order it runs; later steps read what earlier ones wrote. */
export const WORKLOAD: readonly WorkloadStep[] = [
  seedThreads,
  growThread,
  saveBatch,
  equalTimestamps,
  ...FIXED_SIZES.lastN.map(lastMessagesStep),
  includeContext,
  threadsFirstPage,
  threadsAllPages,
  updateMessage,
  updateThread,
  deleteMessages,
  deleteThread,
  persistSnapshots,
  loadSnapshot,
  listRuns,
  getRun,
  saveScores,
  listScores,
  saveTraces,
  getTrace,
  listTraces,
];
