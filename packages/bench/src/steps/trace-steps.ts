import type { CreateSpanRecord } from '@mastra/core/storage';
import { requireDomain, type WorkloadStep } from '../workload-step.js';
import { FIXED_SIZES } from '../workload-sizes.js';
import { nextDate, type WorkloadState } from '../workload-state.js';

const ROOT_SPAN_TYPE = 'agent_run' as CreateSpanRecord['spanType'];
const CHILD_SPAN_TYPE = 'tool_call' as CreateSpanRecord['spanType'];

export const saveTraces: WorkloadStep = {
  name: 'save-traces',
  summary: `batchCreateSpans of one trace of ${FIXED_SIZES.spansPerTrace} spans per call`,
  domain: 'observability',
  async run(state) {
    const observability = requireDomain(state, 'observability');
    for (let trace = 0; trace < state.sizes.traces; trace += 1) {
      const traceId = `trace-${String(trace).padStart(6, '0')}`;
      await observability.batchCreateSpans({ records: buildTrace(state, traceId) });
      state.traceIds.push(traceId);
    }
    return { traces: state.traceIds.length };
  },
};

export const getTrace: WorkloadStep = {
  name: 'get-trace',
  summary: 'getTrace of one trace with its spans',
  domain: 'observability',
  requires: 'save-traces',
  async run(state) {
    const observability = requireDomain(state, 'observability');
    const traceId = state.traceIds[Math.floor(state.traceIds.length / 2)]!;
    const trace = await observability.getTrace({ traceId });
    if (trace?.spans.length !== FIXED_SIZES.spansPerTrace) {
      throw new Error(
        `getTrace did not return the ${FIXED_SIZES.spansPerTrace} spans of ${traceId}.`,
      );
    }
    return { spans: FIXED_SIZES.spansPerTrace };
  },
};

export const listTraces: WorkloadStep = {
  name: 'list-traces',
  summary: `listTraces, page 0 of ${FIXED_SIZES.listPerPage}`,
  domain: 'observability',
  requires: 'save-traces',
  async run(state) {
    const observability = requireDomain(state, 'observability');
    const result = await observability.listTraces({
      pagination: { page: 0, perPage: FIXED_SIZES.listPerPage },
    });
    const expected = Math.min(FIXED_SIZES.listPerPage, state.traceIds.length);
    if (result.spans.length !== expected) {
      throw new Error(`listTraces returned ${result.spans.length} traces; expected ${expected}.`);
    }
    return { P: FIXED_SIZES.listPerPage };
  },
};

function buildTrace(state: WorkloadState, traceId: string): CreateSpanRecord[] {
  const startedAt = nextDate(state);
  const endedAt = new Date(startedAt.getTime() + 500);
  const root = buildSpan(traceId, 'span-0', null, ROOT_SPAN_TYPE, startedAt, endedAt);
  const children = Array.from({ length: FIXED_SIZES.spansPerTrace - 1 }, (_, index) =>
    buildSpan(traceId, `span-${index + 1}`, 'span-0', CHILD_SPAN_TYPE, startedAt, endedAt),
  );
  return [root, ...children];
}

function buildSpan(
  traceId: string,
  spanId: string,
  parentSpanId: string | null,
  spanType: CreateSpanRecord['spanType'],
  startedAt: Date,
  endedAt: Date,
): CreateSpanRecord {
  return {
    traceId,
    spanId,
    parentSpanId,
    name: `${spanType} ${spanId}`,
    spanType,
    isEvent: false,
    startedAt,
    endedAt,
    entityType: null,
    entityId: 'bench-agent',
    attributes: {},
    metadata: {},
  };
}
