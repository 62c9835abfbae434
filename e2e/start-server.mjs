#!/usr/bin/env node
// Playwright's webServer: builds the app (unless E2E_NO_BUILD=1, when the caller just built it)
// and starts the real server (apps/server + the built apps/web) on E2E_PORT with a fresh data dir.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (process.env.E2E_NO_BUILD !== '1') {
  const r = spawnSync('node', ['scripts/workspaces.mjs', 'build', '--quiet'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const server = spawn('node', ['apps/server/dist/main.js'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, HOST: '127.0.0.1', PORT: process.env.E2E_PORT },
});
const stop = (signal) => server.kill(signal);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
server.on('exit', (code) => process.exit(code ?? 0));
