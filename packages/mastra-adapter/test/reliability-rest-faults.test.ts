import { CfkvError, isCfkvError } from '@cfkv/core';
import type { InjectedFault } from '@cfkv/rest-local';
import { randomPrefix } from '@cfkv/testing';
import { MastraError } from '@mastra/core/error';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { at, ids, makeMessage, makeThread } from './contract/store-fixture.js';
import { API_TOKEN, startRestBackend, type Backend } from './reliability/reliability-fixture.js';

const LONG_TEST = { timeout: 120_000 };
const BULK_WRITE_PATH = /\/bulk(\?|$)/;
/**
 * Retry settings of the fault workload. The attempt timeout is shorter than the injected delays.
 * With 23% of requests failing, a request fails all 13 attempts about once in 200 million
 * (0.23^13), where 7 attempts failed about once in 30,000.
 */
const WORKLOAD_RETRIES = { timeoutMs: 2_000, maxRetries: 12 };

describe('rest: faults', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startRestBackend();
  });
  afterEach(() => {
    backend.server!.faults.clear();
  });
  afterAll(async () => {
    await backend.dispose();
  });

  /** About one request in five fails: 429s, 5xx, timeouts and resets, some after the write. */
  function injectOneInFive(): InjectedFault[] {
    const faults = backend.server!.faults;
    return [
      faults.add({ status: 429, retryAfterSeconds: 1, rate: 0.01, seed: 11 }),
      faults.add({ status: 429, rate: 0.06, seed: 12 }),
      faults.add({ status: 500, rate: 0.05, seed: 13 }),
      faults.add({ status: 503, rate: 0.03, seed: 14 }),
      faults.add({ status: 502, rate: 0.02, seed: 15, afterHandling: true }),
      faults.add({ delayMs: WORKLOAD_RETRIES.timeoutMs + 500, rate: 0.02, seed: 16 }),
      faults.add({ dropConnection: true, rate: 0.02, seed: 17 }),
      faults.add({ dropConnection: true, rate: 0.02, seed: 18, afterHandling: true }),
    ];
  }

  it(
    'memory workload: completes with 20% of requests failing, nothing lost or doubled',
    LONG_TEST,
    async () => {
      const keyPrefix = randomPrefix('rel');
      const injected = injectOneInFive();
      const before = backend.server!.requestCount;

      const writers = [0, 1, 2].map(
        () => backend.openStore({ keyPrefix, rest: WORKLOAD_RETRIES }).stores.memory,
      );
      await Promise.all(
        writers.map(async (memory, writer) => {
          await memory.saveThread({
            thread: makeThread(`t${writer}`, 'resource-1', at(writer)),
          });
          for (let call = 0; call < 6; call++) {
            const messages = Array.from({ length: 5 }, (_, index) => {
              const n = (call * 5 + index) * 3 + writer;
              return makeMessage(`m-${n}`, 't0', at(1_000 + n));
            });
            await memory.saveMessages({ messages });
          }
        }),
      );
      // Renames start once no message save is running: a save stamps its thread's updatedAt by
      // rewriting the thread record, so a rename of t0 during saves into t0 may be overwritten.
      await Promise.all(
        writers.map((memory, writer) =>
          memory.updateThread({ id: `t${writer}`, title: `renamed ${writer}`, metadata: {} }),
        ),
      );
      const memory = backend.openStore({ keyPrefix }).stores.memory;
      const listed = await memory.listMessages({ threadId: 't0', perPage: false });
      const threads = await memory.listThreads({
        filter: { resourceId: 'resource-1' },
        orderBy: { field: 'createdAt', direction: 'ASC' },
      });
      const requests = backend.server!.requestCount - before;

      expect(ids(listed.messages)).toEqual(Array.from({ length: 90 }, (_, n) => `m-${n}`));
      expect(listed.total).toBe(90);
      expect(ids(threads.threads)).toEqual(['t0', 't1', 't2']);
      expect(threads.threads.map((thread) => thread.title)).toEqual([
        'renamed 0',
        'renamed 1',
        'renamed 2',
      ]);
      const hits = injected.reduce((sum, fault) => sum + fault.hits, 0);
      expect(hits / requests).toBeGreaterThan(0.12);
    },
  );

  it(
    'saveMessages: a spent retry budget fails typed, names the table, keeps no token',
    LONG_TEST,
    async () => {
      const keyPrefix = randomPrefix('rel');
      const memory = backend.openStore({ keyPrefix, rest: { maxRetries: 2 } }).stores.memory;
      await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      backend.server!.faults.add({ status: 503, method: 'PUT' });

      const error = await memory
        .saveMessages({ messages: [makeMessage('m1', 't1', at(1))] })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(MastraError);
      const mastraError = error as MastraError;
      expect(mastraError.id).toBe('CLOUDFLARE_KV_SAVE_MESSAGES_FAILED');
      expect(isCfkvError(mastraError.cause, 'TRANSPORT_FAILED')).toBe(true);
      expect((mastraError.cause as unknown as CfkvError).table).toBe('mastra_messages');
      expect(mastraError.message).toMatch(/3 attempts/);
      expect(mastraError.message).toContain('"m1"');
      expect(mastraError.message).toMatch(/Nothing else was written/);
      expect(mastraError.details).toMatchObject({ code: 'TRANSPORT_FAILED' });
      for (const text of [
        mastraError.message,
        JSON.stringify(mastraError),
        String(mastraError.cause),
      ]) {
        expect(text).not.toContain(API_TOKEN);
      }
      backend.server!.faults.clear();
      const keys = await backend.rawKeys(keyPrefix);
      expect(keys.filter((key) => /:m1(:|$)/.test(key))).toEqual([]);
    },
  );

  it('saveMessages: a save that failed half-way can be retried safely', LONG_TEST, async () => {
    const keyPrefix = randomPrefix('rel');
    const memory = backend.openStore({ keyPrefix, rest: { maxRetries: 1 } }).stores.memory;
    await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
    const messages = [1, 2, 3].map((n) => makeMessage(`m${n}`, 't1', at(n)));
    // The first bulk write (the records) goes through; every later one fails.
    backend.server!.faults.add({
      status: 500,
      method: 'PUT',
      path: BULK_WRITE_PATH,
      nth: 2,
      times: 1_000,
    });

    await expect(memory.saveMessages({ messages })).rejects.toBeInstanceOf(MastraError);
    backend.server!.faults.clear();
    await memory.saveMessages({ messages });

    const listed = await memory.listMessages({ threadId: 't1' });
    expect(ids(listed.messages)).toEqual(['m1', 'm2', 'm3']);
    const keys = await backend.rawKeys(keyPrefix);
    expect(keys.filter((key) => key.includes(':thread-order:'))).toHaveLength(6);
  });

  it(
    'saveMessages: a failure after the records were written says what was written',
    LONG_TEST,
    async () => {
      const keyPrefix = randomPrefix('rel');
      const memory = backend.openStore({ keyPrefix, rest: { maxRetries: 1 } }).stores.memory;
      await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      backend.server!.faults.add({
        status: 503,
        method: 'PUT',
        path: BULK_WRITE_PATH,
        nth: 2,
        times: 1_000,
      });

      const error = await memory
        .saveMessages({ messages: [makeMessage('m1', 't1', at(1))] })
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(MastraError);
      const keys = await backend.rawKeys(keyPrefix);
      expect(keys.filter((key) => key.includes(':record:m1'))).toHaveLength(1);
      // The messages are stored, but the call failed: the error must tell the caller what was
      // written, so the caller knows a retry is needed and safe.
      expect((error as MastraError).message).toMatch(/written/i);
      expect((error as MastraError).message).toContain('"m1"');
    },
  );

  it(
    'saveThread: a write stored before the connection dropped is not doubled on retry',
    LONG_TEST,
    async () => {
      const keyPrefix = randomPrefix('rel');
      const memory = backend.openStore({ keyPrefix }).stores.memory;
      backend.server!.faults.add({
        dropConnection: true,
        method: 'PUT',
        afterHandling: true,
        times: 3,
      });

      await memory.saveThread({ thread: makeThread('t1', 'resource-1', at(0)) });
      backend.server!.faults.clear();

      const listed = await memory.listThreads({ filter: { resourceId: 'resource-1' } });
      expect(ids(listed.threads)).toEqual(['t1']);
      expect(listed.total).toBe(1);
      const keys = await backend.rawKeys(keyPrefix);
      expect(keys.filter((key) => key.includes(':threads-by-'))).toHaveLength(4);
    },
  );
});
