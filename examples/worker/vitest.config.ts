import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The bundle is built once for all test files, with wrangler, before any test runs.
    globalSetup: ['test/build-bundle.global.ts'],
    // Each Worker start loads a 6.7 MiB bundle and each turn runs the agent, so tests take seconds.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
