import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

const src = (pkg: string): string => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Tests import packages from their sources: no build needed to run them.
export default defineConfig({
  resolve: {
    alias: {
      '@atomflow/model': src('model'),
      '@atomflow/engine': src('engine'),
      '@atomflow/atoms': src('atoms'),
      '@atomflow/db': src('db'),
      '@atomflow/cli': src('cli'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
