import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createStorage,
  DEFAULT_NAMESPACE_PREFIX,
  readStorageSettings,
  type ServiceStorage,
} from '../src/storage.js';
import { createTestIsolation, type TestIsolation } from './test-service.js';

describe('rest-local: storage settings', () => {
  it('readStorageSettings: uses credentials when both are set', () => {
    const settings = readStorageSettings({
      CLOUDFLARE_ACCOUNT_ID: 'account',
      CLOUDFLARE_API_TOKEN: 'token',
    });

    expect(settings.cloudflare).toEqual({ accountId: 'account', apiToken: 'token' });
  });

  it.each([
    { CLOUDFLARE_ACCOUNT_ID: 'account' },
    { CLOUDFLARE_API_TOKEN: 'token' },
    { CLOUDFLARE_ACCOUNT_ID: 'account', CLOUDFLARE_API_TOKEN: '  ' },
  ])('readStorageSettings: falls back to local with %o', (env) => {
    expect(readStorageSettings(env).cloudflare).toBeUndefined();
  });

  it('readStorageSettings: defaults the namespace prefix', () => {
    const settings = readStorageSettings({});

    expect(settings.namespacePrefix).toBe(DEFAULT_NAMESPACE_PREFIX);
    expect(settings.keyPrefix).toBeUndefined();
    expect(settings.persistDir).toBeUndefined();
  });

  it('readStorageSettings: reads prefixes and folder', () => {
    const settings = readStorageSettings({
      CFKV_NAMESPACE_PREFIX: 'team_',
      CFKV_KEY_PREFIX: 'staging:',
      CFKV_PERSIST_DIR: '/tmp/kv',
    });

    expect(settings.namespacePrefix).toBe('team_');
    expect(settings.keyPrefix).toBe('staging:');
    expect(settings.persistDir).toBe('/tmp/kv');
  });
});

describe('rest-local: storage', () => {
  let isolation: TestIsolation;
  let storage: ServiceStorage;
  const lines: string[] = [];

  beforeAll(async () => {
    isolation = createTestIsolation();
    storage = await createStorage({
      persistDir: isolation.persistDir,
      keyPrefix: isolation.keyPrefix,
      log: (line) => lines.push(line),
    });
  });

  afterAll(async () => {
    await storage?.close();
    await isolation?.dispose();
  });

  it('createStorage: first log line names the local URL', () => {
    expect(lines[0]).toMatch(
      /^storage: local KV REST server at http:\/\/127\.0\.0\.1:\d+\/client\/v4/,
    );
    expect(lines[0]).toContain(isolation.persistDir);
  });

  it('createStorage: log lines contain no token', () => {
    // The generated token is 48 hexadecimal characters, and nothing else logged has such a run.
    expect(lines.join('\n')).not.toMatch(/[0-9a-f]{48}/);
  });

  it('createStorage: saves and reads a thread over REST', async () => {
    const memory = await storage.storage.getStore('memory');
    const now = new Date();

    await memory!.saveThread({
      thread: { id: 'thread:1/a', resourceId: 'r', title: 't', createdAt: now, updatedAt: now },
    });
    const thread = await memory!.getThreadById({ threadId: 'thread:1/a' });

    expect(thread?.resourceId).toBe('r');
    expect(thread?.createdAt).toEqual(now);
  });
});
