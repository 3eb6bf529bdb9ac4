import { defineConfig } from 'vitest/config';

// graphql must resolve to one module instance, or type-graphql and Apollo see two copies.
const alias = { graphql: 'graphql/index.js' };

// Every PostgreSQL a test starts (the run's own, and those of platform processes it spawns) is
// tuned for 512 MB rather than the whole machine: many run side by side.
process.env.EMBEDDED_PG_MEMORY_MB ??= '512';

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-postgres.ts'],
          setupFiles: ['reflect-metadata'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/global-postgres.ts'],
          setupFiles: ['reflect-metadata'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
