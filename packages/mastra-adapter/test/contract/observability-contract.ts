import { CfkvError, escapeKeyPart, isCfkvError, type CfkvErrorCode } from '@cfkv/core';
import { ErrorCategory, MastraError } from '@mastra/core/error';
import { SpanType } from '@mastra/core/observability';
import {
  EntityType,
  TraceStatus,
  type CreateSpanRecord,
  type ListTracesArgs,
} from '@mastra/core/storage';
import { describe, expect, it } from 'vitest';
import type { CloudflareStore } from '../../src/index.js';
import { at, openStore, type CreateStore, type StoreFixture } from './store-fixture.js';
import { useStoreFixture } from './use-fixture.js';

function observabilityOf(store: CloudflareStore) {
  return store.stores.observability;
}

function makeSpan(
  traceId: string,
  spanId: string,
  startedAt: Date,
  extra: Partial<CreateSpanRecord> = {},
): CreateSpanRecord {
  return {
    traceId,
    spanId,
    name: `span ${spanId}`,
    spanType: SpanType.AGENT_RUN,
    isEvent: false,
    startedAt,
    endedAt: new Date(startedAt.getTime() + 500),
    parentSpanId: null,
    ...extra,
  };
}

function childOf(root: CreateSpanRecord, spanId: string, offsetMs: number): CreateSpanRecord {
  return makeSpan(root.traceId, spanId, new Date(root.startedAt.getTime() + offsetMs), {
    parentSpanId: root.spanId,
    spanType: SpanType.TOOL_CALL,
  });
}

/** Five traces, one root and one child each, started one second apart. */
async function seedTraces(store: CloudflareStore): Promise<CreateSpanRecord[]> {
  const roots = Array.from({ length: 5 }, (_, index) =>
    makeSpan(`trace-${index}`, `root-${index}`, at(index * 1000), {
      entityType: EntityType.AGENT,
      entityId: index % 2 === 0 ? 'even-agent' : 'odd-agent',
      entityName: `Agent ${index % 2}`,
      userId: `user-${index}`,
      environment: index < 3 ? 'production' : 'staging',
      tags: index === 1 ? ['red', 'blue'] : ['red'],
    }),
  );
  const children = roots.map((root, index) => childOf(root, `child-${index}`, 100));
  await observabilityOf(store).batchCreateSpans({ records: [...roots, ...children] });
  return roots;
}

async function listedTraceIds(store: CloudflareStore, args: ListTracesArgs): Promise<string[]> {
  const result = await observabilityOf(store).listTraces(args);
  return result.spans.map((span) => span.traceId);
}

async function keysOf(fixture: StoreFixture): Promise<string[]> {
  const prefix = escapeKeyPart(fixture.store.keyPrefix);
  return (await fixture.rawKeys()).filter((key) => key.startsWith(prefix));
}

async function expectUserError(
  call: () => Promise<unknown>,
  code: CfkvErrorCode,
  field?: string,
): Promise<MastraError> {
  const error = await call().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'the call resolved').toBeInstanceOf(MastraError);
  const mastraError = error as MastraError;
  expect(mastraError.category).toBe(ErrorCategory.USER);
  expect(isCfkvError(mastraError.cause, code), String(mastraError.cause)).toBe(true);
  if (field !== undefined) expect(mastraError.details).toMatchObject({ field });
  return mastraError;
}

/**
 * Declares the observability (traces) contract of CloudflareStore, written once and run over
 * every transport. Each transport's test file passes a `createStore` over fresh namespaces.
 */
export function describeObservabilityContract(name: string, createStore: CreateStore): void {
  describeSpanContract(name, createStore);
  describeListTracesContract(name, createStore);
  describeDeleteAndInputContract(name, createStore);
}

