import { createRequire } from 'node:module';
import { createMiniflareKv, randomPrefix, type MiniflareKv } from '@cfkv/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as BindingModule from '../src/index.js';

// The built files are what users install; a path that tsc does not follow keeps typecheck
// independent of the build.
const distUrl = new URL('../dist/', import.meta.url);

describe('binding: built package', () => {
  let kv: MiniflareKv;
  beforeAll(async () => {
    kv = await createMiniflareKv(['smoke']);
  });
  afterAll(() => kv.dispose());

  it('import: ESM build writes and reads through a binding', async () => {
    const esm = (await import(new URL('index.js', distUrl).href)) as typeof BindingModule;
    const transport = new esm.BindingTransport({ namespaces: kv.namespaces });
    const key = `${randomPrefix()}esm`;

    await transport.put('smoke', key, 'from esm');

    expect(await transport.get('smoke', key)).toBe('from esm');
  });

  it('require: CJS build writes and reads through a binding', async () => {
    const require = createRequire(import.meta.url);
    const cjs = require(new URL('index.cjs', distUrl).pathname) as typeof BindingModule;
    const transport = new cjs.BindingTransport({ namespaces: kv.namespaces });
    const key = `${randomPrefix()}cjs`;

    await transport.put('smoke', key, 'from cjs');

    expect(await transport.get('smoke', key)).toBe('from cjs');
    expect(cjs.DEFAULT_MAX_CONCURRENCY).toBe(6);
  });
});
