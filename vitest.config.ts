import { defineConfig } from 'vitest/config';

// One test run for the server (tests/), the UI's unit tests (ui/src) and the browser tests (tests/e2e).
export default defineConfig({
  test: {
    globalSetup: ['tests/global-setup.ts'],
    include: ['tests/**/*.test.ts', 'ui/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
