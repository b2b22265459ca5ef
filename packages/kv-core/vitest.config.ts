import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Starting Miniflare takes about a second, more on a busy machine.
    hookTimeout: 30_000,
    testTimeout: 30_000,
  },
});
