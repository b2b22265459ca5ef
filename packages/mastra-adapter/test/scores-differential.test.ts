import { createMiniflareKv, randomPrefix, type MiniflareKv } from '@cfkv/testing';
import type { ListScoresResponse, SaveScorePayload, ScoreRowData } from '@mastra/core/evals';
import {
  calculatePagination,
  InMemoryStore,
  normalizePerPage,
  type ListScoresByEntityIdInput,
  type ListScoresByRunIdInput,
  type ListScoresByScorerIdInput,
  type ListScoresBySpanInput,
  type ScoresStorage,
  type StoragePagination,
} from '@mastra/core/storage';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloudflareStore, STORE_TABLES } from '../src/index.js';
import { at } from './contract/store-fixture.js';
import { makeScore } from './contract/scores-contract.js';
import { createRandom, type Random } from './differential/random-operations.js';

const SEEDS = [1, 2, 3, 4];
const OPERATIONS_PER_SEED = 120;
const UPSERT_IDS = ['u1', 'u2', 'u:3', 'ü4'];

type ScoreOperation =
  | { kind: 'saveScore'; payload: SaveScorePayload }
  | { kind: 'getScoreById'; id: string }
  | { kind: 'listScoresByScorerId'; input: ListScoresByScorerIdInput }
  | { kind: 'listScoresByRunId'; input: ListScoresByRunIdInput }
  | { kind: 'listScoresByEntityId'; input: ListScoresByEntityIdInput }
  | { kind: 'listScoresBySpan'; input: ListScoresBySpanInput };

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

describe('binding: scores match InMemoryStore', () => {
  let kv: MiniflareKv;
  beforeAll(async () => {
    kv = await createMiniflareKv(STORE_TABLES);
  });
  afterAll(async () => {
    await kv.dispose();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function openPair(): Promise<{ oracle: ScoresStorage; subject: ScoresStorage }> {
    const oracle = (await new InMemoryStore().getStore('scores'))!;
    const store = new CloudflareStore({ bindings: kv.namespaces, keyPrefix: randomPrefix('diff') });
    return { oracle, subject: store.stores.scores };
  }

  for (const seed of SEEDS) {
    it(`random sequence: seed ${seed} gives equal results`, async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      let now = Date.UTC(2026, 0, 1);
      const random = createRandom(seed);
      const pair = await openPair();

      for (let step = 0; step < OPERATIONS_PER_SEED; step += 1) {
        now += 1 + random.integer(3);
        vi.setSystemTime(now);
        const operation = randomOperation(random, step);
        const expected = await expectedOutcome(pair.oracle, operation);
        const actual = await runOperation(pair.subject, operation);
        expect(actual, `seed ${seed} step ${step}: ${JSON.stringify(operation)}`).toEqual(expected);
      }
    });
  }

  it('differential: the comparison catches a wrong order', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 0, 1));
    const pair = await openPair();
    for (const [position, id] of ['a', 'b', 'c'].entries()) {
      const payload = { ...makeScore({ id }), createdAt: at(position) } as SaveScorePayload;
      await pair.oracle.saveScore(payload);
      await pair.subject.saveScore(payload);
    }
    const input = { scorerId: 'scorer-1', pagination: { page: 0, perPage: false as const } };

    const oracle = await pair.oracle.listScoresByScorerId(input);
    const subject = await pair.subject.listScoresByScorerId(input);

    expect(subject).toEqual(oracle);
    expect(subject).not.toEqual({ ...oracle, scores: oracle.scores.slice().reverse() });
  });
});

function randomOperation(random: Random, step: number): ScoreOperation {
  const roll = random.next();
  if (roll < 0.45) return { kind: 'saveScore', payload: randomScore(random, step) };
  if (roll < 0.5) {
    return { kind: 'getScoreById', id: random.pick([...UPSERT_IDS, `n${step - 1}`, 'missing']) };
  }

  const pagination = randomPagination(random);
  const filters = random.chance(0.3) ? randomTenancy(random) : undefined;
  if (roll < 0.65) {
    const input: ListScoresByScorerIdInput = { scorerId: randomScorerId(random), pagination };
    if (random.chance(0.3)) input.entityId = random.pick(['e1', 'e:2']);
    if (random.chance(0.3)) input.entityType = random.pick(['AGENT', 'WORKFLOW']);
    if (random.chance(0.3)) input.source = random.pick(['LIVE', 'TEST'] as const);
    if (filters) input.filters = filters;
    return { kind: 'listScoresByScorerId', input };
  }
  if (roll < 0.75) {
    return {
      kind: 'listScoresByRunId',
      input: { runId: randomRunId(random), pagination, filters },
    };
  }
  if (roll < 0.87) {
    const entityId = random.pick(['e1', 'e:2']);
    const entityType = random.pick(['AGENT', 'WORKFLOW']);
    return { kind: 'listScoresByEntityId', input: { entityId, entityType, pagination, filters } };
  }
  const span = { traceId: random.pick(['t1', 't:2']), spanId: random.pick(['s1', 's2']) };
  return { kind: 'listScoresBySpan', input: { ...span, pagination, filters } };
}

