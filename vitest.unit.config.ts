import { configDefaults, defineConfig } from 'vitest/config';

// `npm run test:unit`: the edit-test loop's fast subset, on SQLite only: no MariaDB (neither
// NETWATCH_TEST_MYSQL_URL's nor the private strict one), no Chromium, no network namespaces, no
// built server processes. `npm test` runs everything.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'ui/src/**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      'tests/e2e/**',
      // Chromium, nginx, several processes or a private MariaDB
      'tests/nginx*.test.ts',
      'tests/nodes-cluster.test.ts',
      'tests/db-pool.test.ts',
      'tests/container.test.ts',
      // the built server or CLI in a child process
      'tests/process.test.ts',
      'tests/fast-start.test.ts',
      'tests/cli.test.ts',
      'tests/console-output.test.ts',
      'tests/stall.test.ts',
      'tests/descriptor-budget.test.ts',
      'tests/fd-budget.test.ts',
      'tests/metrics.test.ts',
      // network namespaces (ip netns) or packet capture
      'tests/local-ports.test.ts',
      'tests/unreachable.test.ts',
      'tests/wire.test.ts',
      'tests/wire-server.test.ts',
      'tests/wire-filters.test.ts',
    ],
    env: { NETWATCH_TEST_MYSQL_URL: '' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
  },
});
