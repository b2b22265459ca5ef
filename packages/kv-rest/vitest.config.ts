import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each suite starts a local server over Miniflare, which takes a second or more on a busy machine.
    hookTimeout: 30_000,
    testTimeout: 30_000,
  },
});
