import { CfkvError, isCfkvError } from '@cfkv/core';
import { startLocalKvServer, type LocalKvServer } from '@cfkv/rest-local';
import { randomPrefix } from '@cfkv/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareStore, STORE_TABLES, type RestStoreOptions } from '../src/index.js';
import { MAX_NAMESPACE_TITLE_BYTES } from '../src/store-options.js';
import { at, makeThread } from './contract/store-fixture.js';

const API_TOKEN = 'cfkv-store-config-token';
const MAX_TABLE_NAME_BYTES = Math.max(...STORE_TABLES.map((table) => Buffer.byteLength(table)));

function thrownBy(construct: () => unknown): unknown {
  try {
    construct();
  } catch (caught) {
    return caught;
  }
  return undefined;
}

describe('rest: store configuration', () => {
  let server: LocalKvServer;

  beforeAll(async () => {
    server = await startLocalKvServer({ apiToken: API_TOKEN });
  });
  afterAll(async () => {
    await server.close();
  });

  function restOptions(overrides: Partial<RestStoreOptions> = {}): RestStoreOptions {
    return {
      accountId: server.accountId,
      apiToken: API_TOKEN,
      baseUrl: server.baseUrl,
      namespacePrefix: randomPrefix('ns'),
      ...overrides,
    };
  }

  it('constructor: a 600-byte namespacePrefix names the option and limit', () => {
    const error = thrownBy(
      () => new CloudflareStore(restOptions({ namespacePrefix: 'n'.repeat(600) })),
    );

    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as CfkvError).field).toBe('namespacePrefix');
    expect((error as CfkvError).limit).toBe(MAX_NAMESPACE_TITLE_BYTES - MAX_TABLE_NAME_BYTES);
    expect((error as CfkvError).actual).toBe(600);
    expect((error as CfkvError).message).not.toContain(API_TOKEN);
  });

  it('saveThread: the longest allowed namespacePrefix works', async () => {
    const namespacePrefix = randomPrefix('ns').padEnd(
      MAX_NAMESPACE_TITLE_BYTES - MAX_TABLE_NAME_BYTES,
      'n',
    );
    const memory = new CloudflareStore(restOptions({ namespacePrefix })).stores.memory;

    await memory.saveThread({ thread: makeThread('t1', 'r1', at(0)) });

    expect((await memory.getThreadById({ threadId: 't1' }))?.resourceId).toBe('r1');
  });

  it('constructor: a namespacePrefix that is not a string is rejected', () => {
    const error = thrownBy(
      () => new CloudflareStore(restOptions({ namespacePrefix: 42 as never })),
    );

    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as CfkvError).field).toBe('namespacePrefix');
  });

  it('constructor: bindings undefined next to REST options uses REST', async () => {
    const options = { ...restOptions(), bindings: undefined };
    const store = new CloudflareStore(options as RestStoreOptions);

    await store.stores.memory.saveThread({ thread: makeThread('t1', 'r1', at(0)) });

    expect(store.transport.name).toBe('rest');
  });

  it('dangerouslyClearAll: clears every table over REST', async () => {
    const store = new CloudflareStore(restOptions({ keyPrefix: randomPrefix('cfg') }));
    await store.stores.memory.saveThread({ thread: makeThread('t1', 'r1', at(0)) });

    await store.dangerouslyClearAll();

    expect(await store.stores.memory.getThreadById({ threadId: 't1' })).toBeNull();
  });
});
