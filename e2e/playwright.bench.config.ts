import base from './playwright.config';

import { defineConfig } from '@playwright/test';

/**
 * `npm run bench:ui`: the browser benchmarks (e2e/bench/*.bench.ts) against the same real built app
 * as the e2e suite. One worker, no retries: they print numbers, and a second browser would steal
 * the CPU they measure.
 */
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: ['specs/auth.setup.ts', 'bench/*.bench.ts'],
  workers: 1,
  retries: 0,
  timeout: 600_000,
  reporter: [['list']],
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    {
      ...base.projects![1]!,
      testMatch: /\.bench\.ts$/,
    },
  ],
});
