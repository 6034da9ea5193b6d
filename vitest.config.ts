import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Four projects: pure/server code in Node, extension UI in jsdom with WXT's fake browser,
// PostgreSQL suites (need TEST_DATABASE_URL) and end-to-end tests in real Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['lib/contracts/**/*.test.ts', 'lib/workflow/**/*.test.ts', 'server/**/*.test.ts', 'test/integration/**/*.test.ts', 'examples/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.pg.test.ts', '**/node_modules/**'],
          setupFiles: ['test/setup/fail-on-console-error.ts'],
          testTimeout: 20_000,
        },
      },
      {
        plugins: [WxtVitest()],
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['components/**/*.test.{ts,tsx}', 'lib/extension/**/*.test.{ts,tsx}', 'entrypoints/**/*.test.{ts,tsx}', 'test/dom/**/*.test.{ts,tsx}'],
          setupFiles: ['test/setup/fail-on-console-error.ts', 'test/setup/dom.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'pg',
          environment: 'node',
          include: ['**/*.pg.test.ts'],
          exclude: ['**/node_modules/**'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          // In CI only, a browser test that failed is tried once more (as Playwright's CI default
          // does): a loaded CI machine made two waits time out once in 7,269 tests and nothing
          // landed. It is not hidden: .ci/run names every test that passed only on its second try.
          retry: process.env.CI ? 1 : 0,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
