import { isCfkvError } from '@cfkv/core';
import { randomPrefix } from '@cfkv/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RestTransport } from '../src/index.js';
import { FAST_RETRIES, startLocalRest, type LocalRest } from './support/local-rest.js';

const TABLE = 'retries';
const VALUE_PATH = /\/values\//;

describe('rest: retries', () => {
  let local: LocalRest;
  let transport: RestTransport;
  beforeAll(async () => {
    local = await startLocalRest();
    transport = local.createTransport(FAST_RETRIES);
    await transport.init([TABLE]);
  });
  afterEach(() => local.server.faults.clear());
  afterAll(() => local.close());

  /** Writes a key, then returns it with the attempts of the next get of it. */
  async function getWithFault(fault: Parameters<LocalRest['server']['faults']['add']>[0]) {
    const key = `${randomPrefix()}k`;
    await transport.put(TABLE, key, 'stored');
    local.server.faults.add({ method: 'GET', path: VALUE_PATH, ...fault });
    const before = local.requests.length;

    const value = await transport.get(TABLE, key);

    return { value, attempts: local.requests.slice(before) };
  }

  it('get: retries a 429 with Retry-After, then succeeds', async () => {
    const { value, attempts } = await getWithFault({
      status: 429,
      retryAfterSeconds: 1,
      times: 1,
    });

    expect(value).toBe('stored');
    expect(attempts.map((event) => event.status)).toEqual([429, 200]);
  });

  it('get: retries a 503, then succeeds', async () => {
    const { value, attempts } = await getWithFault({ status: 503, times: 1 });

    expect(value).toBe('stored');
    expect(attempts.map((event) => event.status)).toEqual([503, 200]);
  });

  it('get: retries an attempt past timeoutMs, then succeeds', async () => {
    const slow = local.createTransport({ ...FAST_RETRIES, timeoutMs: 300 });
    const key = `${randomPrefix()}k`;
    await slow.put(TABLE, key, 'stored');
    local.server.faults.add({ method: 'GET', path: VALUE_PATH, delayMs: 1_000, times: 1 });
    const before = local.requests.length;

    const value = await slow.get(TABLE, key);

    expect(value).toBe('stored');
    expect(local.requests.slice(before).map((event) => event.status)).toEqual([undefined, 200]);
  });

  it('get: retries a dropped connection, then succeeds', async () => {
    const { value, attempts } = await getWithFault({ dropConnection: true, times: 1 });

    expect(value).toBe('stored');
    expect(attempts.map((event) => event.status)).toEqual([undefined, 200]);
  });

  it('put: retries a 502 on a multipart write, then stores it', async () => {
    const key = `${randomPrefix()}k`;
    local.server.faults.add({ method: 'PUT', path: VALUE_PATH, status: 502, times: 2 });

    await transport.put(TABLE, key, 'with metadata', { metadata: { kind: 'note' } });

    expect(await transport.getWithMetadata(TABLE, key)).toEqual({
      value: 'with metadata',
      metadata: { kind: 'note' },
    });
  });

  it('get: every request 429 gives RATE_LIMITED after maxRetries', async () => {
    const key = `${randomPrefix()}k`;
    local.server.faults.add({ method: 'GET', path: VALUE_PATH, status: 429 });
    const before = local.requests.length;

    const error = await transport.get(TABLE, key).catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'RATE_LIMITED')).toBe(true);
    expect(error).toMatchObject({ status: 429, cloudflareCode: 971, operation: 'get', key });
    expect(local.requests.slice(before)).toHaveLength(FAST_RETRIES.maxRetries + 1);
  });

  it('get: every request 500 gives TRANSPORT_FAILED with the status', async () => {
    const key = `${randomPrefix()}k`;
    local.server.faults.add({ method: 'GET', path: VALUE_PATH, status: 500 });

    const error = await transport.get(TABLE, key).catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'TRANSPORT_FAILED')).toBe(true);
    expect(error).toMatchObject({ status: 500, table: TABLE, key });
  });

  it('get: a Retry-After past the deadline ends the call at once', async () => {
    const key = `${randomPrefix()}k`;
    local.server.faults.add({
      method: 'GET',
      path: VALUE_PATH,
      status: 429,
      retryAfterSeconds: 60,
    });
    const before = local.requests.length;

    const error = await transport.get(TABLE, key).catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'RATE_LIMITED')).toBe(true);
    expect(local.requests.slice(before)).toHaveLength(1);
  });

  it('get: every attempt past timeoutMs gives TIMED_OUT', async () => {
    const slow = local.createTransport({ ...FAST_RETRIES, timeoutMs: 100, maxRetries: 1 });
    await slow.init([TABLE]);
    local.server.faults.add({ method: 'GET', path: VALUE_PATH, delayMs: 1_000 });

    const error = await slow.get(TABLE, `${randomPrefix()}k`).catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'TIMED_OUT')).toBe(true);
  });

  it('get: a wrong token gives AUTHENTICATION_FAILED without retry', async () => {
    const intruder = local.createTransport({ ...FAST_RETRIES, apiToken: 'wrong-token-0000' });
    const before = local.requests.length;

    const error = await intruder.get(TABLE, 'k').catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'AUTHENTICATION_FAILED')).toBe(true);
    expect(error).toMatchObject({ status: 401, operation: 'listNamespaces' });
    expect(local.requests.slice(before)).toHaveLength(1);
  });

  it('get: a missing key is null, other failures are errors', async () => {
    const key = `${randomPrefix()}missing`;
    expect(await transport.get(TABLE, key)).toBeNull();

    local.server.faults.add({ method: 'GET', path: VALUE_PATH, status: 500 });

    await expect(transport.get(TABLE, key)).rejects.toMatchObject({ code: 'TRANSPORT_FAILED' });
  });
});

