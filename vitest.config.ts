import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // a registry of the throwaway servers tests start, and a check at the end that none is left running
    globalSetup: ['test/support/global-servers.ts'],
    reporters: ['default'],
  },
});
