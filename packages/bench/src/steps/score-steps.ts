import type { SaveScorePayload } from '@mastra/core/evals';
import { requireDomain, type WorkloadStep } from '../workload-step.js';
import { FIXED_SIZES } from '../workload-sizes.js';

const SCORE_RUNS = 2;

export const saveScores: WorkloadStep = {
  name: 'save-scores',
  summary: `saveScore of every score, spread over ${SCORE_RUNS} runs, one call each`,
  domain: 'scores',
  async run(state) {
    const scores = requireDomain(state, 'scores');
    for (let index = 0; index < state.sizes.scores; index += 1) {
      await scores.saveScore(buildScore(`score-run-${index % SCORE_RUNS}`, index));
    }
    return { scores: state.sizes.scores };
  },
};

export const listScores: WorkloadStep = {
  name: 'list-scores',
  summary: `listScoresByRunId of one run, page 0 of ${FIXED_SIZES.listPerPage}`,
  domain: 'scores',
  requires: 'save-scores',
  async run(state) {
    const scores = requireDomain(state, 'scores');
    const result = await scores.listScoresByRunId({
      runId: state.scoreRunId,
      pagination: { page: 0, perPage: FIXED_SIZES.listPerPage },
    });
    const expected = Math.min(FIXED_SIZES.listPerPage, Math.ceil(state.sizes.scores / SCORE_RUNS));
    if (result.scores.length !== expected) {
      throw new Error(
        `listScoresByRunId returned ${result.scores.length} scores; expected ${expected}.`,
      );
    }
    return { P: FIXED_SIZES.listPerPage };
  },
};

function buildScore(runId: string, index: number): SaveScorePayload {
  return {
    scorerId: 'bench-scorer',
    entityId: 'bench-agent',
    entityType: 'AGENT',
    runId,
    output: { text: `Output ${index}` },
    score: (index % 10) / 10,
    scorer: { id: 'bench-scorer', name: 'Bench scorer' },
    source: 'TEST',
    entity: { id: 'bench-agent' },
  } as SaveScorePayload;
}
