import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

const root = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const packages = ['model', 'engine', 'atoms', 'db', 'cli', 'api'];

// Tests import packages from their sources: no build needed to run them. Exact matches, so that
// sub-path entries (`@atomflow/db/testing`) resolve to their own sources.
export default defineConfig({
  resolve: {
    alias: [
      ...packages.map((p) => ({ find: new RegExp(`^@atomflow/${p}$`), replacement: root(`./packages/${p}/src/index.ts`) })),
      { find: /^@atomflow\/(db|engine)\/testing$/, replacement: root('./packages/$1/src/testing/index.ts') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
