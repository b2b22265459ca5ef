import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

type CoreModule = typeof import('../src/index.js');

const esmUrl = new URL('../dist/index.js', import.meta.url);
const cjsUrl = new URL('../dist/index.cjs', import.meta.url);

/** Exercises a few exports the way an installed package is used. */
function exerciseCore(core: CoreModule): void {
  const keys = new core.KeySchema('app:');
  expect(keys.key('mastra_threads', ['a:b'])).toBe('app%3Amastra_threads:a%3Ab');
  expect(core.encodeScore(-1) < core.encodeScore(1)).toBe(true);
  expect(new core.CfkvError('INVALID_ARGUMENT', 'x').isUserError).toBe(true);
}

describe('dist: package entry points', () => {
  it('import: loads the ESM build', async () => {
    expect(existsSync(esmUrl), 'run `pnpm --filter @cfkv/core build` first').toBe(true);
    exerciseCore((await import(esmUrl.href)) as CoreModule);
  });

  it('require: loads the CommonJS build', () => {
    expect(existsSync(cjsUrl), 'run `pnpm --filter @cfkv/core build` first').toBe(true);
    exerciseCore(createRequire(import.meta.url)(cjsUrl.pathname) as CoreModule);
  });
});
