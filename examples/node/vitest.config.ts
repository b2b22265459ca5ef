import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every turn runs the agent and several KV REST calls, so one flow takes seconds.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