describe('rest: response errors', () => {
  let local: LocalRest;
  beforeAll(async () => {
    local = await startLocalRest();
  });
  afterAll(() => local.close());

  /** Builds a transport whose fetch replaces the response to bulk gets after the server served them. */
  function transportAnsweringBulkGet(body: string, status = 200) {
    return local.createTransport({
      ...FAST_RETRIES,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (!String(input).endsWith('/bulk/get')) return response;
        await response.arrayBuffer();
        return new Response(body, { status, headers: { 'content-type': 'application/json' } });
      },
    });
  }

  it('getMany: malformed JSON gives TRANSPORT_FAILED naming the operation', async () => {
    const transport = transportAnsweringBulkGet('{"success": tru');
    const before = local.requests.length;

    const error = await transport.getMany('t', ['a']).catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'TRANSPORT_FAILED')).toBe(true);
    expect(error).toMatchObject({ operation: 'getMany', table: 't', status: 200 });
    expect((error as Error).message).toContain('getMany in t');
    expect(
      local.requests.slice(before).filter((event) => event.operation === 'getMany'),
    ).toHaveLength(1);
  });

  it('getWithMetadata: malformed JSON names the key', async () => {
    const transport = transportAnsweringBulkGet('<html>gateway</html>');

    const error = await transport
      .getWithMetadata('t', 'the-key')
      .catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'TRANSPORT_FAILED')).toBe(true);
    expect(error).toMatchObject({ operation: 'getWithMetadata', key: 'the-key' });
    expect((error as Error).message).toContain('"the-key"');
  });

  it('getMany: a 200 with success false is an error', async () => {
    const envelope = {
      success: false,
      errors: [{ code: 10001, message: 'invalid' }],
      result: null,
    };
    const transport = transportAnsweringBulkGet(JSON.stringify(envelope));

    const error = await transport.getMany('t', ['a']).catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'TRANSPORT_FAILED')).toBe(true);
    expect(error).toMatchObject({ status: 200, cloudflareCode: 10001 });
  });

  it('getMany: a result without values is an error, not all null', async () => {
    const transport = transportAnsweringBulkGet(JSON.stringify({ success: true, result: {} }));

    const error = await transport.getMany('t', ['a']).catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'TRANSPORT_FAILED')).toBe(true);
  });

  it('putMany: unsuccessful keys give PARTIAL_WRITE naming them', async () => {
    const prefix = randomPrefix();
    const keys = ['a', 'b', 'c', 'd'].map((name) => `${prefix}${name}`);
    const transport = local.createTransport({
      ...FAST_RETRIES,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (init?.method !== 'PUT' || !String(input).endsWith('/bulk')) return response;
        await response.arrayBuffer();
        const result = { successful_key_count: 2, unsuccessful_keys: [keys[1], keys[3]] };
        return Response.json({ success: true, errors: [], messages: [], result });
      },
    });

    const error = await transport
      .putMany(
        't',
        keys.map((key) => ({ key, value: 'v' })),
      )
      .catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'PARTIAL_WRITE')).toBe(true);
    expect(error).toMatchObject({
      operation: 'putMany',
      writtenKeys: [keys[0], keys[2]],
      unwrittenKeys: [keys[1], keys[3]],
    });
  });
});

describe('rest: abort', () => {
  let local: LocalRest;
  beforeAll(async () => {
    local = await startLocalRest();
  });
  afterEach(() => local.server.faults.clear());
  afterAll(() => local.close());

  it('get: an already aborted signal sends no request', async () => {
    const controller = new AbortController();
    controller.abort();
    const transport = local.createTransport({ ...FAST_RETRIES, signal: controller.signal });
    const before = local.requests.length;

    const error = await transport.get(TABLE, 'k').catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'ABORTED')).toBe(true);
    expect(local.requests.length).toBe(before);
  });

  it('get: aborting during a slow request gives ABORTED without retry', async () => {
    const controller = new AbortController();
    const transport = local.createTransport({
      ...FAST_RETRIES,
      signal: controller.signal,
      fetch: (input, init) => {
        const response = fetch(input, init);
        if (VALUE_PATH.test(String(input))) controller.abort();
        return response;
      },
    });
    await transport.init([TABLE]);
    local.server.faults.add({ method: 'GET', path: VALUE_PATH, delayMs: 5_000 });
    const before = local.requests.length;

    const error = await transport.get(TABLE, 'k').catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'ABORTED')).toBe(true);
    expect(error).toMatchObject({ operation: 'get', key: 'k' });
    expect(local.requests.slice(before)).toHaveLength(1);
  });

  it('get: aborting during the retry wait gives ABORTED', async () => {
    const controller = new AbortController();
    const transport = local.createTransport({
      ...FAST_RETRIES,
      signal: controller.signal,
      onRequest: (event) => {
        if (event.status === 429) controller.abort();
      },
    });
    await transport.init([TABLE]);
    local.server.faults.add({ method: 'GET', path: VALUE_PATH, status: 429, retryAfterSeconds: 5 });
    const before = local.requests.length;

    const error = await transport.get(TABLE, 'k').catch((caught: unknown) => caught);

    expect(isCfkvError(error, 'ABORTED')).toBe(true);
    expect(local.requests.slice(before)).toHaveLength(1);
  });
});
