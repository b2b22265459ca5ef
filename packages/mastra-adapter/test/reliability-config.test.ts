import { inspect } from 'node:util';
import {
  CfkvError,
  collectAllKeys,
  escapeKeyPart,
  isCfkvError,
  type KVNamespaceLike,
} from '@cfkv/core';
import { randomPrefix } from '@cfkv/testing';
import { MastraError } from '@mastra/core/error';
import { ConsoleLogger } from '@mastra/core/logger';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloudflareStore, STORE_TABLES, type RestStoreOptions } from '../src/index.js';
import { at, makeThread } from './contract/store-fixture.js';
import {
  API_TOKEN,
  FAST_RETRIES,
  startBindingBackend,
  startRestBackend,
  type Backend,
} from './reliability/reliability-fixture.js';

function thrownBy(construct: () => unknown): unknown {
  try {
    construct();
  } catch (caught) {
    return caught;
  }
  return undefined;
}

/** Renders a thrown error in every form a log or a report can show it. */
function renderings(error: unknown): string[] {
  const cause = (error as { cause?: unknown }).cause;
  return [
    String(error),
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
    (error as Error).stack ?? '',
    String(cause),
    inspect(cause, { depth: 10 }),
  ];
}

function captureLogger() {
  const logger = new ConsoleLogger({ level: 'debug' });
  const lines: string[] = [];
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
      lines.push(inspect(args, { depth: 10 }));
    });
  }
  // Mastra hands each component a child logger; the children write to the same capture.
  const withChild = logger as unknown as { child?: () => unknown };
  if (typeof withChild.child === 'function') vi.spyOn(withChild, 'child').mockReturnValue(logger);
  return { logger, lines };
}

describe('binding: configuration', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startBindingBackend();
  });
  afterAll(async () => {
    await backend.dispose();
  });

  it('constructor: a missing required binding names the table', () => {
    const error = thrownBy(() => new CloudflareStore({ bindings: {} }));
    expect(isCfkvError(error, 'MISSING_BINDING')).toBe(true);
    expect((error as CfkvError).table).toBe('mastra_threads');
  });

  it('constructor: an unknown binding name is rejected', () => {
    const namespace = {} as KVNamespaceLike;
    const bindings = Object.fromEntries(STORE_TABLES.map((table) => [table, namespace]));
    const error = thrownBy(
      () => new CloudflareStore({ bindings: { ...bindings, thread: namespace } }),
    );
    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as CfkvError).message).toContain('"thread"');
  });

  it('constructor: rejects a non-KV binding', () => {
    const bindings = Object.fromEntries(
      STORE_TABLES.map((table) => [table, {} as KVNamespaceLike]),
    );
    const error = thrownBy(() => new CloudflareStore({ bindings }));
    expect(isCfkvError(error)).toBe(true);
    expect((error as CfkvError).message).toContain('mastra_threads');
  });

  it('constructor: rejects a keyPrefix of 600 bytes before any write', async () => {
    const base = randomPrefix('rel');
    const error = thrownBy(() => backend.openStore({ keyPrefix: `${base}${'p'.repeat(600)}` }));

    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as CfkvError).field).toBe('keyPrefix');
    const keysUnderBase = await Promise.all(
      STORE_TABLES.map((table) => collectAllKeys(backend.transport, table, escapeKeyPart(base))),
    );
    expect(keysUnderBase.flat()).toEqual([]);
  });
});

describe('rest: configuration and secrets', () => {
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

  function restOptions(overrides: Partial<RestStoreOptions> = {}): RestStoreOptions {
    return {
      accountId: backend.server!.accountId,
      apiToken: API_TOKEN,
      baseUrl: backend.server!.baseUrl,
      namespacePrefix: randomPrefix('ns'),
      keyPrefix: randomPrefix('rel'),
      ...FAST_RETRIES,
      ...overrides,
    };
  }

  it('constructor: a missing account id is rejected without echoing the token', () => {
    const error = thrownBy(() => new CloudflareStore(restOptions({ accountId: '' })));
    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as CfkvError).field).toBe('accountId');
    for (const text of renderings(error)) expect(text).not.toContain(API_TOKEN);
  });

  it('constructor: a blank token is rejected', () => {
    const error = thrownBy(() => new CloudflareStore(restOptions({ apiToken: '  ' })));
    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as CfkvError).field).toBe('apiToken');
  });

  it('getThreadById: a bad token fails at once with AUTHENTICATION_FAILED, token never shown', async () => {
    const badToken = 'cfkv-wrong-token-8c21f0aa';
    const store = new CloudflareStore(restOptions({ apiToken: badToken }));
    const { logger, lines } = captureLogger();
    store.__setLogger(logger);
    const before = backend.server!.requestCount;

    const error = await store.stores.memory
      .getThreadById({ threadId: 't1' })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MastraError);
    expect(isCfkvError((error as MastraError).cause, 'AUTHENTICATION_FAILED')).toBe(true);
    expect(backend.server!.requestCount - before).toBeLessThanOrEqual(2);
    for (const text of [...renderings(error), ...lines]) {
      expect(text).not.toContain(badToken);
      expect(text).not.toContain(API_TOKEN);
    }
  });

  it('getThreadById: a wrong account id fails typed, token never shown', async () => {
    const store = new CloudflareStore(restOptions({ accountId: 'someone-else' }));

    const error = await store.stores.memory
      .getThreadById({ threadId: 't1' })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MastraError);
    expect(isCfkvError((error as MastraError).cause)).toBe(true);
    for (const text of renderings(error)) expect(text).not.toContain(API_TOKEN);
  });

  it('saveThread: an invalid baseUrl fails typed, naming the option', async () => {
    const store = new CloudflareStore(restOptions({ baseUrl: 'not a url' }));

    const error = await store.stores.memory
      .saveThread({ thread: makeThread('t1', 'r1', at(0)) })
      .catch((caught: unknown) => caught);

    expect(isCfkvError((error as MastraError).cause, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as MastraError).details).toMatchObject({ field: 'baseUrl' });
  });

  it('saveThread: a namespacePrefix with separators names working namespaces', async () => {
    const options = restOptions({ namespacePrefix: `${randomPrefix('ns')}a/b:c %2F ` });
    const memory = new CloudflareStore(options).stores.memory;

    await memory.saveThread({ thread: makeThread('t1', 'r1', at(0)) });

    const again = new CloudflareStore({ ...options }).stores.memory;
    expect((await again.getThreadById({ threadId: 't1' }))?.id).toBe('t1');
  });

  it('failures: retries, timeouts and resets never put the token in logs or errors', async () => {
    const store = new CloudflareStore(restOptions({ maxRetries: 2, timeoutMs: 200 }));
    const { logger, lines } = captureLogger();
    store.__setLogger(logger);
    const memory = store.stores.memory;
    const errors: unknown[] = [];

    for (const fault of [
      { status: 500 as const },
      { status: 429 as const, retryAfterSeconds: 0 },
      { dropConnection: true },
      { delayMs: 1_000 },
    ]) {
      backend.server!.faults.clear();
      backend.server!.faults.add(fault);
      errors.push(
        await memory
          .saveThread({ thread: makeThread('t1', 'r1', at(0)) })
          .catch((caught: unknown) => caught),
      );
    }

    expect(errors.every((error) => error instanceof MastraError)).toBe(true);
    expect(lines.length).toBeGreaterThan(0);
    for (const text of [...errors.flatMap(renderings), ...lines]) {
      expect(text).not.toContain(API_TOKEN);
    }
  });
});
