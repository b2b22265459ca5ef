import { randomPrefix } from '@cfkv/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestTransportOptions } from '../src/index.js';
import { API_TOKEN, FAST_RETRIES, startLocalRest, type LocalRest } from './support/local-rest.js';

const WRONG_TOKEN = 'cfkv-wrong-token-8d41e07b9c35';
const SECRETS = [API_TOKEN, WRONG_TOKEN];
const TABLE = 'redaction';

/** Collects every string reachable from `value` through own properties (enumerable or not). */
function collectStrings(value: unknown, seen = new Set<unknown>()): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null || seen.has(value)) return [];
  seen.add(value);

  const strings: string[] = [];
  if (value instanceof Error) strings.push(String(value.stack), value.message);
  for (const name of Object.getOwnPropertyNames(value)) {
    strings.push(name, ...collectStrings((value as Record<string, unknown>)[name], seen));
  }
  return strings;
}

describe('rest: token redaction', () => {
  let local: LocalRest;
  const errors: unknown[] = [];
  beforeAll(async () => {
    local = await startLocalRest();
  });
  afterAll(() => local.close());

  async function collectFailure(
    run: (options: Partial<RestTransportOptions>) => Promise<unknown>,
    options: Partial<RestTransportOptions> = {},
  ): Promise<void> {
    const error = await run({ ...FAST_RETRIES, ...options }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error, 'the call should have failed').toBeInstanceOf(Error);
    errors.push(error);
  }

  it('errors: no failure mode exposes the token', async () => {
    const key = `${randomPrefix()}k`;
    const create = (options: Partial<RestTransportOptions>) => local.createTransport(options);

    await collectFailure((options) => create(options).get(TABLE, key), { apiToken: WRONG_TOKEN });

    local.server.faults.add({ status: 500, method: 'GET', path: /\/values\// });
    await collectFailure((options) => create(options).get(TABLE, key));
    local.server.faults.clear();

    local.server.faults.add({ status: 429, method: 'PUT', path: /\/bulk$/ });
    await collectFailure((options) => create(options).putMany(TABLE, [{ key, value: 'v' }]));
    local.server.faults.clear();

    local.server.faults.add({ dropConnection: true, method: 'POST', path: /\/bulk\/get$/ });
    await collectFailure((options) => create(options).getMany(TABLE, [key]));
    local.server.faults.clear();

    local.server.faults.add({ delayMs: 1_000, method: 'DELETE' });
    await collectFailure((options) => create(options).delete(TABLE, key), {
      timeoutMs: 50,
      maxRetries: 1,
    });
    local.server.faults.clear();

    // A fetch that puts the request headers into its error, as a careless wrapper might.
    await collectFailure((options) => create(options).list(TABLE), {
      fetch: (_input, init) => {
        const headers = JSON.stringify(init?.headers);
        return Promise.reject(Object.assign(new Error(`request failed: ${headers}`), { init }));
      },
    });

    // A server that echoes the Authorization header in its error message.
    await collectFailure((options) => create(options).get(TABLE, key), {
      fetch: (_input, init) => {
        const authorization = (init?.headers as Record<string, string>).authorization;
        const envelope = { success: false, errors: [{ code: 10001, message: authorization }] };
        return Promise.resolve(Response.json(envelope, { status: 400 }));
      },
    });

    const controller = new AbortController();
    controller.abort(new Error(`aborted with ${API_TOKEN}`));
    await collectFailure((options) => create(options).get(TABLE, key), {
      signal: controller.signal,
    });

    expect(errors).toHaveLength(8);
    for (const error of errors) {
      const strings = collectStrings(error);
      for (const secret of SECRETS) {
        expect(
          strings.filter((text) => text.includes(secret)),
          String(error),
        ).toEqual([]);
      }
    }
  });

  it('onRequest: events hold no token', async () => {
    const events: unknown[] = [];
    const transport = local.createTransport({ onRequest: (event) => events.push(event) });

    await transport.put(TABLE, `${randomPrefix()}k`, 'v');

    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain(API_TOKEN);
  });
});
