import { isCfkvError, KeySchema, type CfkvErrorCode } from '@cfkv/core';
import type { SaveScorePayload } from '@mastra/core/evals';
import { MastraError } from '@mastra/core/error';
import { TABLE_SCORERS, type StoragePagination } from '@mastra/core/storage';
import { describe, expect, it } from 'vitest';
import type { CloudflareStore } from '../../src/index.js';
import { at, ids, openStore, type CreateStore, type StoreFixture } from './store-fixture.js';
import { useStoreFixture } from './use-fixture.js';

const ALL: StoragePagination = { page: 0, perPage: false };

export function makeScore(overrides: Partial<SaveScorePayload> = {}): SaveScorePayload {
  return {
    scorerId: 'scorer-1',
    entityId: 'agent-1',
    entityType: 'AGENT',
    runId: 'run-1',
    score: 0.5,
    scorer: { id: 'scorer-1', name: 'Relevance' },
    entity: { id: 'agent-1', name: 'Helper' },
    source: 'LIVE',
    input: [{ role: 'user', content: 'question' }],
    output: { text: 'answer' },
    ...overrides,
  };
}

/** Builds a payload with a createdAt, which Mastra's in-memory store honours next to the schema. */
export function scoreAt(offsetMs: number, overrides: Partial<SaveScorePayload> = {}) {
  return { ...makeScore(overrides), createdAt: at(offsetMs) } as SaveScorePayload;
}

function scoresOf(store: CloudflareStore) {
  return store.stores.scores;
}

async function keysOf(fixture: StoreFixture, keyPrefix: string): Promise<string[]> {
  const keys = await fixture.rawKeys();
  const tablePrefix = new KeySchema(keyPrefix).prefix(TABLE_SCORERS);
  return keys.filter((key) => key.startsWith(tablePrefix)).sort();
}

/** Expects a USER MastraError caused by a CfkvError with `code`, naming `field` when given. */
async function expectUserError(
  call: Promise<unknown>,
  code: CfkvErrorCode,
  field?: string,
  label = 'the call',
): Promise<MastraError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `${label} resolved`).toBeInstanceOf(MastraError);
  const mastraError = error as MastraError;
  expect(mastraError.category, label).toBe('USER');
  expect(isCfkvError(mastraError.cause, code), `${label}: ${String(mastraError.cause)}`).toBe(true);
  if (field !== undefined) expect(mastraError.details, label).toMatchObject({ field });
  return mastraError;
}

/**
 * Describes the scores contract of CloudflareStore, written once and run over every transport: each
 * transport's test file passes a `createStore` that opens a store over fresh namespaces.
 */
export function describeScoresContract(name: string, createStore: CreateStore): void {
  describeScoreRecords(name, createStore);
  describeScoreLists(name, createStore);
  describeScoreInput(name, createStore);
}