function describeSpanContract(name: string, createStore: CreateStore): void {
  describe(`${name}: observability spans`, () => {
    const fixture = useStoreFixture(createStore);

    it('observabilityStrategy: reports insert-only', async () => {
      const observability = observabilityOf(fixture().store);
      expect(await fixture().store.getStore('observability')).toBe(observability);
      expect(observability.observabilityStrategy).toEqual({
        preferred: 'insert-only',
        supported: ['insert-only'],
      });
      expect(observability.runtimeTracingStrategy).toBe('insert-only');
    });

    it('createSpan: round-trips every field', async () => {
      const observability = observabilityOf(fixture().store);
      const span = makeSpan('trace-a', 'root-a', at(0), {
        attributes: { model: 'gpt', usage: { inputTokens: 3 } },
        metadata: { team: 'search' },
        input: { messages: [{ role: 'user', content: 'hi' }] },
        output: { text: 'hello' },
        tags: ['x'],
        entityType: EntityType.AGENT,
        entityId: 'agent-1',
      });

      await observability.createSpan({ span });

      const result = await observability.getSpan({ traceId: 'trace-a', spanId: 'root-a' });
      expect(result?.span).toMatchObject({ ...span, startedAt: at(0) });
      expect(result?.span.createdAt).toBeInstanceOf(Date);
      expect(result?.span.updatedAt).toBeInstanceOf(Date);
      expect(result?.span.endedAt).toEqual(new Date(at(0).getTime() + 500));
    });

    it('getSpan: returns null for a missing span', async () => {
      const observability = observabilityOf(fixture().store);
      await observability.createSpan({ span: makeSpan('trace-a', 'root-a', at(0)) });

      expect(await observability.getSpan({ traceId: 'trace-a', spanId: 'other' })).toBeNull();
      expect(await observability.getSpan({ traceId: 'other', spanId: 'root-a' })).toBeNull();
    });

    it('getTrace: returns every span ordered by startedAt', async () => {
      const observability = observabilityOf(fixture().store);
      const root = makeSpan('trace-a', 'root', at(0));
      const spans = [childOf(root, 'late', 300), root, childOf(root, 'early', 100)];
      await observability.batchCreateSpans({ records: spans });

      const trace = await observability.getTrace({ traceId: 'trace-a' });
      expect(trace?.traceId).toBe('trace-a');
      expect(trace?.spans.map((span) => span.spanId)).toEqual(['root', 'early', 'late']);
    });

    it('getTrace: returns null for a missing trace', async () => {
      const observability = observabilityOf(fixture().store);
      expect(await observability.getTrace({ traceId: 'missing' })).toBeNull();
    });

    it('getTrace: follows list cursors across pages', async () => {
      const { store } = openStore(fixture(), { faults: { listPageSize: 2 } });
      const root = makeSpan('trace-a', 'root', at(0));
      const children = Array.from({ length: 6 }, (_, index) => childOf(root, `c${index}`, index));
      await observabilityOf(store).batchCreateSpans({ records: [root, ...children] });

      const trace = await observabilityOf(store).getTrace({ traceId: 'trace-a' });
      expect(trace?.spans).toHaveLength(7);
    });

    it('batchCreateSpans: makes one putMany per batch', async () => {
      const { store, faults } = openStore(fixture());
      const root = makeSpan('trace-a', 'root', at(0), { tags: ['a', 'b'] });
      const children = Array.from({ length: 30 }, (_, index) => childOf(root, `c${index}`, index));

      await observabilityOf(store).batchCreateSpans({ records: [root, ...children] });

      const { byOperation } = faults.counters;
      expect(byOperation.putMany).toBe(1);
      expect(byOperation.put).toBe(0);
      expect(byOperation.getMany).toBe(1);
      expect(byOperation.list).toBe(0);
    });

    it('getTrace: costs one list and one bulk get', async () => {
      const { store, faults } = openStore(fixture());
      const root = makeSpan('trace-a', 'root', at(0));
      const children = Array.from({ length: 30 }, (_, index) => childOf(root, `c${index}`, index));
      await observabilityOf(store).batchCreateSpans({ records: [root, ...children] });
      faults.resetCounters();

      const trace = await observabilityOf(store).getTrace({ traceId: 'trace-a' });

      expect(trace?.spans).toHaveLength(31);
      expect(faults.counters.byOperation).toMatchObject({ list: 1, getMany: 1, get: 0 });
    });

    it('getRootSpan: returns the span without a parent', async () => {
      const observability = observabilityOf(fixture().store);
      const root = makeSpan('trace-a', 'root', at(0));
      await observability.batchCreateSpans({ records: [childOf(root, 'child', 10), root] });

      const result = await observability.getRootSpan({ traceId: 'trace-a' });
      expect(result?.span.spanId).toBe('root');
    });

    it('getRootSpan: returns null when only children exist', async () => {
      const observability = observabilityOf(fixture().store);
      const root = makeSpan('trace-a', 'root', at(0));
      await observability.batchCreateSpans({ records: [childOf(root, 'child', 10)] });

      expect(await observability.getRootSpan({ traceId: 'trace-a' })).toBeNull();
    });

    it('getSpans: returns the named spans that exist', async () => {
      const observability = observabilityOf(fixture().store);
      const root = makeSpan('trace-a', 'root', at(0));
      await observability.batchCreateSpans({ records: [root, childOf(root, 'child', 10)] });

      const result = await observability.getSpans({
        traceId: 'trace-a',
        spanIds: ['child', 'missing', 'root'],
      });
      expect(result.spans.map((span) => span.spanId).sort()).toEqual(['child', 'root']);
    });

    it('getStructure: drops heavy fields', async () => {
      const observability = observabilityOf(fixture().store);
      const root = makeSpan('trace-a', 'root', at(0), { output: { text: 'big' } });
      await observability.createSpan({ span: root });

      const structure = await observability.getStructure({ traceId: 'trace-a' });
      expect(structure?.spans).toHaveLength(1);
      expect(structure?.spans[0]).not.toHaveProperty('output');
      expect(structure?.spans[0]?.status).toBe(TraceStatus.SUCCESS);
    });

    it('ids with separators: stay separate records', async () => {
      const observability = observabilityOf(fixture().store);
      const odd = ['a:b', 'a%3Ab', 'a', 'a/b ?#..', 'ünï:cødé'];
      for (const [index, traceId] of odd.entries()) {
        const root = makeSpan(traceId, `${traceId}:root%`, at(index));
        await observability.batchCreateSpans({ records: [root, childOf(root, ':child:', 5)] });
      }

      for (const traceId of odd) {
        const trace = await observability.getTrace({ traceId });
        expect(trace?.spans.map((span) => span.traceId)).toEqual([traceId, traceId]);
        const root = await observability.getRootSpan({ traceId });
        expect(root?.span.spanId).toBe(`${traceId}:root%`);
      }
      expect(
        await listedTraceIds(fixture().store, { pagination: { page: 0, perPage: 10 } }),
      ).toEqual([...odd].reverse());
    });

    it('trace id prefix: never reads the longer trace', async () => {
      const observability = observabilityOf(fixture().store);
      for (const traceId of ['t', 't1', 't:1']) {
        const root = makeSpan(traceId, 'root', at(0));
        await observability.batchCreateSpans({ records: [root, childOf(root, traceId, 1)] });
      }

      const trace = await observability.getTrace({ traceId: 't' });
      expect(trace?.spans.map((span) => span.spanId).sort()).toEqual(['root', 't']);
      await observability.batchDeleteTraces({ traceIds: ['t'] });
      expect(await observability.getTrace({ traceId: 't' })).toBeNull();
      expect((await observability.getTrace({ traceId: 't1' }))?.spans).toHaveLength(2);
      expect((await observability.getTrace({ traceId: 't:1' }))?.spans).toHaveLength(2);
    });

    it('createSpan: stores a span larger than one bulk get slot', async () => {
      const observability = observabilityOf(fixture().store);
      const input = 'x'.repeat(700 * 1024);
      const root = makeSpan('trace-a', 'root', at(0), { input });
      await observability.batchCreateSpans({ records: [root, childOf(root, 'child', 1)] });

      expect(
        (await observability.getSpan({ traceId: 'trace-a', spanId: 'root' }))?.span.input,
      ).toBe(input);
      const trace = await observability.getTrace({ traceId: 'trace-a' });
      expect(trace?.spans.map((span) => span.spanId)).toEqual(['root', 'child']);
      expect(trace?.spans[0]?.input).toBe(input);
      const listed = await observability.listTraces({});
      expect(listed.spans[0]?.input).toBe(input);
    });

    it('batchCreateSpans: writes no key twice', async () => {
      const { store, faults } = openStore(fixture(), { faults: { rateLimitRepeatWrites: true } });
      const root = makeSpan('trace-a', 'root', at(0), { error: { message: 'boom' } });
      const children = [1, 2, 3].map((index) => ({
        ...childOf(root, `c${index}`, index),
        error: { message: `child ${index}` },
      }));

      await observabilityOf(store).batchCreateSpans({ records: [root, ...children] });
      expect(faults.counters.rateLimited).toBe(0);
    });

    it('batchCreateSpans: replaces a span created again', async () => {
      const observability = observabilityOf(fixture().store);
      await observability.createSpan({
        span: makeSpan('trace-a', 'root', at(0), { entityId: 'before' }),
      });
      await observability.createSpan({
        span: makeSpan('trace-a', 'root', at(5), { entityId: 'after' }),
      });

      const store = fixture().store;
      expect(await listedTraceIds(store, { filters: { entityId: 'before' } })).toEqual([]);
      expect(await listedTraceIds(store, { filters: { entityId: 'after' } })).toEqual(['trace-a']);
      expect(await listedTraceIds(store, {})).toEqual(['trace-a']);
    });

    it('createSpan: unindexes a root re-created as a child', async () => {
      const store = fixture().store;
      const observability = observabilityOf(store);
      const first = makeSpan('trace-a', 'a', at(0), { entityId: 'agent', tags: ['x'] });
      await observability.createSpan({ span: first });
      await observability.createSpan({ span: makeSpan('trace-a', 'root', at(0)) });

      await observability.createSpan({ span: { ...first, parentSpanId: 'root' } });

      const byEntity = await observability.listTraces({ filters: { entityId: 'agent' } });
      expect(byEntity.spans).toEqual([]);
      expect(byEntity.pagination?.total).toBe(0);
      const byTag = await observability.listTraces({ filters: { tags: ['x'] } });
      expect(byTag.pagination?.total).toBe(0);
      const all = await observability.listTraces({});
      expect(all.spans.map((span) => span.spanId)).toEqual(['root']);
      expect(all.pagination?.total).toBe(1);
      expect((await observability.getRootSpan({ traceId: 'trace-a' }))?.span.spanId).toBe('root');

      await observability.batchDeleteTraces({ traceIds: ['trace-a'] });
      expect(await keysOf(fixture())).toEqual([]);
    });

    it('batchCreateSpans: unindexes roots re-created as children', async () => {
      const store = fixture().store;
      const observability = observabilityOf(store);
      const roots = [0, 1].map((index) =>
        makeSpan(`trace-${index}`, 'a', at(index), { entityId: 'agent', tags: ['x', 'y'] }),
      );
      await observability.batchCreateSpans({ records: roots });

      await observability.batchCreateSpans({
        records: roots.map((root) => ({ ...root, parentSpanId: 'elsewhere' })),
      });

      expect(await listedTraceIds(store, {})).toEqual([]);
      expect((await observability.listTraces({ filters: { tags: ['y'] } })).pagination?.total).toBe(
        0,
      );
      await observability.batchDeleteTraces({ traceIds: ['trace-0', 'trace-1'] });
      expect(await keysOf(fixture())).toEqual([]);
    });

    it('createSpan: deletes old chunks of a shrunk span', async () => {
      const observability = observabilityOf(fixture().store);
      const root = makeSpan('trace-a', 'root', at(0));
      const large = { ...childOf(root, 'child', 1), output: { text: 'x'.repeat(300 * 1024) } };
      const chunkKeys = async () =>
        (await keysOf(fixture())).filter((key) => key.includes(':%chunk:'));
      await observability.batchCreateSpans({ records: [root, large] });
      const firstChunks = await chunkKeys();
      expect(firstChunks.length).toBeGreaterThan(1);

      await observability.createSpan({ span: { ...large, output: { text: 'small' } } });
      expect(await chunkKeys()).toEqual([]);
      const small = await observability.getSpan({ traceId: 'trace-a', spanId: 'child' });
      expect(small?.span.output).toEqual({ text: 'small' });

      await observability.createSpan({ span: large });
      expect((await chunkKeys()).length).toBe(firstChunks.length);
      const trace = await observability.getTrace({ traceId: 'trace-a' });
      expect(trace?.spans.find((span) => span.spanId === 'child')?.output).toEqual(large.output);

      await observability.batchDeleteTraces({ traceIds: ['trace-a'] });
      expect(await keysOf(fixture())).toEqual([]);
    });

    it('batchCreateSpans: reads previous versions in one bulk get', async () => {
      const { store, faults } = openStore(fixture());
      const root = makeSpan('trace-a', 'root', at(0));
      const children = Array.from({ length: 30 }, (_, index) => childOf(root, `c${index}`, index));

      await observabilityOf(store).batchCreateSpans({ records: children });

      expect(faults.counters.byOperation).toMatchObject({
        getMany: 1,
        get: 0,
        putMany: 1,
        put: 0,
        deleteMany: 0,
        list: 0,
      });
      expect(faults.counters.keys).toBe(60);
    });

    it('listTraces: skips a trace that a failed update left under its old values', async () => {
      const store = fixture().store;
      await observabilityOf(store).createSpan({
        span: makeSpan('trace-a', 'root', at(0), { entityId: 'before' }),
      });
      const failure = new CfkvError('TRANSPORT_FAILED', 'KV answered 500.', { status: 500 });
      const { store: failing } = openStore(fixture(), {
        faults: { failOn: (call) => (call.operation === 'deleteMany' ? failure : undefined) },
      });

      const updating = observabilityOf(failing).updateSpan({
        traceId: 'trace-a',
        spanId: 'root',
        updates: { entityId: 'after', startedAt: at(50) },
      });

      await expect(updating).rejects.toMatchObject({ category: 'SYSTEM' });
      expect(await listedTraceIds(store, { filters: { entityId: 'before' } })).toEqual([]);
      expect(await listedTraceIds(store, { filters: { entityId: 'after' } })).toEqual(['trace-a']);
      expect(await listedTraceIds(store, {})).toEqual(['trace-a']);
    });

    it('updateSpan: merges fields and sets updatedAt', async () => {
      const observability = observabilityOf(fixture().store);
      const root = makeSpan('trace-a', 'root', at(0), {
        endedAt: null,
        attributes: { model: 'gpt' },
      });
      await observability.createSpan({ span: root });
      const created = await observability.getSpan({ traceId: 'trace-a', spanId: 'root' });

      await observability.updateSpan({
        traceId: 'trace-a',
        spanId: 'root',
        updates: { endedAt: at(900), output: { text: 'done' } },
      });

      const updated = (await observability.getSpan({ traceId: 'trace-a', spanId: 'root' }))?.span;
      expect(updated?.endedAt).toEqual(at(900));
      expect(updated?.output).toEqual({ text: 'done' });
      expect(updated?.attributes).toEqual({ model: 'gpt' });
      expect(updated?.createdAt).toEqual(created?.span.createdAt);
      expect(updated!.updatedAt!.getTime()).toBeGreaterThanOrEqual(
        created!.span.updatedAt!.getTime(),
      );
    });

    it('updateSpan: rejects a missing span without writing', async () => {
      const observability = observabilityOf(fixture().store);
      await observability.createSpan({ span: makeSpan('trace-a', 'root', at(0)) });
      const before = await keysOf(fixture());

      const error = await observability
        .updateSpan({ traceId: 'trace-a', spanId: 'missing', updates: { name: 'x' } })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(MastraError);
      expect((error as MastraError).id).toBe('CLOUDFLARE_KV_UPDATE_SPAN_NOT_FOUND');
      expect(await keysOf(fixture())).toEqual(before);
    });

    it('updateSpan: shrinks a chunked span', async () => {
      const observability = observabilityOf(fixture().store);
      const root = makeSpan('trace-a', 'root', at(0), { input: 'z'.repeat(600 * 1024) });
      await observability.createSpan({ span: root });
      const chunkKeys = async () =>
        (await keysOf(fixture())).filter((key) => key.includes(':%chunk:'));
      expect((await chunkKeys()).length).toBeGreaterThan(1);

      await observability.updateSpan({
        traceId: 'trace-a',
        spanId: 'root',
        updates: { input: 'small' },
      });

      expect(await chunkKeys()).toEqual([]);
      const span = await observability.getSpan({ traceId: 'trace-a', spanId: 'root' });
      expect(span?.span.input).toBe('small');
    });

    it('batchUpdateSpans: moves a root between filters', async () => {
      const store = fixture().store;
      const observability = observabilityOf(store);
      await observability.createSpan({
        span: makeSpan('trace-a', 'root', at(0), { entityId: 'old', endedAt: null }),
      });
      expect(await listedTraceIds(store, { filters: { status: TraceStatus.RUNNING } })).toEqual([
        'trace-a',
      ]);

      await observability.batchUpdateSpans({
        records: [
          { traceId: 'trace-a', spanId: 'root', updates: { entityId: 'new' } },
          { traceId: 'trace-a', spanId: 'root', updates: { endedAt: at(10) } },
        ],
      });

      expect(await listedTraceIds(store, { filters: { entityId: 'old' } })).toEqual([]);
      expect(await listedTraceIds(store, { filters: { entityId: 'new' } })).toEqual(['trace-a']);
      expect(await listedTraceIds(store, { filters: { status: TraceStatus.RUNNING } })).toEqual([]);
      expect(await listedTraceIds(store, { filters: { status: TraceStatus.SUCCESS } })).toEqual([
        'trace-a',
      ]);
    });
  });
}

