import { CfkvError, isCfkvError, mapWithConcurrency } from '@cfkv/core';
import { FaultTransport, randomPrefix, type FaultTransportOptions } from '@cfkv/testing';
import { MastraError } from '@mastra/core/error';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareStore } from '../src/index.js';
import { at, ids, makeMessage, makeThread } from './contract/store-fixture.js';
import { startBindingBackend, type Backend } from './reliability/reliability-fixture.js';

/** What production KV does and local KV does not: stale reads, 429 on repeat writes, capped bulk gets. */
const PRODUCTION_LIKE: FaultTransportOptions = {
  staleReads: 2,
  rateLimitRepeatWrites: true,
  bulkGetCap: 100,
  operationBudget: 1_000,
};

const SETUP_CONCURRENCY = 8;

describe('fault transport: memory under production limits', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startBindingBackend();
  });
  afterAll(async () => {
    await backend.dispose();
  });

  /** Stores over one fault transport; `clock` moves the rate limit's time without sleeping. */
  function openStores(options: FaultTransportOptions = PRODUCTION_LIKE) {
    const clock = { now: 0 };
    const faults = new FaultTransport(backend.transport, { now: () => clock.now, ...options });
    const keyPrefix = randomPrefix('rel');
    const open = () => new CloudflareStore({ transport: faults, keyPrefix });
    return { faults, keyPrefix, open, clock };
  }

  it('saveMessages: two saves within a second', async () => {
    const { faults, open, clock } = openStores({ ...PRODUCTION_LIKE, staleReads: 0 });
    const memory = open().stores.memory;
    await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
    clock.now += 5_000;
    faults.resetBudget();

    await memory.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });
    faults.resetBudget();
    const second = await memory
      .saveMessages({ messages: [makeMessage('m2', 't1', at(2))] })
      .catch((caught: unknown) => caught);

    // Each save stamps the thread's updatedAt in one key: a second write of that key within a
    // second, which Cloudflare rejects with 429, unless the store skips the second stamp.
    expect(second).not.toBeInstanceOf(Error);
    expect(faults.counters.rateLimited).toBe(0);
    const listed = await memory.listMessages({ threadId: 't1' });
    expect(ids(listed.messages)).toEqual(['m1', 'm2']);
  });

  it('saveMessages: two concurrent stores keep 40', async () => {
    // The real clock: two stores stamping one thread within a second get a 429 from KV, and no
    // writer can avoid that without a lock. The saves must still succeed and keep every message.
    const { faults, open } = openStores({ ...PRODUCTION_LIKE, staleReads: 0, now: Date.now });
    const setup = open().stores.memory;
    await setup.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });

    const results = await Promise.allSettled(
      [0, 1].map(async (writer) => {
        const memory = open().stores.memory;
        for (let n = 0; n < 20; n++) {
          const id = `w${writer}-${String(n).padStart(2, '0')}`;
          await memory.saveMessages({ messages: [makeMessage(id, 't1', at(1 + n * 2 + writer))] });
        }
      }),
    );

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
    const listed = await setup.listMessages({ threadId: 't1', perPage: false });
    expect(listed.total).toBe(40);
    expect(new Set(ids(listed.messages)).size).toBe(40);
    // Every stamp of a burst within a second of the thread's last write may have been dropped.
    // The first save a second later stamps the thread again.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await setup.saveMessages({ messages: [makeMessage('after', 't1', at(100))] });
    const thread = await setup.getThreadById({ threadId: 't1' });
    expect(thread?.updatedAt.getTime()).toBeGreaterThan(at(0).getTime());
    expect(faults.counters.calls).toBeGreaterThan(0);
  });

  it('saveMessages: 250 messages within limits', async () => {
    const { faults, open, clock } = openStores({ ...PRODUCTION_LIKE, staleReads: 0 });
    const memory = open().stores.memory;
    await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
    clock.now += 5_000;
    const messages = Array.from({ length: 250 }, (_, n) => makeMessage(`m-${n}`, 't1', at(n + 1)));
    faults.resetBudget();

    await memory.saveMessages({ messages });

    faults.resetBudget();
    const listed = await memory.listMessages({ threadId: 't1', perPage: false });
    expect(listed.total).toBe(250);
    expect(ids(listed.messages)).toEqual(messages.map((message) => message.id));
  });

  it('updateMessages: one message in 5 operations', async () => {
    const { faults, keyPrefix, open } = openStores({ bulkGetCap: 100, operationBudget: 1_000 });
    const setup = new CloudflareStore({ transport: backend.transport, keyPrefix }).stores.memory;
    // Bounded, so the setup does not open hundreds of connections to local KV at once.
    const threadIds = Array.from({ length: 300 }, (_, n) => `t-${n}`);
    await mapWithConcurrency(threadIds, SETUP_CONCURRENCY, async (threadId) => {
      await setup.saveThread({ thread: makeThread(threadId, 'resource-1', at(0)) });
      await setup.saveMessages({
        messages: [0, 1, 2].map((n) => makeMessage(`${threadId}-m${n}`, threadId, at(n))),
      });
    });
    const memory = open().stores.memory;

    faults.resetCounters();
    await memory.updateMessages({
      messages: [{ id: 't-150-m1', content: { format: 2, parts: [{ type: 'text', text: 'x' }] } }],
    });
    const updateCalls = faults.counters.calls;
    faults.resetCounters();
    const found = await memory.listMessagesById({ messageIds: ['t-150-m1'] });
    const byIdCalls = faults.counters.calls;

    expect(ids(found.messages)).toEqual(['t-150-m1']);
    expect(updateCalls).toBeLessThanOrEqual(5);
    expect(byIdCalls).toBeLessThanOrEqual(5);
  }, 300_000);

  it('getThreadById: reads its own write', async () => {
    const { open } = openStores({ staleReads: 2 });
    const memory = open().stores.memory;

    await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });

    expect((await memory.getThreadById({ threadId: 't1' }))?.id).toBe('t1');
  });

  it('deleteThread: stale reads do not resurrect', async () => {
    const { faults, keyPrefix, open } = openStores({ staleReads: 0 });
    const memory = open().stores.memory;
    await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
    await memory.saveThread({ thread: makeThread('t2', 'resource-1', at(1)) });
    const before = await backend.rawKeys(keyPrefix);

    // A second view of the same KV that serves the state before each write for 3 reads.
    const stale = new CloudflareStore({
      transport: new FaultTransport(faults, { staleReads: 3 }),
      keyPrefix,
    }).stores.memory;
    await stale.deleteThread({ threadId: 't1' });
    await stale.listThreads({ filter: { resourceId: 'resource-1' } });
    await stale.saveMessages({ messages: [makeMessage('m1', 't2', at(2))] });

    const fresh = await memory.listThreads({ filter: { resourceId: 'resource-1' } });
    expect(ids(fresh.threads)).toEqual(['t2']);
    expect(fresh.total).toBe(1);
    const after = await backend.rawKeys(keyPrefix);
    // A key part equal to t1, not any text containing it: tiebreak digits can spell "t1".
    expect(after.filter((key) => /:t1(:|$)/.test(key))).toEqual([]);
    expect(after.length).toBeLessThan(before.length);
  });

  it('saveMessages: every write rate-limited', async () => {
    const { keyPrefix, open } = openStores({
      failOn: (call) =>
        call.operation === 'putMany' || call.operation === 'put'
          ? new CfkvError('RATE_LIMITED', 'KV answered 429.', { status: 429 })
          : undefined,
    });
    const setup = new CloudflareStore({ transport: backend.transport, keyPrefix }).stores.memory;
    await setup.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });

    const error = await open()
      .stores.memory.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MastraError);
    expect((error as MastraError).id).toBe('CLOUDFLARE_KV_SAVE_MESSAGES_FAILED');
    expect(isCfkvError((error as MastraError).cause, 'RATE_LIMITED')).toBe(true);
    const keys = await backend.rawKeys(keyPrefix);
    expect(keys.filter((key) => /:m1(:|$)/.test(key))).toEqual([]);
    expect((await setup.listMessages({ threadId: 't1' })).total).toBe(0);
  });

  it('saveMessages: retry after a half-way failure', async () => {
    const failing = { from: Infinity };
    const { faults, keyPrefix, open } = openStores({
      // Armed below: the save's first putMany writes the records, the next one (order entries)
      // and every later one fail.
      failOn: (call) =>
        call.operation === 'putMany' && call.operationCallNumber >= failing.from
          ? new CfkvError('TRANSPORT_FAILED', 'KV answered 500.', { status: 500 })
          : undefined,
    });
    const memory = open().stores.memory;
    await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
    const messages = [1, 2, 3].map((n) => makeMessage(`m${n}`, 't1', at(n)));
    failing.from = faults.counters.byOperation.putMany + 2;

    await expect(memory.saveMessages({ messages })).rejects.toBeInstanceOf(MastraError);
    expect(
      (await backend.rawKeys(keyPrefix)).filter((key) => key.includes(':record:m')),
    ).toHaveLength(3);
    failing.from = Infinity;
    await memory.saveMessages({ messages });

    const listed = await memory.listMessages({ threadId: 't1' });
    expect(ids(listed.messages)).toEqual(['m1', 'm2', 'm3']);
    const keys = await backend.rawKeys(keyPrefix);
    expect(keys.filter((key) => key.includes(':thread-order:'))).toHaveLength(6);
  });
});
