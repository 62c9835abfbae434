#!/usr/bin/env node
// Runs every conformance case (TaskFlow 5.0's traces) through the built CLI with the call log
// required. Exit 0 when all pass.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const r = spawnSync(
  process.execPath,
  ['conformance/compare.mjs', '--strict-calls', '--timeout', '60', ...process.argv.slice(2), 'conformance/cases', process.execPath, 'packages/cli/dist/bin.js'],
  { cwd: root, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
