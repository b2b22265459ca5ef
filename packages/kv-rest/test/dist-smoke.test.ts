import { createRequire } from 'node:module';
import { randomPrefix } from '@cfkv/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as RestModule from '../src/index.js';
import { API_TOKEN, startLocalRest, type LocalRest } from './support/local-rest.js';

// The built files are what users install; a path that tsc does not follow keeps typecheck
// independent of the build.
const distUrl = new URL('../dist/', import.meta.url);

describe('rest: built package', () => {
  let local: LocalRest;
  beforeAll(async () => {
    local = await startLocalRest();
  });
  afterAll(() => local.close());

  function options() {
    return {
      accountId: local.server.accountId,
      apiToken: API_TOKEN,
      baseUrl: local.server.baseUrl,
      namespacePrefix: randomPrefix('ns'),
    };
  }

  it('import: ESM build writes and reads', async () => {
    const esm = (await import(new URL('index.js', distUrl).href)) as typeof RestModule;
    const transport = new esm.RestTransport(options());

    await transport.put('smoke', 'k', 'from esm');

    expect(await transport.get('smoke', 'k')).toBe('from esm');
  });

  it('require: CJS build writes and reads', async () => {
    const require = createRequire(import.meta.url);
    const cjs = require(new URL('index.cjs', distUrl).pathname) as typeof RestModule;
    const transport = new cjs.RestTransport(options());

    await transport.put('smoke', 'k', 'from cjs');

    expect(await transport.get('smoke', 'k')).toBe('from cjs');
    expect(cjs.DEFAULT_BASE_URL).toBe('https://api.cloudflare.com/client/v4');
  });
});
