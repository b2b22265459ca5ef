import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

/** Runs test/workerd inside workerd, where the namespaces are real KV bindings of the runtime. */
export default defineConfig({
  plugins: [
    cloudflareTest({
      miniflare: {
        compatibilityDate: '2026-07-30',
        compatibilityFlags: ['nodejs_compat'],
        kvNamespaces: ['THREADS', 'CONTRACT'],
      },
    }),
  ],
  test: {
    include: ['test/workerd/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
