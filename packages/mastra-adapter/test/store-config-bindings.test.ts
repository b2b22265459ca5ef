import {
  CfkvError,
  collectAllKeys,
  escapeKeyPart,
  isCfkvError,
  type KVNamespaceLike,
} from '@cfkv/core';
import { BindingTransport } from '@cfkv/binding';
import { createMiniflareKv, randomPrefix, type MiniflareKv } from '@cfkv/testing';
import { ErrorCategory, MastraError } from '@mastra/core/error';
import {
  TABLE_MESSAGES,
  TABLE_RESOURCES,
  TABLE_SCORERS,
  TABLE_SPANS,
  TABLE_THREADS,
  TABLE_WORKFLOW_SNAPSHOT,
} from '@mastra/core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareStore, STORE_TABLES } from '../src/index.js';
import { MAX_KEY_PREFIX_BYTES } from '../src/store-options.js';
import { at, makeThread } from './contract/store-fixture.js';

function thrownBy(construct: () => unknown): unknown {
  try {
    construct();
  } catch (caught) {
    return caught;
  }
  return undefined;
}

function rejectionOf(call: () => Promise<unknown>): Promise<unknown> {
  return call().then(
    () => undefined,
    (caught: unknown) => caught,
  );
}

describe('binding: store configuration', () => {
  let kv: MiniflareKv;
  let required: Record<string, KVNamespaceLike>;

  beforeAll(async () => {
    kv = await createMiniflareKv(STORE_TABLES);
    required = {
      [TABLE_THREADS]: kv.namespaces[TABLE_THREADS]!,
      [TABLE_MESSAGES]: kv.namespaces[TABLE_MESSAGES]!,
      [TABLE_RESOURCES]: kv.namespaces[TABLE_RESOURCES]!,
      [TABLE_WORKFLOW_SNAPSHOT]: kv.namespaces[TABLE_WORKFLOW_SNAPSHOT]!,
    };
  });
  afterAll(async () => {
    await kv.dispose();
  });

  async function keysOf(table: string, keyPrefix: string): Promise<string[]> {
    const transport = new BindingTransport({ namespaces: kv.namespaces });
    const listed = await collectAllKeys(transport, table, escapeKeyPart(keyPrefix));
    return listed.map((key) => key.name);
  }

  it('dangerouslyClearAll: clears bound tables without the optional ones', async () => {
    const keyPrefix = randomPrefix('cfg');
    const store = new CloudflareStore({ bindings: required, keyPrefix });
    await store.stores.memory.saveThread({ thread: makeThread('t1', 'r1', at(0)) });

    await store.dangerouslyClearAll();

    expect(await keysOf(TABLE_THREADS, keyPrefix)).toEqual([]);
  });

  it('dangerouslyClearAll: leaves unbound tables untouched', async () => {
    const keyPrefix = randomPrefix('cfg');
    const full = new CloudflareStore({ bindings: kv.namespaces, keyPrefix });
    await full.stores.scores.saveScore(scorePayload());
    const before = await keysOf(TABLE_SCORERS, keyPrefix);

    await new CloudflareStore({ bindings: required, keyPrefix }).dangerouslyClearAll();

    expect(before.length).toBeGreaterThan(0);
    expect(await keysOf(TABLE_SCORERS, keyPrefix)).toEqual(before);
  });

  it('init: succeeds without the optional bindings', async () => {
    const store = new CloudflareStore({ bindings: required });

    await expect(store.init()).resolves.toBeUndefined();
  });

  it('scores: a call without its binding names bindings.mastra_scorers', async () => {
    const scores = new CloudflareStore({ bindings: required }).stores.scores;

    const error = await rejectionOf(() => scores.getScoreById({ id: 's1' }));

    expect(error).toBeInstanceOf(MastraError);
    expect((error as MastraError).category).toBe(ErrorCategory.USER);
    expect(isCfkvError((error as MastraError).cause, 'MISSING_BINDING')).toBe(true);
    expect((error as MastraError).message).toContain('bindings.mastra_scorers');
    expect((error as MastraError).message).toContain('bindings.scorers');
    expect((error as MastraError).message).not.toContain('namespaces.');
  });

  it('scores: dangerouslyClearAll without its binding rejects typed', async () => {
    const scores = new CloudflareStore({ bindings: required }).stores.scores;

    const error = await rejectionOf(() => scores.dangerouslyClearAll());

    expect(isCfkvError((error as MastraError).cause, 'MISSING_BINDING')).toBe(true);
    expect((error as MastraError).message).toContain('bindings.mastra_scorers');
  });

  it('observability: a call without its binding names bindings.mastra_ai_spans', async () => {
    const observability = new CloudflareStore({ bindings: required }).stores.observability;

    const error = await rejectionOf(() => observability.getTrace({ traceId: 'trace1' }));

    expect(error).toBeInstanceOf(MastraError);
    expect((error as MastraError).category).toBe(ErrorCategory.USER);
    expect(isCfkvError((error as MastraError).cause, 'MISSING_BINDING')).toBe(true);
    expect((error as MastraError).message).toContain('bindings.mastra_ai_spans');
    expect((error as MastraError).message).not.toContain('namespaces.');
  });

  it('constructor: an optional binding set to undefined counts as absent', async () => {
    const store = new CloudflareStore({ bindings: { ...required, scorers: undefined as never } });

    const error = await rejectionOf(() => store.stores.scores.getScoreById({ id: 's1' }));

    expect(isCfkvError((error as MastraError).cause, 'MISSING_BINDING')).toBe(true);
    await store.dangerouslyClearAll();
  });

  it('constructor: bindings undefined says the bindings are missing', () => {
    const error = thrownBy(() => new CloudflareStore({ bindings: undefined as never }));

    expect(isCfkvError(error, 'MISSING_BINDING')).toBe(true);
    expect((error as CfkvError).field).toBe('bindings');
    expect((error as CfkvError).message).toContain('bindings is undefined');
    expect((error as CfkvError).message).not.toContain('accountId');
  });

  it('constructor: bindings null says the bindings are missing', () => {
    const error = thrownBy(() => new CloudflareStore({ bindings: null as never }));

    expect(isCfkvError(error, 'MISSING_BINDING')).toBe(true);
    expect((error as CfkvError).field).toBe('bindings');
  });

  it('constructor: bindings that are not an object are rejected', () => {
    for (const bindings of ['THREADS', 42, [required[TABLE_THREADS]]]) {
      const error = thrownBy(() => new CloudflareStore({ bindings: bindings as never }));

      expect(isCfkvError(error, 'INVALID_ARGUMENT'), String(bindings)).toBe(true);
      expect((error as CfkvError).field).toBe('bindings');
    }
  });

  it('constructor: a required binding set to undefined names its key', () => {
    const error = thrownBy(
      () => new CloudflareStore({ bindings: { ...required, [TABLE_THREADS]: undefined as never } }),
    );

    expect(isCfkvError(error, 'MISSING_BINDING')).toBe(true);
    expect((error as CfkvError).message).toContain(`bindings.${TABLE_THREADS} is undefined`);
  });

  it('constructor: a non-KV binding names its bindings key', () => {
    const { [TABLE_THREADS]: _threads, ...others } = required;
    const error = thrownBy(
      () => new CloudflareStore({ bindings: { ...others, threads: {} as KVNamespaceLike } }),
    );

    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as CfkvError).field).toBe('bindings.threads');
    expect((error as CfkvError).message).toContain('bindings.threads is not a KV namespace');
    expect((error as CfkvError).message).not.toContain('namespaces.');
  });

  it('constructor: options undefined are rejected typed', () => {
    const error = thrownBy(() => new CloudflareStore(undefined as never));

    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as CfkvError).field).toBe('options');
  });

  it('constructor: keyPrefix that is not a string is rejected', () => {
    const error = thrownBy(
      () => new CloudflareStore({ bindings: required, keyPrefix: 42 as never }),
    );

    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as CfkvError).field).toBe('keyPrefix');
  });

  it('constructor: a 600-byte keyPrefix names the option and limit', () => {
    const error = thrownBy(
      () => new CloudflareStore({ bindings: required, keyPrefix: 'p'.repeat(600) }),
    );

    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as CfkvError).field).toBe('keyPrefix');
    expect((error as CfkvError).limit).toBe(MAX_KEY_PREFIX_BYTES);
    expect((error as CfkvError).actual).toBe(600);
    expect((error as CfkvError).message).toContain(`at most ${MAX_KEY_PREFIX_BYTES} bytes`);
  });

  it('constructor: keyPrefix is measured as escaped in keys', () => {
    const keyPrefix = ':'.repeat(50);

    const error = thrownBy(() => new CloudflareStore({ bindings: required, keyPrefix }));

    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as CfkvError).actual).toBe(150);
  });

  it(`saveThread: a ${MAX_KEY_PREFIX_BYTES}-byte keyPrefix works`, async () => {
    const keyPrefix = randomPrefix('cfg').replace(':', '-').padEnd(MAX_KEY_PREFIX_BYTES, 'p');
    const memory = new CloudflareStore({ bindings: required, keyPrefix }).stores.memory;

    await memory.saveThread({ thread: makeThread('t'.repeat(200), 'r1', at(0)) });

    expect((await memory.getThreadById({ threadId: 't'.repeat(200) }))?.resourceId).toBe('r1');
  });

  it('constructor: a bad threadTouchIntervalMs is rejected', () => {
    for (const threadTouchIntervalMs of [-1, Number.NaN, '1000']) {
      const error = thrownBy(
        () =>
          new CloudflareStore({
            bindings: required,
            threadTouchIntervalMs: threadTouchIntervalMs as never,
          }),
      );

      expect(isCfkvError(error, 'INVALID_ARGUMENT'), String(threadTouchIntervalMs)).toBe(true);
      expect((error as CfkvError).field).toBe('threadTouchIntervalMs');
    }
  });

  it('constructor: a blank or non-string id is rejected', () => {
    for (const id of ['', '  ', 42]) {
      const error = thrownBy(() => new CloudflareStore({ bindings: required, id: id as never }));

      expect(isCfkvError(error, 'INVALID_ARGUMENT'), String(id)).toBe(true);
      expect((error as CfkvError).field).toBe('id');
    }
  });

  it('constructor: transport null is rejected typed', () => {
    const error = thrownBy(() => new CloudflareStore({ transport: null as never }));

    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as CfkvError).field).toBe('transport');
  });

  it('constructor: spans alias binds the observability table', async () => {
    const store = new CloudflareStore({
      bindings: { ...required, traces: kv.namespaces[TABLE_SPANS]! },
    });

    expect(await store.stores.observability.getTrace({ traceId: 'missing' })).toBeNull();
  });
});

function scorePayload() {
  return {
    scorerId: 'scorer1',
    entityId: 'entity1',
    runId: 'run1',
    score: 0.5,
    source: 'LIVE',
    entityType: 'AGENT',
    entity: { id: 'entity1' },
    scorer: { id: 'scorer1' },
    input: {},
    output: {},
  } as never;
}
