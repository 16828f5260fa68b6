import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'monitor/**/*.test.ts',
      'detectors/**/*.test.ts',
      'test/**/*.test.ts',
      'bench/**/*.test.ts',
      'alerts/**/*.test.ts',
      'grafana/**/*.test.ts',
      'deploy/**/*.test.ts',
    ],
    // dist/ for the tests that run the CLI as a process.
    globalSetup: ['test/build-cli.global.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Store tests open PGlite instances; two workers match the two cores CI has.
    pool: 'forks',
    maxWorkers: 2,
  },
});