function describeListTracesContract(name: string, createStore: CreateStore): void {
  describe(`${name}: observability listTraces`, () => {
    const fixture = useStoreFixture(createStore);

    it('listTraces: lists root spans newest first', async () => {
      const store = fixture().store;
      await seedTraces(store);

      const result = await observabilityOf(store).listTraces({});
      expect(result.spans.map((span) => span.spanId)).toEqual([
        'root-4',
        'root-3',
        'root-2',
        'root-1',
        'root-0',
      ]);
      expect(result.spans.every((span) => span.status === TraceStatus.SUCCESS)).toBe(true);
      expect(result.pagination).toEqual({ total: 5, page: 0, perPage: 10, hasMore: false });
    });

    it('listTraces: reads only the page of root spans', async () => {
      const { store, faults } = openStore(fixture());
      await seedTraces(store);
      faults.resetCounters();

      const result = await observabilityOf(store).listTraces({
        filters: { entityId: 'even-agent' },
        pagination: { page: 0, perPage: 2 },
      });

      expect(result.spans.map((span) => span.traceId)).toEqual(['trace-4', 'trace-2']);
      expect(faults.counters.byOperation).toMatchObject({ list: 1, getMany: 1, get: 0 });
      expect(faults.counters.keys).toBe(2);
    });

    it('listTraces: pages without overlap', async () => {
      const store = fixture().store;
      await seedTraces(store);
      const observability = observabilityOf(store);

      const first = await observability.listTraces({ pagination: { page: 0, perPage: 2 } });
      const last = await observability.listTraces({ pagination: { page: 2, perPage: 2 } });
      const beyond = await observability.listTraces({ pagination: { page: 3, perPage: 2 } });

      expect(first.spans.map((span) => span.traceId)).toEqual(['trace-4', 'trace-3']);
      expect(first.pagination).toEqual({ total: 5, page: 0, perPage: 2, hasMore: true });
      expect(last.spans.map((span) => span.traceId)).toEqual(['trace-0']);
      expect(last.pagination?.hasMore).toBe(false);
      expect(beyond.spans).toEqual([]);
      expect(beyond.pagination).toEqual({ total: 5, page: 3, perPage: 2, hasMore: false });
    });

    it('listTraces: pages of exactly the total', async () => {
      const store = fixture().store;
      await seedTraces(store);

      const result = await observabilityOf(store).listTraces({
        pagination: { page: 0, perPage: 5 },
      });
      expect(result.spans).toHaveLength(5);
      expect(result.pagination?.hasMore).toBe(false);
    });

    it('listTraces: follows list cursors across pages', async () => {
      const { store } = openStore(fixture(), { faults: { listPageSize: 2 } });
      await seedTraces(store);

      const result = await observabilityOf(store).listTraces({ filters: { tags: ['red'] } });
      expect(result.pagination?.total).toBe(5);
    });

    it('listTraces: orders by startedAt ascending', async () => {
      const store = fixture().store;
      await seedTraces(store);

      expect(
        await listedTraceIds(store, { orderBy: { field: 'startedAt', direction: 'ASC' } }),
      ).toEqual(['trace-0', 'trace-1', 'trace-2', 'trace-3', 'trace-4']);
    });

    it('listTraces: orders by endedAt, running first', async () => {
      const store = fixture().store;
      const observability = observabilityOf(store);
      await observability.batchCreateSpans({
        records: [
          makeSpan('early-end', 'r1', at(0), { endedAt: at(100) }),
          makeSpan('running', 'r2', at(10), { endedAt: null }),
          makeSpan('late-end', 'r3', at(20), { endedAt: at(50_000) }),
        ],
      });

      const descending = { field: 'endedAt', direction: 'DESC' } as const;
      const ascending = { field: 'endedAt', direction: 'ASC' } as const;
      expect(await listedTraceIds(store, { orderBy: descending })).toEqual([
        'running',
        'late-end',
        'early-end',
      ]);
      expect(await listedTraceIds(store, { orderBy: ascending })).toEqual([
        'early-end',
        'late-end',
        'running',
      ]);
    });

    it('listTraces: filters by entity fields', async () => {
      const store = fixture().store;
      await seedTraces(store);

      expect(await listedTraceIds(store, { filters: { entityId: 'even-agent' } })).toEqual([
        'trace-4',
        'trace-2',
        'trace-0',
      ]);
      expect(await listedTraceIds(store, { filters: { entityName: 'Agent 1' } })).toEqual([
        'trace-3',
        'trace-1',
      ]);
      expect(
        await listedTraceIds(store, { filters: { entityType: EntityType.WORKFLOW_RUN } }),
      ).toEqual([]);
      expect(
        (await listedTraceIds(store, { filters: { entityType: EntityType.AGENT } })).length,
      ).toBe(5);
      expect(
        (await listedTraceIds(store, { filters: { spanType: SpanType.AGENT_RUN } })).length,
      ).toBe(5);
    });

    it('listTraces: intersects equality filters', async () => {
      const store = fixture().store;
      await seedTraces(store);

      const result = await observabilityOf(store).listTraces({
        filters: { entityId: 'even-agent', environment: 'production', userId: 'user-2' },
      });
      expect(result.spans.map((span) => span.traceId)).toEqual(['trace-2']);
      expect(result.pagination?.total).toBe(1);
    });

    it('listTraces: requires every tag', async () => {
      const store = fixture().store;
      await seedTraces(store);

      expect(await listedTraceIds(store, { filters: { tags: ['red', 'blue'] } })).toEqual([
        'trace-1',
      ]);
      expect((await listedTraceIds(store, { filters: { tags: ['red'] } })).length).toBe(5);
      expect(await listedTraceIds(store, { filters: { tags: ['green'] } })).toEqual([]);
    });

    it('listTraces: filters by a long value', async () => {
      const store = fixture().store;
      const longId = `agent-${'ä'.repeat(300)}`;
      await observabilityOf(store).batchCreateSpans({
        records: [
          makeSpan('long', 'r1', at(0), { entityId: longId }),
          makeSpan('short', 'r2', at(1), { entityId: longId.slice(0, -1) }),
        ],
      });

      expect(await listedTraceIds(store, { filters: { entityId: longId } })).toEqual(['long']);
    });

    it('listTraces: filters by startedAt range', async () => {
      const store = fixture().store;
      await seedTraces(store);

      const inclusive = { start: at(1000), end: at(3000) };
      const exclusive = { ...inclusive, startExclusive: true, endExclusive: true };
      expect(await listedTraceIds(store, { filters: { startedAt: inclusive } })).toEqual([
        'trace-3',
        'trace-2',
        'trace-1',
      ]);
      expect(await listedTraceIds(store, { filters: { startedAt: exclusive } })).toEqual([
        'trace-2',
      ]);
      expect(await listedTraceIds(store, { filters: { startedAt: { start: at(4000) } } })).toEqual([
        'trace-4',
      ]);
    });

    it('listTraces: filters by endedAt range', async () => {
      const store = fixture().store;
      const observability = observabilityOf(store);
      await observability.batchCreateSpans({
        records: [
          makeSpan('ended', 'r1', at(0), { endedAt: at(100) }),
          makeSpan('running', 'r2', at(10), { endedAt: null }),
        ],
      });

      expect(
        await listedTraceIds(store, { filters: { endedAt: { start: at(0), end: at(200) } } }),
      ).toEqual(['ended']);
      expect(await listedTraceIds(store, { filters: { endedAt: { end: at(99) } } })).toEqual([]);
    });

    it('listTraces: filters by status', async () => {
      const store = fixture().store;
      await observabilityOf(store).batchCreateSpans({
        records: [
          makeSpan('ok', 'r1', at(0)),
          makeSpan('failed', 'r2', at(1), { error: { message: 'boom' } }),
          makeSpan('running', 'r3', at(2), { endedAt: null }),
        ],
      });

      expect(await listedTraceIds(store, { filters: { status: TraceStatus.SUCCESS } })).toEqual([
        'ok',
      ]);
      expect(await listedTraceIds(store, { filters: { status: TraceStatus.ERROR } })).toEqual([
        'failed',
      ]);
      expect(await listedTraceIds(store, { filters: { status: TraceStatus.RUNNING } })).toEqual([
        'running',
      ]);
      const failed = await observabilityOf(store).listTraces({
        filters: { status: TraceStatus.ERROR },
      });
      expect(failed.spans[0]?.status).toBe(TraceStatus.ERROR);
    });

    it('listTraces: filters by hasChildError', async () => {
      const store = fixture().store;
      const clean = makeSpan('clean', 'r1', at(0));
      const broken = makeSpan('broken', 'r2', at(1));
      await observabilityOf(store).batchCreateSpans({
        records: [
          clean,
          childOf(clean, 'c1', 5),
          broken,
          { ...childOf(broken, 'c2', 5), error: { message: 'tool failed' } },
        ],
      });

      expect(await listedTraceIds(store, { filters: { hasChildError: true } })).toEqual(['broken']);
      expect(await listedTraceIds(store, { filters: { hasChildError: false } })).toEqual(['clean']);
    });

    it('listTraces: filters by traceId', async () => {
      const store = fixture().store;
      await seedTraces(store);

      expect(await listedTraceIds(store, { filters: { traceId: 'trace-3' } })).toEqual(['trace-3']);
      expect(
        await listedTraceIds(store, { filters: { traceId: 'trace-3', entityId: 'even-agent' } }),
      ).toEqual([]);
      expect(await listedTraceIds(store, { filters: { traceId: 'missing' } })).toEqual([]);
    });

    it('listTraces: rejects unsupported filters by name', async () => {
      const store = fixture().store;
      await seedTraces(store);
      const observability = observabilityOf(store);
      const unsupported: [string, ListTracesArgs['filters']][] = [
        ['filters.metadata', { metadata: { team: 'search' } }],
        ['filters.scope', { scope: { core: '1.0.0' } }],
        ['filters.parentEntityId', { parentEntityId: 'agent' }],
        ['filters.rootEntityName', { rootEntityName: 'Agent' }],
      ];

      for (const [field, filters] of unsupported) {
        const error = await expectUserError(
          () => observability.listTraces({ filters }),
          'NOT_SUPPORTED',
          field,
        );
        expect(error.message).toContain(field.replace('filters.', ''));
      }
    });

    it('listTraces: rejects unknown filters', async () => {
      const observability = observabilityOf(fixture().store);

      for (const field of ['name', 'attributes']) {
        const filters = { [field]: 'x' } as ListTracesArgs['filters'];
        await expectUserError(
          () => observability.listTraces({ filters }),
          'INVALID_ARGUMENT',
          `filters.${field}`,
        );
      }
    });

    it('listTraces: rejects a blank traceId filter', async () => {
      const observability = observabilityOf(fixture().store);
      for (const traceId of ['', '   ']) {
        await expectUserError(
          () => observability.listTraces({ filters: { traceId } }),
          'INVALID_ARGUMENT',
          'filters.traceId',
        );
      }
    });

    it('listTraces: rejects delta mode', async () => {
      const observability = observabilityOf(fixture().store);
      await expectUserError(() => observability.listTraces({ mode: 'delta' }), 'NOT_SUPPORTED');
    });
  });
}

