import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { defineConfig, devices } from '@playwright/test';

/** A port nothing listens on now (asked of the OS once; workers inherit it through the environment). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

process.env['E2E_PORT'] ??= String(await freePort());
process.env['E2E_DATA_DIR'] ??= mkdtempSync(join(tmpdir(), 'atomflow-e2e-'));
process.env['E2E_ADMIN_PASSWORD'] ??= 'e2e-admin-password';
const baseURL = `http://127.0.0.1:${process.env['E2E_PORT']}`;
const CI = !!process.env['CI'];

export default defineConfig({
  testDir: './specs',
  outputDir: '../test-results/e2e',
  forbidOnly: CI,
  retries: CI ? 2 : 0,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: CI ? [['list'], ['html', { open: 'never', outputFolder: '../playwright-report' }]] : [['list']],
  use: {
    baseURL,
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
    viewport: { width: 1440, height: 900 },
    // Debian's Chromium: Playwright cannot download browsers here
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        storageState: join(process.env['E2E_DATA_DIR'], 'admin.json'),
      },
      dependencies: ['setup'],
    },
  ],
  webServer: {
    command: 'node start-server.mjs',
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      ATOMFLOW_DATA_DIR: process.env['E2E_DATA_DIR'],
      ATOMFLOW_ADMIN_PASSWORD: process.env['E2E_ADMIN_PASSWORD'],
      E2E_PORT: process.env['E2E_PORT'],
    },
  },
});
