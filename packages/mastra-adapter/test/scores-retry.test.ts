import { CfkvError, type Transport } from '@cfkv/core';
import { randomPrefix } from '@cfkv/testing';
import type { SaveScorePayload } from '@mastra/core/evals';
import type { StoragePagination } from '@mastra/core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareStore } from '../src/index.js';
import { makeScore, scoreAt } from './contract/scores-contract.js';
import { dropFromPutMany } from './reliability/transport-wrappers.js';
import { BACKENDS, type Backend } from './reliability/reliability-fixture.js';

const ALL: StoragePagination = { page: 0, perPage: false };

for (const [name, startBackend] of BACKENDS) {
  describe(`${name}: repeated entries of one score`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await startBackend();
    });
    afterAll(async () => {
      await backend.dispose();
    });

    /** Lists s1's scorer, run, entity and span and returns each list's ids and total. */
    async function listEverywhere(keyPrefix: string) {
      const scores = backend.openStore({ keyPrefix }).stores.scores;
      const lists = await Promise.all([
        scores.listScoresByScorerId({ scorerId: 'scorer-1', pagination: ALL }),
        scores.listScoresByRunId({ runId: 'run-1', pagination: ALL }),
        scores.listScoresByEntityId({ entityId: 'agent-1', entityType: 'AGENT', pagination: ALL }),
        scores.listScoresBySpan({ traceId: 'trace-1', spanId: 'span-1', pagination: ALL }),
      ]);
      return lists.map((list) => ({
        ids: list.scores.map((score) => score.id),
        total: list.pagination.total,
      }));
    }

    const ONCE = { ids: ['s1'], total: 1 };

    it('saveScore: a retried failed first save counts once', async () => {
      const keyPrefix = randomPrefix('sc');
      const transport = dropFromPutMany(backend.transport, ':record:s1', 2);
      const failing = new CloudflareStore({ transport, keyPrefix }).stores.scores;
      const payload = makeScore({ id: 's1', traceId: 'trace-1', spanId: 'span-1' });

      await expect(failing.saveScore(payload)).rejects.toThrow();
      await expect(failing.saveScore({ ...payload, score: 0.7 })).rejects.toThrow();
      await failing.saveScore({ ...payload, score: 0.9 });

      expect(await listEverywhere(keyPrefix)).toEqual([ONCE, ONCE, ONCE, ONCE]);
      const stored = backend.openStore({ keyPrefix }).stores.scores;
      expect((await stored.getScoreById({ id: 's1' }))?.score).toBe(0.9);
    });

    it('saveScore: concurrent first saves of one id count once', async () => {
      const keyPrefix = randomPrefix('sc');
      const payloads: SaveScorePayload[] = [0, 1, 2, 3, 4].map((n) =>
        scoreAt(n * 1_000, { id: 's1', score: n / 10, traceId: 'trace-1', spanId: 'span-1' }),
      );

      await Promise.all(
        payloads.map((payload) =>
          backend.openStore({ keyPrefix }).stores.scores.saveScore(payload),
        ),
      );

      expect(await listEverywhere(keyPrefix)).toEqual([ONCE, ONCE, ONCE, ONCE]);
      const stored = backend.openStore({ keyPrefix }).stores.scores;
      const scorer = await stored.listScoresByScorerId({
        scorerId: 'scorer-1',
        pagination: { page: 0, perPage: 1 },
      });
      expect(scorer.pagination.hasMore).toBe(false);
      expect(scorer.scores[0]?.score).toBe((await stored.getScoreById({ id: 's1' }))?.score);
    });

    it('listScoresByScorerId: a repeated id keeps page order', async () => {
      const keyPrefix = randomPrefix('sc');
      const scores = backend.openStore({ keyPrefix }).stores.scores;
      await scores.saveScore(scoreAt(0, { id: 'a' }));
      await Promise.all(
        [1, 2].map((n) =>
          backend
            .openStore({ keyPrefix })
            .stores.scores.saveScore(scoreAt(n * 1_000, { id: 's1' })),
        ),
      );
      await scores.saveScore(scoreAt(5_000, { id: 'b' }));

      const page = await scores.listScoresByScorerId({
        scorerId: 'scorer-1',
        pagination: { page: 0, perPage: 2 },
      });
      expect(page.scores.map((score) => score.id)).toEqual(['b', 's1']);
      expect(page.pagination).toMatchObject({ total: 3, hasMore: true });
    });
  });
}