function describeDeleteAndInputContract(name: string, createStore: CreateStore): void {
  describe(`${name}: observability delete and input`, () => {
    const fixture = useStoreFixture(createStore);

    it('batchDeleteTraces: leaves no key behind', async () => {
      const store = fixture().store;
      const observability = observabilityOf(store);
      await seedTraces(store);
      const large = makeSpan('large', 'root', at(9000), {
        input: 'y'.repeat(400 * 1024),
        error: { message: 'boom' },
        tags: ['red'],
      });
      await observability.batchCreateSpans({ records: [large, childOf(large, 'child', 1)] });
      expect((await keysOf(fixture())).length).toBeGreaterThan(20);

      await observability.batchDeleteTraces({
        traceIds: ['large', 'trace-0', 'trace-1', 'trace-2', 'trace-3', 'trace-4'],
      });

      expect(await keysOf(fixture())).toEqual([]);
      expect((await observability.listTraces({})).pagination?.total).toBe(0);
    });

    it('batchDeleteTraces: keeps other traces', async () => {
      const store = fixture().store;
      const observability = observabilityOf(store);
      await seedTraces(store);

      await observability.batchDeleteTraces({ traceIds: ['trace-1', 'trace-3', 'missing'] });

      expect(await listedTraceIds(store, {})).toEqual(['trace-4', 'trace-2', 'trace-0']);
      expect(await listedTraceIds(store, { filters: { entityId: 'odd-agent' } })).toEqual([]);
      expect(await observability.getTrace({ traceId: 'trace-1' })).toBeNull();
      expect((await observability.getTrace({ traceId: 'trace-2' }))?.spans).toHaveLength(2);
    });

    it('batchDeleteTraces: honours a resourceId scope', async () => {
      const store = fixture().store;
      const observability = observabilityOf(store);
      await observability.batchCreateSpans({
        records: [
          makeSpan('mine', 'r1', at(0), { resourceId: 'tenant-a' }),
          makeSpan('theirs', 'r2', at(1), { resourceId: 'tenant-b' }),
        ],
      });

      await observability.batchDeleteTraces({
        traceIds: ['mine', 'theirs'],
        resourceId: 'tenant-a',
      });

      expect(await listedTraceIds(store, {})).toEqual(['theirs']);
    });

    it('dangerouslyClearAll: removes only this prefix', async () => {
      const store = fixture().store;
      const other = openStore(fixture(), { keyPrefix: `${store.keyPrefix}other-` }).store;
      await seedTraces(store);
      await seedTraces(other);

      await observabilityOf(store).dangerouslyClearAll();

      expect(await listedTraceIds(store, {})).toEqual([]);
      expect((await listedTraceIds(other, {})).length).toBe(5);
    });

    it('bad input: rejects blank ids without writing', async () => {
      const observability = observabilityOf(fixture().store);
      const before = await keysOf(fixture());

      await expectUserError(
        () => observability.createSpan({ span: makeSpan('', 'root', at(0)) }),
        'INVALID_ARGUMENT',
        'span.traceId',
      );
      await expectUserError(
        () =>
          observability.batchCreateSpans({
            records: [makeSpan('trace-a', 'root', at(0)), makeSpan('trace-a', ' ', at(0))],
          }),
        'INVALID_ARGUMENT',
        'records[1].spanId',
      );
      await expectUserError(
        () => observability.getSpan({ traceId: 'trace-a', spanId: '' }),
        'INVALID_ARGUMENT',
        'args.spanId',
      );
      await expectUserError(() => observability.getTrace({ traceId: '' }), 'INVALID_ARGUMENT');
      await expectUserError(
        () => observability.batchDeleteTraces({ traceIds: ['ok', ''] }),
        'INVALID_ARGUMENT',
        'traceIds[1]',
      );
      expect(await keysOf(fixture())).toEqual(before);
    });

    it('bad input: rejects an invalid startedAt', async () => {
      const observability = observabilityOf(fixture().store);

      const error = await expectUserError(
        () =>
          observability.createSpan({ span: makeSpan('trace-a', 'root', new Date('not a date')) }),
        'INVALID_ARGUMENT',
        'span.startedAt',
      );
      expect(error.message).toContain('got an invalid Date');
      expect(await keysOf(fixture())).toEqual([]);
    });

    it('bad input: rejects ids over the key limit', async () => {
      const observability = observabilityOf(fixture().store);

      await expectUserError(
        () => observability.createSpan({ span: makeSpan('t'.repeat(600), 'root', at(0)) }),
        'KEY_TOO_LARGE',
      );
      expect(await keysOf(fixture())).toEqual([]);
    });

    it('bad input: rejects a long traceId before KV calls', async () => {
      const { store, faults } = openStore(fixture());
      const observability = observabilityOf(store);
      const long = 'x'.repeat(520);
      const calls: [string, () => Promise<unknown>][] = [
        ['traceId', () => observability.getTrace({ traceId: long })],
        ['traceId', () => observability.getStructure({ traceId: long })],
        ['traceId', () => observability.getRootSpan({ traceId: long })],
        ['traceId', () => observability.getSpans({ traceId: long, spanIds: [] })],
        ['args.traceId', () => observability.getSpan({ traceId: long, spanId: 's' })],
        [
          'filters.traceId',
          () => observability.listTraces({ filters: { traceId: long, entityId: 'agent' } }),
        ],
        ['traceIds[1]', () => observability.batchDeleteTraces({ traceIds: ['ok', long] })],
        ['span.traceId', () => observability.createSpan({ span: makeSpan(long, 's', at(0)) })],
        [
          'args.traceId',
          () => observability.updateSpan({ traceId: long, spanId: 's', updates: {} }),
        ],
      ];

      for (const [field, call] of calls) {
        const error = await expectUserError(call, 'KEY_TOO_LARGE', field);
        expect(error.message).toContain(field);
      }
      expect(faults.counters.calls).toBe(0);
    });

    it('bad input: rejects tags that are not strings', async () => {
      const { store, faults } = openStore(fixture());
      const observability = observabilityOf(store);
      const withTags = (tags: unknown) =>
        makeSpan('trace-a', 'root', at(0), { tags: tags as string[] });
      const calls: [string, () => Promise<unknown>][] = [
        ['span.tags', () => observability.createSpan({ span: withTags(5) })],
        ['span.tags', () => observability.createSpan({ span: withTags('abc') })],
        ['span.tags', () => observability.createSpan({ span: withTags({ 0: 'a' }) })],
        ['span.tags[1]', () => observability.createSpan({ span: withTags(['a', 5]) })],
        [
          'records[1].tags',
          () =>
            observability.batchCreateSpans({
              records: [makeSpan('trace-b', 'root', at(0)), withTags('abc')],
            }),
        ],
        [
          'args.updates.tags',
          () =>
            observability.updateSpan({
              traceId: 'trace-a',
              spanId: 'root',
              updates: { tags: 5 as unknown as string[] },
            }),
        ],
        [
          'records[0].updates.tags[0]',
          () =>
            observability.batchUpdateSpans({
              records: [{ traceId: 'trace-a', spanId: 'root', updates: { tags: [null] as never } }],
            }),
        ],
      ];

      for (const [field, call] of calls) {
        await expectUserError(call, 'INVALID_ARGUMENT', field);
      }
      expect(faults.counters.calls).toBe(0);
      expect(await keysOf(fixture())).toEqual([]);
    });

    it('bad input: accepts null and empty tags', async () => {
      const store = fixture().store;
      const observability = observabilityOf(store);

      await observability.batchCreateSpans({
        records: [
          makeSpan('no-tags', 'root', at(0), { tags: null }),
          makeSpan('empty-tags', 'root', at(1), { tags: [] }),
        ],
      });

      expect(await listedTraceIds(store, {})).toEqual(['empty-tags', 'no-tags']);
    });

    it('bad input: rejects a missing argument', async () => {
      const { store, faults } = openStore(fixture());
      const observability = observabilityOf(store) as unknown as Record<
        string,
        (args: unknown) => Promise<unknown>
      >;
      const methods = [
        'createSpan',
        'batchCreateSpans',
        'updateSpan',
        'batchUpdateSpans',
        'getSpan',
        'getSpans',
        'getRootSpan',
        'getTrace',
        'getStructure',
      ];

      for (const method of methods) {
        for (const args of [undefined, null]) {
          const call = () => observability[method]!.call(observabilityOf(store), args);
          await expectUserError(call, 'INVALID_ARGUMENT', 'args');
        }
      }
      await expectUserError(
        () => observabilityOf(store).createSpan({} as never),
        'INVALID_ARGUMENT',
        'span',
      );
      await expectUserError(
        () => observabilityOf(store).getSpans({ traceId: 'trace-a' } as never),
        'INVALID_ARGUMENT',
        'spanIds',
      );
      expect(faults.counters.calls).toBe(0);
    });

    it('bad input: rejects invalid pagination', async () => {
      const observability = observabilityOf(fixture().store);

      await expectUserError(
        () => observability.listTraces({ pagination: { page: 0, perPage: 101 } }),
        'INVALID_ARGUMENT',
        'pagination.perPage',
      );
      await expectUserError(
        () => observability.listTraces({ pagination: { page: -1, perPage: 10 } }),
        'INVALID_ARGUMENT',
        'pagination.page',
      );
    });
  });
}