function randomScore(random: Random, step: number): SaveScorePayload {
  const payload: Record<string, unknown> = {
    ...makeScore({
      id: random.chance(0.3) ? random.pick(UPSERT_IDS) : `n${step}`,
      scorerId: randomScorerId(random),
      runId: randomRunId(random),
      entityId: random.pick(['e1', 'e:2']),
      entityType: random.pick(['AGENT', 'WORKFLOW', undefined]),
      source: random.pick(['LIVE', 'TEST'] as const),
      score: random.integer(100) / 10,
    }),
  };
  if (random.chance(0.6)) {
    payload.traceId = random.pick(['t1', 't:2']);
    payload.spanId = random.pick(['s1', 's2']);
  }
  if (random.chance(0.5)) payload.organizationId = random.pick([null, 'o1', 'o2']);
  if (random.chance(0.3)) payload.projectId = random.pick(['p1', 'p2']);
  // A few fixed createdAt values make equal timestamps, whose order must be kept too.
  if (random.chance(0.5)) payload.createdAt = at(random.integer(8));
  return payload as SaveScorePayload;
}

function randomScorerId(random: Random): string {
  return random.pick(['sc-a', 'sc-b', 'sc:c']);
}

function randomRunId(random: Random): string {
  return random.pick(['run-1', 'run/2']);
}

function randomPagination(random: Random): StoragePagination {
  const perPage = random.pick([false, 0, 1, 2, 3, 5, undefined] as const);
  return { page: random.integer(4), perPage } as StoragePagination;
}

function randomTenancy(random: Random) {
  const filters: { organizationId?: string; projectId?: string } = {};
  if (random.chance(0.7)) filters.organizationId = random.pick(['o1', 'o2']);
  if (random.chance(0.5)) filters.projectId = random.pick(['p1', 'p2']);
  return filters;
}

async function runOperation(scores: ScoresStorage, operation: ScoreOperation): Promise<Outcome> {
  try {
    return { ok: true, value: await callStore(scores, operation) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function callStore(scores: ScoresStorage, operation: ScoreOperation): Promise<unknown> {
  switch (operation.kind) {
    case 'saveScore':
      return scores.saveScore(structuredClone(operation.payload));
    case 'getScoreById':
      return scores.getScoreById({ id: operation.id });
    case 'listScoresByScorerId':
      return scores.listScoresByScorerId(structuredClone(operation.input));
    case 'listScoresByRunId':
      return scores.listScoresByRunId(structuredClone(operation.input));
    case 'listScoresByEntityId':
      return scores.listScoresByEntityId(structuredClone(operation.input));
    case 'listScoresBySpan':
      return scores.listScoresBySpan(structuredClone(operation.input));
  }
}

/**
 * Computes the expected outcome from the oracle. Mastra's in-memory store returns scores of a
 * run or an entity in save order, while it sorts its other score lists newest first, and so
 * does Mastra's own Cloudflare KV store for all four. Those two lists are therefore read
 * whole from the oracle, sorted newest first (stable, as the oracle sorts the other lists) and
 * paginated here with Mastra's own helpers.
 */
async function expectedOutcome(oracle: ScoresStorage, operation: ScoreOperation): Promise<Outcome> {
  if (operation.kind !== 'listScoresByRunId' && operation.kind !== 'listScoresByEntityId') {
    return runOperation(oracle, operation);
  }

  const whole = {
    ...operation,
    input: { ...operation.input, pagination: { page: 0, perPage: false } },
  };
  const outcome = await runOperation(oracle, whole as ScoreOperation);
  if (!outcome.ok) return outcome;
  const scores = (outcome.value as ListScoresResponse).scores.slice().sort(newestFirst);
  return { ok: true, value: paginateLikeMastra(scores, operation.input.pagination) };
}

function newestFirst(left: ScoreRowData, right: ScoreRowData): number {
  return new Date(right.createdAt).getTime() - new Date(left.createdAt).getTime();
}

function paginateLikeMastra(
  scores: ScoreRowData[],
  pagination: StoragePagination,
): ListScoresResponse {
  const { page, perPage: perPageInput } = pagination;
  const perPage = normalizePerPage(perPageInput, Number.MAX_SAFE_INTEGER);
  const { offset, perPage: perPageForResponse } = calculatePagination(page, perPageInput, perPage);
  const end = perPageInput === false ? scores.length : offset + perPage;
  return {
    scores: scores.slice(offset, end),
    pagination: {
      total: scores.length,
      page,
      perPage: perPageForResponse,
      hasMore: perPageInput === false ? false : scores.length > end,
    },
  };
}
