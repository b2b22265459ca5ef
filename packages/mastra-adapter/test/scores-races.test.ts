import { randomPrefix } from '@cfkv/testing';
import { TABLE_SCORERS, type StoragePagination } from '@mastra/core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareStore } from '../src/index.js';
import { makeScore } from './contract/scores-contract.js';
import { readWriteWriteDelete, signal, withCallHooks } from './reliability/call-order.js';
import { BACKENDS, type Backend } from './reliability/reliability-fixture.js';
import { withMethod } from './reliability/transport-wrappers.js';

const ALL: StoragePagination = { page: 0, perPage: false };

for (const [name, startBackend] of BACKENDS) {
  describe(`${name}: concurrent upserts of one score`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await startBackend();
    });
    afterAll(async () => {
      await backend.dispose();
    });

    /** Lists one scorer, run and entity and returns each list's ids and total. */
    async function listScores(keyPrefix: string, scorerId: string) {
      const scores = backend.openStore({ keyPrefix }).stores.scores;
      const lists = await Promise.all([
        scores.listScoresByScorerId({ scorerId, pagination: ALL }),
        scores.listScoresByRunId({ runId: 'run-1', pagination: ALL }),
        scores.listScoresByEntityId({ entityId: 'agent-1', entityType: 'AGENT', pagination: ALL }),
      ]);
      return lists.map((list) => ({
        ids: list.scores.map((score) => score.id),
        total: list.pagination.total,
      }));
    }

    it('list calls: a torn upsert never lists another organization', async () => {
      const keyPrefix = randomPrefix('sc');
      // Writer 1's index entries land, then writer 2's whole save, then writer 1's record, as
      // concurrent puts over bindings allow. Entries then carry o2 while the record has o1.
      const indexWritten = signal();
      const otherSaved = signal();
      const splitting = withMethod(backend.transport, 'putMany', async (table, entries) => {
        const isRecord = (entry: { key: string }) => entry.key.endsWith(':record:x');
        if (table !== TABLE_SCORERS || !entries.some(isRecord)) {
          return backend.transport.putMany(table, entries);
        }
        await backend.transport.putMany(
          table,
          entries.filter((entry) => !isRecord(entry)),
        );
        indexWritten.open();
        await otherSaved.wait();
        await backend.transport.putMany(table, entries.filter(isRecord));
      });
      const first = new CloudflareStore({ transport: splitting, keyPrefix }).stores.scores;
      const second = backend.openStore({ keyPrefix }).stores.scores;
      // Both upserts find this version, so they keep its createdAt and write the same index keys.
      await second.saveScore(makeScore({ id: 'x', organizationId: 'o0' }));

      const saving = first.saveScore(makeScore({ id: 'x', organizationId: 'o1' }));
      await indexWritten.wait();
      await second.saveScore(makeScore({ id: 'x', organizationId: 'o2' }));
      otherSaved.open();
      await saving;

      const reader = backend.openStore({ keyPrefix }).stores.scores;
      expect((await reader.getScoreById({ id: 'x' }))?.organizationId).toBe('o1');
      for (const organizationId of ['o1', 'o2']) {
        const filters = { organizationId };
        const lists = await Promise.all([
          reader.listScoresByScorerId({ scorerId: 'scorer-1', filters, pagination: ALL }),
          reader.listScoresByRunId({ runId: 'run-1', filters, pagination: ALL }),
          reader.listScoresByEntityId({
            entityId: 'agent-1',
            entityType: 'AGENT',
            filters,
            pagination: ALL,
          }),
        ]);
        for (const list of lists) {
          for (const score of list.scores) expect(score.organizationId).toBe(organizationId);
        }
      }
    });

    it('saveScore: a move that loses keeps the winner listed', async () => {
      const keyPrefix = randomPrefix('sc');
      const seeding = backend.openStore({ keyPrefix }).stores.scores;
      await seeding.saveScore(makeScore({ id: 's1', score: 0.1 }));

      // Both writers read version 0. The mover writes, the re-saver writes, and only then does
      // the mover delete the index entries of version 0 that its own version no longer has.
      const order = readWriteWriteDelete(TABLE_SCORERS, 'get', 'putMany');
      const mover = withCallHooks(backend.transport, order.first);
      const resaver = withCallHooks(backend.transport, order.second);

      await Promise.all([
        new CloudflareStore({ transport: mover, keyPrefix }).stores.scores.saveScore(
          makeScore({ id: 's1', scorerId: 'scorer-2', score: 0.2 }),
        ),
        new CloudflareStore({ transport: resaver, keyPrefix }).stores.scores.saveScore(
          makeScore({ id: 's1', score: 0.3 }),
        ),
      ]);

      const stored = await backend
        .openStore({ keyPrefix })
        .stores.scores.getScoreById({ id: 's1' });
      expect(stored).toMatchObject({ scorerId: 'scorer-1', score: 0.3 });
      const once = { ids: ['s1'], total: 1 };
      expect(await listScores(keyPrefix, 'scorer-1')).toEqual([once, once, once]);
      // The mover's entry under scorer-2 stays in KV, and reads skip it because the record moved.
      const [movedTo] = await listScores(keyPrefix, 'scorer-2');
      expect(movedTo?.ids).toEqual([]);
    });
  });
}