function describeScoreRecords(name: string, createStore: CreateStore): void {
  describe(`${name}: score records`, () => {
    const fixture = useStoreFixture(createStore);

    it('saveScore: returns the score with id and dates', async () => {
      const scores = scoresOf(fixture().store);

      const { score } = await scores.saveScore(makeScore({ metadata: { tag: 'a' } }));

      expect(score.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(score.createdAt).toBeInstanceOf(Date);
      expect(score.updatedAt).toBeInstanceOf(Date);
      expect(score).toMatchObject({ scorerId: 'scorer-1', score: 0.5, metadata: { tag: 'a' } });
      expect(await scores.getScoreById({ id: score.id })).toEqual(score);
    });

    it('saveScore: round-trips every kind of field', async () => {
      const scores = scoresOf(fixture().store);
      const payload = makeScore({
        id: 'full',
        score: -1.25,
        reason: 'because',
        structuredOutput: true,
        traceId: 'trace',
        spanId: 'span',
        resourceId: 'resource',
        threadId: 'thread',
        organizationId: null,
        projectId: 'project',
        additionalContext: { nested: { list: [1, 'two', null] } },
        requestContext: { user: 'u' },
        analyzeStepResult: { a: 1 },
        preprocessStepResult: { p: true },
      });

      const { score } = await scores.saveScore(payload);
      const read = await scores.getScoreById({ id: 'full' });

      expect(read).toEqual(score);
      expect(read).toMatchObject({ ...payload, organizationId: null });
    });

    it('saveScore: drops fields the score schema does not know', async () => {
      const scores = scoresOf(fixture().store);
      const payload = { ...makeScore({ id: 'extra' }), notAScoreField: 'x' } as SaveScorePayload;

      const { score } = await scores.saveScore(payload);

      expect(score).not.toHaveProperty('notAScoreField');
      expect(await scores.getScoreById({ id: 'extra' })).not.toHaveProperty('notAScoreField');
    });

    it('saveScore: upserts by a caller id and keeps createdAt', async () => {
      const scores = scoresOf(fixture().store);
      const first = await scores.saveScore(scoreAt(1, { id: 'same', score: 0.1 }));

      const second = await scores.saveScore(scoreAt(99, { id: 'same', score: 0.9 }));

      expect(second.score.id).toBe('same');
      expect(second.score.score).toBe(0.9);
      expect(second.score.createdAt.getTime()).toBe(first.score.createdAt.getTime());
      expect(second.score.createdAt.getTime()).toBe(at(1).getTime());
      const listed = await scores.listScoresByScorerId({ scorerId: 'scorer-1', pagination: ALL });
      expect(listed.pagination.total).toBe(1);
      expect(listed.scores[0]?.score).toBe(0.9);
    });

    it('saveScore: an upsert moves the score between owners', async () => {
      const scores = scoresOf(fixture().store);
      await scores.saveScore(makeScore({ id: 'moving', traceId: 't', spanId: 's' }));
      const keysBefore = await keysOf(fixture(), fixture().store.keyPrefix);

      await scores.saveScore(
        makeScore({ id: 'moving', scorerId: 'scorer-2', runId: 'run-2', entityId: 'agent-2' }),
      );

      const byOldScorer = await scores.listScoresByScorerId({
        scorerId: 'scorer-1',
        pagination: ALL,
      });
      const byNewScorer = await scores.listScoresByScorerId({
        scorerId: 'scorer-2',
        pagination: ALL,
      });
      const byOldRun = await scores.listScoresByRunId({ runId: 'run-1', pagination: ALL });
      const byOldSpan = await scores.listScoresBySpan({
        traceId: 't',
        spanId: 's',
        pagination: ALL,
      });
      const byOldEntity = await scores.listScoresByEntityId({
        entityId: 'agent-1',
        entityType: 'AGENT',
        pagination: ALL,
      });
      expect(byOldScorer.pagination.total).toBe(0);
      expect(ids(byNewScorer.scores)).toEqual(['moving']);
      expect(byOldRun.pagination.total).toBe(0);
      expect(byOldSpan.pagination.total).toBe(0);
      expect(byOldEntity.pagination.total).toBe(0);
      // One record and the scorer, run and entity entries; the span entry is gone.
      const keysAfter = await keysOf(fixture(), fixture().store.keyPrefix);
      expect(keysBefore).toHaveLength(5);
      expect(keysAfter).toHaveLength(4);
    });

    it('getScoreById: returns null for a missing score', async () => {
      const scores = scoresOf(fixture().store);

      expect(await scores.getScoreById({ id: 'missing' })).toBeNull();
    });

    it('getScoreById: keeps ids with separators and unicode apart', async () => {
      const scores = scoresOf(fixture().store);
      const idsToSave = ['a:b', 'a', 'a%3Ab', 'a/b', '..', 'ü日本:%', 'a b?#'];
      for (const [position, id] of idsToSave.entries()) {
        await scores.saveScore(makeScore({ id, score: position }));
      }

      for (const [position, id] of idsToSave.entries()) {
        const read = await scores.getScoreById({ id });
        expect(read?.id).toBe(id);
        expect(read?.score).toBe(position);
      }
      expect(await scores.getScoreById({ id: 'a:' })).toBeNull();
    });

    it('dangerouslyClearAll: removes records and index entries of one prefix', async () => {
      const { store } = fixture();
      const other = openStore(fixture(), { keyPrefix: `${store.keyPrefix}other` }).store;
      await scoresOf(store).saveScore(makeScore({ id: 'mine', traceId: 't', spanId: 's' }));
      await scoresOf(other).saveScore(makeScore({ id: 'theirs' }));

      await scoresOf(store).dangerouslyClearAll();

      expect(await keysOf(fixture(), store.keyPrefix)).toEqual([]);
      expect(await scoresOf(store).getScoreById({ id: 'mine' })).toBeNull();
      const theirs = await scoresOf(other).listScoresByScorerId({
        scorerId: 'scorer-1',
        pagination: ALL,
      });
      expect(ids(theirs.scores)).toEqual(['theirs']);
      expect(await keysOf(fixture(), other.keyPrefix)).toHaveLength(4);
    });

    it('CloudflareStore.dangerouslyClearAll: clears scores too', async () => {
      const { store } = fixture();
      await scoresOf(store).saveScore(makeScore({ id: 'mine' }));

      await store.dangerouslyClearAll();

      expect(await keysOf(fixture(), store.keyPrefix)).toEqual([]);
    });

    it('saveScore: a new score costs one putMany and no read', async () => {
      const { store, faults } = openStore(fixture(), { faults: {} });

      await scoresOf(store).saveScore(makeScore({ traceId: 't', spanId: 's' }));

      expect(faults.counters.calls).toBe(1);
      expect(faults.counters.byOperation.putMany).toBe(1);
      expect(faults.counters.keys).toBe(5);
    });

    it('saveScore: a transport failure is a SYSTEM error with a stable id', async () => {
      const failure = new Error('injected network failure');
      const { store } = openStore(fixture(), { faults: { failOn: () => failure } });

      const saving = scoresOf(store).saveScore(makeScore());

      await expect(saving).rejects.toBeInstanceOf(MastraError);
      await expect(saving).rejects.toMatchObject({
        id: 'CLOUDFLARE_KV_SAVE_SCORE_FAILED',
        category: 'SYSTEM',
        details: { scorerId: 'scorer-1', runId: 'run-1' },
      });
    });
  });
}

function describeScoreLists(name: string, createStore: CreateStore): void {
  describe(`${name}: score lists`, () => {
    const fixture = useStoreFixture(createStore);

    it('listScoresByScorerId: returns newest first, ties in save order', async () => {
      const scores = scoresOf(fixture().store);
      await scores.saveScore(scoreAt(10, { id: 'tie-1' }));
      await scores.saveScore(scoreAt(30, { id: 'newest' }));
      await scores.saveScore(scoreAt(10, { id: 'tie-2' }));
      await scores.saveScore(scoreAt(-5, { id: 'before-epoch-base' }));
      await scores.saveScore(scoreAt(10, { id: 'tie-3' }));

      const listed = await scores.listScoresByScorerId({ scorerId: 'scorer-1', pagination: ALL });

      expect(ids(listed.scores)).toEqual([
        'newest',
        'tie-1',
        'tie-2',
        'tie-3',
        'before-epoch-base',
      ]);
      expect(listed.scores[0]?.createdAt).toBeInstanceOf(Date);
    });

    it('listScoresByScorerId: paginates with total and hasMore', async () => {
      const scores = scoresOf(fixture().store);
      for (let index = 0; index < 5; index += 1) {
        await scores.saveScore(scoreAt(index, { id: `s${index}` }));
      }
      const pageOf = (page: number, perPage: number | false) =>
        scores.listScoresByScorerId({ scorerId: 'scorer-1', pagination: { page, perPage } });

      const first = await pageOf(0, 2);
      const second = await pageOf(1, 2);
      const last = await pageOf(2, 2);
      const beyond = await pageOf(3, 2);

      expect(ids(first.scores)).toEqual(['s4', 's3']);
      expect(first.pagination).toEqual({ total: 5, page: 0, perPage: 2, hasMore: true });
      expect(ids(second.scores)).toEqual(['s2', 's1']);
      expect(second.pagination.hasMore).toBe(true);
      expect(ids(last.scores)).toEqual(['s0']);
      expect(last.pagination).toEqual({ total: 5, page: 2, perPage: 2, hasMore: false });
      expect(beyond.scores).toEqual([]);
      expect(beyond.pagination).toEqual({ total: 5, page: 3, perPage: 2, hasMore: false });
    });

    it('listScoresByScorerId: an exact last page has no more', async () => {
      const scores = scoresOf(fixture().store);
      for (let index = 0; index < 4; index += 1) {
        await scores.saveScore(scoreAt(index, { id: `s${index}` }));
      }

      const last = await scores.listScoresByScorerId({
        scorerId: 'scorer-1',
        pagination: { page: 1, perPage: 2 },
      });

      expect(ids(last.scores)).toEqual(['s1', 's0']);
      expect(last.pagination.hasMore).toBe(false);
    });

    it('listScoresByScorerId: perPage false returns every score', async () => {
      const scores = scoresOf(fixture().store);
      for (let index = 0; index < 3; index += 1) {
        await scores.saveScore(scoreAt(index, { id: `s${index}` }));
      }

      const listed = await scores.listScoresByScorerId({
        scorerId: 'scorer-1',
        pagination: { page: 4, perPage: false },
      });

      expect(ids(listed.scores)).toEqual(['s2', 's1', 's0']);
      expect(listed.pagination).toEqual({ total: 3, page: 4, perPage: false, hasMore: false });
    });

    it('listScoresByScorerId: perPage 0 returns only the total', async () => {
      const scores = scoresOf(fixture().store);
      await scores.saveScore(scoreAt(1, { id: 's1' }));
      await scores.saveScore(scoreAt(2, { id: 's2' }));

      const listed = await scores.listScoresByScorerId({
        scorerId: 'scorer-1',
        pagination: { page: 0, perPage: 0 },
      });

      expect(listed.scores).toEqual([]);
      expect(listed.pagination).toEqual({ total: 2, page: 0, perPage: 0, hasMore: true });
    });

    it('listScoresByScorerId: an unknown scorer has no scores', async () => {
      const scores = scoresOf(fixture().store);
      await scores.saveScore(makeScore({ scorerId: 'scorer-10' }));

      const listed = await scores.listScoresByScorerId({
        scorerId: 'scorer-1',
        pagination: { page: 0, perPage: 10 },
      });

      expect(listed.scores).toEqual([]);
      expect(listed.pagination).toEqual({ total: 0, page: 0, perPage: 10, hasMore: false });
    });

    it('listScoresByScorerId: filters by entityId, entityType and source', async () => {
      const scores = scoresOf(fixture().store);
      await scores.saveScore(scoreAt(1, { id: 'agent-live' }));
      await scores.saveScore(scoreAt(2, { id: 'agent-test', source: 'TEST' }));
      await scores.saveScore(
        scoreAt(3, { id: 'workflow-live', entityId: 'wf-1', entityType: 'WORKFLOW' }),
      );
      await scores.saveScore(scoreAt(4, { id: 'other-agent', entityId: 'agent-2' }));
      await scores.saveScore(scoreAt(5, { id: 'no-type', entityType: undefined }));
      await scores.saveScore(scoreAt(6, { id: 'other-scorer', scorerId: 'scorer-2' }));
      const list = async (filters: Record<string, string>, perPage: number | false = false) =>
        scores.listScoresByScorerId({
          scorerId: 'scorer-1',
          pagination: { page: 0, perPage },
          ...filters,
        });

      expect(ids((await list({})).scores)).toEqual([
        'no-type',
        'other-agent',
        'workflow-live',
        'agent-test',
        'agent-live',
      ]);
      expect(ids((await list({ entityId: 'agent-1' })).scores)).toEqual([
        'no-type',
        'agent-test',
        'agent-live',
      ]);
      expect(ids((await list({ entityType: 'AGENT' })).scores)).toEqual([
        'other-agent',
        'agent-test',
        'agent-live',
      ]);
      expect(ids((await list({ source: 'TEST' })).scores)).toEqual(['agent-test']);
      expect(
        ids((await list({ entityId: 'agent-1', entityType: 'AGENT', source: 'LIVE' })).scores),
      ).toEqual(['agent-live']);
      expect(ids((await list({ entityId: 'wf-1', entityType: 'AGENT' })).scores)).toEqual([]);
      expect(ids((await list({ entityId: '', source: '' })).scores)).toHaveLength(5);

      const paged = await list({ entityId: 'agent-1' }, 2);
      expect(ids(paged.scores)).toEqual(['no-type', 'agent-test']);
      expect(paged.pagination).toEqual({ total: 3, page: 0, perPage: 2, hasMore: true });
    });

    it('list calls: filter by organizationId and projectId', async () => {
      const scores = scoresOf(fixture().store);
      const shared = { traceId: 't', spanId: 's' };
      await scores.saveScore(scoreAt(1, { id: 'org-a', organizationId: 'a', ...shared }));
      await scores.saveScore(
        scoreAt(2, { id: 'org-a-p', organizationId: 'a', projectId: 'p', ...shared }),
      );
      await scores.saveScore(scoreAt(3, { id: 'org-b', organizationId: 'b', ...shared }));
      await scores.saveScore(scoreAt(4, { id: 'org-null', organizationId: null, ...shared }));
      const filters = { organizationId: 'a' };
      const both = { organizationId: 'a', projectId: 'p' };

      const byScorer = await scores.listScoresByScorerId({
        scorerId: 'scorer-1',
        pagination: ALL,
        filters,
      });
      const byRun = await scores.listScoresByRunId({ runId: 'run-1', pagination: ALL, filters });
      const byEntity = await scores.listScoresByEntityId({
        entityId: 'agent-1',
        entityType: 'AGENT',
        pagination: ALL,
        filters: both,
      });
      const bySpan = await scores.listScoresBySpan({
        traceId: 't',
        spanId: 's',
        pagination: ALL,
        filters: { projectId: 'p' },
      });

      expect(ids(byScorer.scores)).toEqual(['org-a-p', 'org-a']);
      expect(ids(byRun.scores)).toEqual(['org-a-p', 'org-a']);
      expect(ids(byEntity.scores)).toEqual(['org-a-p']);
      expect(ids(bySpan.scores)).toEqual(['org-a-p']);
      expect(byScorer.pagination.total).toBe(2);
    });

    it('listScoresByRunId: lists one run newest first', async () => {
      const scores = scoresOf(fixture().store);
      await scores.saveScore(scoreAt(1, { id: 'r1-old', scorerId: 'a' }));
      await scores.saveScore(scoreAt(2, { id: 'r2', runId: 'run-2' }));
      await scores.saveScore(scoreAt(3, { id: 'r1-new', scorerId: 'b' }));

      const listed = await scores.listScoresByRunId({
        runId: 'run-1',
        pagination: { page: 0, perPage: 1 },
      });

      expect(ids(listed.scores)).toEqual(['r1-new']);
      expect(listed.pagination).toEqual({ total: 2, page: 0, perPage: 1, hasMore: true });
    });

    it('listScoresByEntityId: needs entity id and type to match', async () => {
      const scores = scoresOf(fixture().store);
      await scores.saveScore(scoreAt(1, { id: 'agent' }));
      await scores.saveScore(scoreAt(2, { id: 'same-id-workflow', entityType: 'WORKFLOW' }));
      await scores.saveScore(scoreAt(3, { id: 'untyped', entityType: undefined }));
      await scores.saveScore(scoreAt(4, { id: 'agent-newer', scorerId: 'other' }));

      const agent = await scores.listScoresByEntityId({
        entityId: 'agent-1',
        entityType: 'AGENT',
        pagination: ALL,
      });
      const workflow = await scores.listScoresByEntityId({
        entityId: 'agent-1',
        entityType: 'WORKFLOW',
        pagination: ALL,
      });

      expect(ids(agent.scores)).toEqual(['agent-newer', 'agent']);
      expect(ids(workflow.scores)).toEqual(['same-id-workflow']);
    });

    it('listScoresBySpan: needs trace and span to match', async () => {
      const scores = scoresOf(fixture().store);
      await scores.saveScore(scoreAt(1, { id: 'match', traceId: 't1', spanId: 's1' }));
      await scores.saveScore(scoreAt(2, { id: 'other-span', traceId: 't1', spanId: 's2' }));
      await scores.saveScore(scoreAt(3, { id: 'trace-only', traceId: 't1' }));
      await scores.saveScore(
        scoreAt(4, { id: 'match-2', traceId: 't1', spanId: 's1', scorerId: 'x' }),
      );

      const listed = await scores.listScoresBySpan({
        traceId: 't1',
        spanId: 's1',
        pagination: ALL,
      });

      expect(ids(listed.scores)).toEqual(['match-2', 'match']);
      expect(listed.pagination.total).toBe(2);
    });

    it('list calls: pairs of ids with separators never collide', async () => {
      const scores = scoresOf(fixture().store);
      await scores.saveScore(
        makeScore({ id: 'one', traceId: 'a:b', spanId: 'c', entityId: 'x:y', entityType: 'AGENT' }),
      );
      await scores.saveScore(
        makeScore({ id: 'two', traceId: 'a', spanId: 'b:c', entityId: 'y', entityType: 'AGENT' }),
      );
      await scores.saveScore(
        makeScore({
          id: 'three',
          traceId: 'a%3Ab',
          spanId: 'c',
          entityId: 'x%3Ay',
          entityType: 'AGENT',
        }),
      );

      const spanOne = await scores.listScoresBySpan({
        traceId: 'a:b',
        spanId: 'c',
        pagination: ALL,
      });
      const spanTwo = await scores.listScoresBySpan({
        traceId: 'a',
        spanId: 'b:c',
        pagination: ALL,
      });
      const spanThree = await scores.listScoresBySpan({
        traceId: 'a%3Ab',
        spanId: 'c',
        pagination: ALL,
      });
      const entityOne = await scores.listScoresByEntityId({
        entityId: 'x:y',
        entityType: 'AGENT',
        pagination: ALL,
      });
      const entityPrefix = await scores.listScoresByEntityId({
        entityId: 'x',
        entityType: 'AGENT',
        pagination: ALL,
      });

      expect(ids(spanOne.scores)).toEqual(['one']);
      expect(ids(spanTwo.scores)).toEqual(['two']);
      expect(ids(spanThree.scores)).toEqual(['three']);
      expect(ids(entityOne.scores)).toEqual(['one']);
      expect(entityPrefix.scores).toEqual([]);
    });

    it('list calls: owners with unicode, slashes and percent signs', async () => {
      const scores = scoresOf(fixture().store);
      const owner = 'ü日本/a%b:c? #..';
      await scores.saveScore(
        makeScore({
          id: owner,
          scorerId: owner,
          runId: owner,
          entityId: owner,
          traceId: owner,
          spanId: owner,
        }),
      );
      await scores.saveScore(makeScore({ id: 'plain' }));

      const lists = [
        await scores.listScoresByScorerId({ scorerId: owner, pagination: ALL }),
        await scores.listScoresByRunId({ runId: owner, pagination: ALL }),
        await scores.listScoresByEntityId({
          entityId: owner,
          entityType: 'AGENT',
          pagination: ALL,
        }),
        await scores.listScoresBySpan({ traceId: owner, spanId: owner, pagination: ALL }),
        await scores.listScoresByScorerId({ scorerId: owner, pagination: ALL, entityId: owner }),
      ];

      for (const listed of lists) expect(ids(listed.scores)).toEqual([owner]);
    });

    it('listScoresByScorerId: follows list cursors to the end', async () => {
      const { store } = openStore(fixture(), { faults: { listPageSize: 2 } });
      for (let index = 0; index < 7; index += 1) {
        await scoresOf(store).saveScore(scoreAt(index, { id: `s${index}` }));
      }

      const listed = await scoresOf(store).listScoresByScorerId({
        scorerId: 'scorer-1',
        pagination: { page: 1, perPage: 3 },
      });

      expect(ids(listed.scores)).toEqual(['s3', 's2', 's1']);
      expect(listed.pagination).toEqual({ total: 7, page: 1, perPage: 3, hasMore: true });
    });

    it('listScoresByScorerId: reads one index and the page records', async () => {
      const { store, faults } = openStore(fixture(), { faults: { bulkGetCap: 100 } });
      const scores = scoresOf(store);
      for (let index = 0; index < 30; index += 1) {
        await scores.saveScore(scoreAt(index, { id: `other-${index}`, scorerId: 'other' }));
      }
      for (let index = 0; index < 120; index += 1) {
        await scores.saveScore(scoreAt(index, { id: `s${index}` }));
      }
      faults.resetCounters();

      const small = await scores.listScoresByScorerId({
        scorerId: 'scorer-1',
        pagination: { page: 2, perPage: 10 },
      });
      const smallCounters = faults.counters;
      faults.resetCounters();
      const all = await scores.listScoresByScorerId({ scorerId: 'scorer-1', pagination: ALL });
      const allCounters = faults.counters;

      expect(small.scores).toHaveLength(10);
      expect(smallCounters.calls).toBe(2);
      expect(smallCounters.byOperation.list).toBe(1);
      expect(smallCounters.byOperation.getMany).toBe(1);
      expect(all.scores).toHaveLength(120);
      expect(allCounters.byOperation.list).toBe(1);
      expect(allCounters.byOperation.getMany).toBe(2);
      expect(allCounters.calls).toBe(3);
    });
  });
}

function describeScoreInput(name: string, createStore: CreateStore): void {
  describe(`${name}: score input`, () => {
    const fixture = useStoreFixture(createStore);

    const badScores: [string, Record<string, unknown>, string][] = [
      ['missing scorerId', { scorerId: undefined }, 'scorerId'],
      ['missing runId', { runId: undefined }, 'runId'],
      ['missing entityId', { entityId: undefined }, 'entityId'],
      ['blank scorerId', { scorerId: '  ' }, 'scorerId'],
      ['blank runId', { runId: '' }, 'runId'],
      ['blank id', { id: '' }, 'id'],
      ['score as text', { score: '0.5' }, 'score'],
      ['infinite score', { score: Infinity }, 'score'],
      ['missing scorer', { scorer: undefined }, 'scorer'],
      ['missing entity', { entity: undefined }, 'entity'],
      ['unknown source', { source: 'PROD' }, 'source'],
      ['unknown entityType', { entityType: 'ROBOT' }, 'entityType'],
      ['numeric traceId', { traceId: 7 }, 'traceId'],
      ['invalid createdAt', { createdAt: 'yesterday' }, 'createdAt'],
    ];

    it('saveScore: rejects invalid scores without writes', async () => {
      const { store } = fixture();

      for (const [label, overrides, field] of badScores) {
        const payload = { ...makeScore(), ...overrides } as SaveScorePayload;
        await expectUserError(scoresOf(store).saveScore(payload), 'INVALID_ARGUMENT', field, label);
      }

      expect(await keysOf(fixture(), store.keyPrefix)).toEqual([]);
    });

    it('saveScore: rejects a non-object score', async () => {
      const scores = scoresOf(fixture().store);

      await expectUserError(scores.saveScore(null as never), 'INVALID_ARGUMENT', 'score');
      await expectUserError(scores.saveScore('score' as never), 'INVALID_ARGUMENT', 'score');
    });

    it('saveScore: rejects an id too long for a KV key', async () => {
      const { store } = fixture();

      const error = await expectUserError(
        scoresOf(store).saveScore(makeScore({ scorerId: 'x'.repeat(600) })),
        'KEY_TOO_LARGE',
        'scorerId',
      );

      expect(error.message).toMatch(/512 bytes/);
      expect(await keysOf(fixture(), store.keyPrefix)).toEqual([]);
    });

    it('saveScore: rejects a long traceId naming it', async () => {
      const { store } = fixture();
      const payload = makeScore({ traceId: 'ü'.repeat(300), spanId: 's' });

      await expectUserError(scoresOf(store).saveScore(payload), 'KEY_TOO_LARGE', 'traceId');

      expect(await keysOf(fixture(), store.keyPrefix)).toEqual([]);
    });

    it('saveScore: rejects filter fields over the metadata limit', async () => {
      const { store } = fixture();
      const payload = makeScore({ organizationId: 'o'.repeat(700), projectId: 'p'.repeat(400) });

      const error = await expectUserError(
        scoresOf(store).saveScore(payload),
        'INVALID_ARGUMENT',
        'organizationId',
      );

      expect(error.message).toMatch(/1024 bytes/);
      expect(await keysOf(fixture(), store.keyPrefix)).toEqual([]);
    });

    it('getScoreById: rejects a blank id', async () => {
      const scores = scoresOf(fixture().store);

      await expectUserError(scores.getScoreById({ id: '' }), 'INVALID_ARGUMENT', 'id');
    });

    it('getScoreById: rejects missing arguments', async () => {
      const scores = scoresOf(fixture().store);

      await expectUserError(scores.getScoreById(undefined as never), 'INVALID_ARGUMENT', 'args');
    });

    const page = { page: 0, perPage: 10 };
    const badLists: [string, (store: CloudflareStore) => Promise<unknown>, string][] = [
      [
        'scorer: missing scorerId',
        (s) => scoresOf(s).listScoresByScorerId({ pagination: page } as never),
        'scorerId',
      ],
      [
        'scorer: missing pagination',
        (s) => scoresOf(s).listScoresByScorerId({ scorerId: 'a' } as never),
        'pagination',
      ],
      [
        'scorer: negative page',
        (s) =>
          scoresOf(s).listScoresByScorerId({ scorerId: 'a', pagination: { page: -1, perPage: 1 } }),
        'page',
      ],
      [
        'scorer: fractional perPage',
        (s) =>
          scoresOf(s).listScoresByScorerId({
            scorerId: 'a',
            pagination: { page: 0, perPage: 1.5 },
          }),
        'perPage',
      ],
      [
        'scorer: perPage true',
        (s) =>
          scoresOf(s).listScoresByScorerId({
            scorerId: 'a',
            pagination: { page: 0, perPage: true as never },
          }),
        'perPage',
      ],
      [
        'scorer: unknown source',
        (s) =>
          scoresOf(s).listScoresByScorerId({
            scorerId: 'a',
            pagination: page,
            source: 'PROD' as never,
          }),
        'source',
      ],
      [
        'scorer: numeric entityId',
        (s) =>
          scoresOf(s).listScoresByScorerId({
            scorerId: 'a',
            pagination: page,
            entityId: 1 as never,
          }),
        'entityId',
      ],
      [
        'scorer: numeric organizationId',
        (s) =>
          scoresOf(s).listScoresByScorerId({
            scorerId: 'a',
            pagination: page,
            filters: { organizationId: 1 as never },
          }),
        'filters.organizationId',
      ],
      [
        'run: missing runId',
        (s) => scoresOf(s).listScoresByRunId({ pagination: page } as never),
        'runId',
      ],
      [
        'run: blank runId',
        (s) => scoresOf(s).listScoresByRunId({ runId: ' ', pagination: page }),
        'runId',
      ],
      [
        'entity: missing entityType',
        (s) => scoresOf(s).listScoresByEntityId({ entityId: 'e', pagination: page } as never),
        'entityType',
      ],
      [
        'entity: missing entityId',
        (s) => scoresOf(s).listScoresByEntityId({ entityType: 'AGENT', pagination: page } as never),
        'entityId',
      ],
      [
        'span: missing spanId',
        (s) => scoresOf(s).listScoresBySpan({ traceId: 't', pagination: page } as never),
        'spanId',
      ],
      [
        'span: missing traceId',
        (s) => scoresOf(s).listScoresBySpan({ spanId: 's', pagination: page } as never),
        'traceId',
      ],
    ];

    it('list calls: reject invalid input', async () => {
      const { store } = fixture();

      for (const [label, call, field] of badLists) {
        await expectUserError(call(store), 'INVALID_ARGUMENT', field, label);
      }
    });

    const long = 'x'.repeat(520);
    const longIdLists: [string, (store: CloudflareStore) => Promise<unknown>, string][] = [
      [
        'scorer',
        (s) => scoresOf(s).listScoresByScorerId({ scorerId: long, pagination: page }),
        'scorerId',
      ],
      ['run', (s) => scoresOf(s).listScoresByRunId({ runId: long, pagination: page }), 'runId'],
      [
        'entity',
        (s) =>
          scoresOf(s).listScoresByEntityId({
            entityId: long,
            entityType: 'AGENT',
            pagination: page,
          }),
        'entityId',
      ],
      [
        'span',
        (s) => scoresOf(s).listScoresBySpan({ traceId: 't', spanId: long, pagination: page }),
        'spanId',
      ],
    ];

    it('list calls: an id too long for a key is a USER error', async () => {
      const { store } = fixture();

      for (const [label, call, field] of longIdLists) {
        await expectUserError(call(store), 'KEY_TOO_LARGE', field, label);
      }
    });

    it('list calls: a rejected call names its stable error id', async () => {
      const scores = scoresOf(fixture().store);

      const error = await expectUserError(
        scores.listScoresByRunId({ runId: '', pagination: page }),
        'INVALID_ARGUMENT',
      );

      expect(error.id).toBe('CLOUDFLARE_KV_LIST_SCORES_BY_RUN_ID_FAILED');
    });
  });
}
