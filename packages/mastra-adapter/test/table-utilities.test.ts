import {
  batchInsert,
  clearTable,
  collectAllKeys,
  dropTable,
  insert,
  isChunkKey,
  KeySchema,
  load,
  observeTransport,
  OperationCounter,
  type RecordTable,
  type TableContext,
} from '@cfkv/core';
import { randomPrefix } from '@cfkv/testing';
import { TABLE_RESOURCES, TABLE_WORKFLOW_SNAPSHOT } from '@mastra/core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, type Backend } from './reliability/reliability-fixture.js';

// @cfkv/testing depends on @cfkv/core, so core cannot use it without a dependency cycle. Core's
// table utilities are tested here, over the real binding and REST transports.

const NOTES: RecordTable = {
  name: TABLE_RESOURCES,
  schema: { id: 'text', body: 'text', createdAt: 'timestamp' },
  primaryKey: ['id'],
  keyPart: 'note',
};

interface Note {
  id: string;
  body: string;
  createdAt: Date;
}

function makeNotes(count: number, body = 'x'): Note[] {
  return Array.from({ length: count }, (_unused, index) => ({
    id: `n${index}`,
    body,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)),
  }));
}

for (const [name, startBackend] of BACKENDS) {
  describe(`${name}: table utilities`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await startBackend();
    });
    afterAll(async () => {
      await backend?.dispose();
    });

    function contextFor(keyPrefix: string): TableContext {
      return { transport: backend.transport, keys: new KeySchema(keyPrefix) };
    }

    async function tableKeys(context: TableContext, table: string): Promise<string[]> {
      const listed = await collectAllKeys(backend.transport, table, context.keys.prefix(table));
      return listed.map((key) => key.name);
    }

    it('batchInsert: one putMany, load reads back', async () => {
      const context = contextFor(randomPrefix('tu'));
      const counter = new OperationCounter();
      const observed = {
        ...context,
        transport: observeTransport(backend.transport, counter.listener),
      };
      const notes = makeNotes(3);

      await batchInsert(observed, NOTES, notes);

      expect(counter.snapshot().calls).toBe(1);
      expect(counter.snapshot().byOperation.putMany.calls).toBe(1);
      for (const note of notes) expect(await load(context, NOTES, { id: note.id })).toEqual(note);
    });

    it("clearTable: prefix 'a' keeps 'ab'", async () => {
      const base = randomPrefix('tu');
      const [short, long] = [contextFor(`${base}a`), contextFor(`${base}ab`)];
      await batchInsert(short, NOTES, makeNotes(3));
      await batchInsert(long, NOTES, makeNotes(3));
      const longKeys = await tableKeys(long, NOTES.name);

      expect(await clearTable(short, NOTES.name)).toBe(3);

      expect(await tableKeys(short, NOTES.name)).toEqual([]);
      expect(await tableKeys(long, NOTES.name)).toEqual(longKeys);
    });

    it("clearTable: prefix 'ab' keeps 'a'", async () => {
      const base = randomPrefix('tu');
      const [short, long] = [contextFor(`${base}a`), contextFor(`${base}ab`)];
      await batchInsert(short, NOTES, makeNotes(3));
      await batchInsert(long, NOTES, makeNotes(3));
      const shortKeys = await tableKeys(short, NOTES.name);

      expect(await clearTable(long, NOTES.name)).toBe(3);

      expect(await tableKeys(long, NOTES.name)).toEqual([]);
      expect(await tableKeys(short, NOTES.name)).toEqual(shortKeys);
    });

    it('clearTable: follows list cursors', async () => {
      const context = contextFor(randomPrefix('tu'));
      await batchInsert(context, NOTES, makeNotes(25));
      const counter = new OperationCounter();
      const observed = {
        ...context,
        transport: observeTransport(backend.transport, counter.listener),
      };

      expect(await clearTable(observed, NOTES.name, { pageLimit: 10, keysPerDelete: 10 })).toBe(25);

      expect(counter.snapshot().byOperation.list.calls).toBeGreaterThanOrEqual(3);
      expect(counter.snapshot().byOperation.deleteMany.calls).toBe(3);
      expect(await tableKeys(context, NOTES.name)).toEqual([]);
    });

    it('clearTable: removes chunk keys', async () => {
      const context = contextFor(randomPrefix('tu'));
      const note = { id: 'big', body: 'y€'.repeat(300), createdAt: new Date() };
      await insert(context, NOTES, note, { chunkBytes: 128 });
      expect(await load(context, NOTES, { id: 'big' })).toEqual(note);
      const before = await tableKeys(context, NOTES.name);
      expect(before.filter(isChunkKey).length).toBeGreaterThan(1);

      expect(await clearTable(context, NOTES.name)).toBe(before.length);

      expect(await tableKeys(context, NOTES.name)).toEqual([]);
    });

    it('dropTable: deletes its prefix only', async () => {
      const base = randomPrefix('tu');
      const [dropped, kept] = [contextFor(`${base}a`), contextFor(`${base}ab`)];
      await batchInsert(dropped, NOTES, makeNotes(2));
      await batchInsert(kept, NOTES, makeNotes(2));

      expect(await dropTable(dropped, NOTES.name)).toBe(2);

      expect(await tableKeys(dropped, NOTES.name)).toEqual([]);
      expect(await tableKeys(kept, NOTES.name)).toHaveLength(2);
    });

    it('dangerouslyClearAll: removes chunks, keeps neighbour', async () => {
      const base = randomPrefix('tu');
      const store = backend.openStore({ keyPrefix: `${base}a` });
      const neighbour = backend.openStore({ keyPrefix: `${base}ab` });
      const chunkedRun: RecordTable = {
        name: TABLE_WORKFLOW_SNAPSHOT,
        schema: {},
        primaryKey: ['runId'],
      };
      for (const keyPrefix of [`${base}a`, `${base}ab`]) {
        const context = contextFor(keyPrefix);
        await insert(
          context,
          chunkedRun,
          { runId: 'r1', state: 'z'.repeat(400) },
          { chunkBytes: 100 },
        );
        await batchInsert(context, NOTES, makeNotes(2));
      }
      const neighbourKeys = await backend.rawKeys(`${base}ab`);
      expect(neighbourKeys.filter(isChunkKey).length).toBeGreaterThan(1);

      await store.dangerouslyClearAll();

      expect(await backend.rawKeys(`${base}a`)).toEqual([]);
      expect(await backend.rawKeys(`${base}ab`)).toEqual(neighbourKeys);
      await neighbour.dangerouslyClearAll();
      expect(await backend.rawKeys(`${base}ab`)).toEqual([]);
    });
  });
}
