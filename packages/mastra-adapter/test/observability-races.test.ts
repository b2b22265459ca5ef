import { isChunkKey, type Transport } from '@cfkv/core';
import { randomPrefix } from '@cfkv/testing';
import { SpanType } from '@mastra/core/observability';
import {
  EntityType,
  TABLE_SPANS,
  TraceStatus,
  type CreateSpanRecord,
  type ListTracesArgs,
} from '@mastra/core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareStore } from '../src/index.js';
import {
  onFirstCalls,
  readWriteWriteDelete,
  signal,
  withCallHooks,
} from './reliability/call-order.js';
import { withMethod } from './reliability/transport-wrappers.js';
import { BACKENDS, type Backend } from './reliability/reliability-fixture.js';

/**
 * Wraps a transport so that a `deleteMany` on the spans table deletes the span keys in the batch
 * first, then runs `between`, then deletes the other keys, as per-key deletes over bindings can.
 */
function splitSpanKeyDeletes(transport: Transport, between: () => Promise<void>): Transport {
  const deleteMany: Transport['deleteMany'] = async (table, keys) => {
    if (table !== TABLE_SPANS) return transport.deleteMany(table, keys);
    const isSpanKey = (key: string) => key.includes(':span:') && !isChunkKey(key);
    await transport.deleteMany(table, keys.filter(isSpanKey));
    await between();
    await transport.deleteMany(
      table,
      keys.filter((key) => !isSpanKey(key)),
    );
  };
  return withMethod(transport, 'deleteMany', deleteMany);
}

function makeRoot(startedAt: Date): CreateSpanRecord {
  return {
    traceId: 'trace-1',
    spanId: 'root',
    parentSpanId: null,
    name: 'agent run',
    spanType: SpanType.AGENT_RUN,
    isEvent: false,
    startedAt,
    endedAt: null,
    entityType: EntityType.AGENT,
    entityId: 'agent-1',
    entityName: 'old-name',
  };
}

for (const [name, startBackend] of BACKENDS) {
  describe(`${name}: concurrent updates of one root span`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await startBackend();
    });
    afterAll(async () => {
      await backend.dispose();
    });

    /** Lists traces with `filters` and returns the listed trace ids and the total. */
    async function listTraces(keyPrefix: string, filters: ListTracesArgs['filters']) {
      const observability = backend.openStore({ keyPrefix }).stores.observability;
      const listed = await observability.listTraces({ filters });
      return { ids: listed.spans.map((span) => span.traceId), total: listed.pagination?.total };
    }

    it('updateSpan: a rename that loses keeps the trace listed', async () => {
      const keyPrefix = randomPrefix('sp');
      const seeding = backend.openStore({ keyPrefix }).stores.observability;
      await seeding.createSpan({ span: makeRoot(new Date(Date.now() - 1_000)) });

      // Both writers read version 0. The renamer writes, the finisher writes, and only then does
      // the renamer delete the index keys of version 0 that its own version no longer has.
      const order = readWriteWriteDelete(TABLE_SPANS, 'getMany', 'putMany');
      const renamer = withCallHooks(backend.transport, order.first);
      const finisher = withCallHooks(backend.transport, order.second);
      const endedAt = new Date();

      await Promise.all([
        new CloudflareStore({ transport: renamer, keyPrefix }).stores.observability.updateSpan({
          traceId: 'trace-1',
          spanId: 'root',
          updates: { entityName: 'new-name' },
        }),
        new CloudflareStore({ transport: finisher, keyPrefix }).stores.observability.updateSpan({
          traceId: 'trace-1',
          spanId: 'root',
          updates: { output: { text: 'done' }, endedAt },
        }),
      ]);

      const observability = backend.openStore({ keyPrefix }).stores.observability;
      const stored = await observability.getSpan({ traceId: 'trace-1', spanId: 'root' });
      expect(stored?.span).toMatchObject({ entityName: 'old-name', output: { text: 'done' } });
      const once = { ids: ['trace-1'], total: 1 };
      expect(await listTraces(keyPrefix, {})).toEqual(once);
      expect(await listTraces(keyPrefix, { entityName: 'old-name' })).toEqual(once);
      expect(await listTraces(keyPrefix, { entityId: 'agent-1' })).toEqual(once);
      // A written-back key carries the winner's status, so the ended trace is not `running`.
      const success = { entityName: 'old-name', status: TraceStatus.SUCCESS };
      expect(await listTraces(keyPrefix, success)).toEqual(once);
      // The renamer's key under new-name stays in KV, and reads skip it because of the old name.
      expect((await listTraces(keyPrefix, { entityName: 'new-name' })).ids).toEqual([]);
    });

    it('batchDeleteTraces: an update between its deletes stays listed', async () => {
      const keyPrefix = randomPrefix('sp');
      const seeding = backend.openStore({ keyPrefix }).stores.observability;
      await seeding.createSpan({ span: makeRoot(new Date(Date.now() - 1_000)) });

      // Bindings delete key by key, so an update can land after the span key is deleted and
      // before its index keys are. The update read the span first, so it writes it back whole.
      const updaterRead = signal();
      const spanKeyDeleted = signal();
      const updaterWrote = signal();
      const deleter = splitSpanKeyDeletes(backend.transport, async () => {
        spanKeyDeleted.open();
        await updaterWrote.wait();
      });
      const deleting = withCallHooks(
        deleter,
        onFirstCalls(TABLE_SPANS, {
          deleteMany: { before: updaterRead.wait },
        }),
      );
      const updater = withCallHooks(
        backend.transport,
        onFirstCalls(TABLE_SPANS, {
          getMany: { after: updaterRead.open },
          putMany: { before: spanKeyDeleted.wait, after: updaterWrote.open },
        }),
      );

      await Promise.all([
        new CloudflareStore({
          transport: deleting,
          keyPrefix,
        }).stores.observability.batchDeleteTraces({ traceIds: ['trace-1'] }),
        new CloudflareStore({ transport: updater, keyPrefix }).stores.observability.updateSpan({
          traceId: 'trace-1',
          spanId: 'root',
          updates: { output: { text: 'done' } },
        }),
      ]);

      const observability = backend.openStore({ keyPrefix }).stores.observability;
      const stored = await observability.getSpan({ traceId: 'trace-1', spanId: 'root' });
      expect(stored?.span).toMatchObject({ output: { text: 'done' } });
      const once = { ids: ['trace-1'], total: 1 };
      expect(await listTraces(keyPrefix, {})).toEqual(once);
      expect(await listTraces(keyPrefix, { entityName: 'old-name' })).toEqual(once);
    });
  });
}
