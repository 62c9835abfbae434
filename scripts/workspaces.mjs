#!/usr/bin/env node
// Runs an npm script in every workspace that defines it, dependencies first (a topological order
// over the @atomflow/* dependencies). Replaces turbo: turbo's platform packages for other OSes are
// missing from the registry this project installs from, which breaks `npm ci`.
//   node scripts/workspaces.mjs build [--quiet]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [script, ...flags] = process.argv.slice(2);
if (!script) {
  console.error('usage: node scripts/workspaces.mjs SCRIPT [--quiet]');
  process.exit(2);
}
const quiet = flags.includes('--quiet');

const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const dirs = [];
for (const pattern of rootPkg.workspaces) {
  if (pattern.endsWith('/*')) {
    const base = pattern.slice(0, -2);
    const { readdirSync } = await import('node:fs');
    if (!existsSync(join(root, base))) continue;
    for (const d of readdirSync(join(root, base)).sort()) if (existsSync(join(root, base, d, 'package.json'))) dirs.push(join(base, d));
  } else if (existsSync(join(root, pattern, 'package.json'))) dirs.push(pattern);
}
const pkgs = new Map(dirs.map((dir) => [JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).name, dir]));
const deps = (dir) => {
  const p = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  return Object.keys({ ...p.dependencies, ...p.devDependencies }).filter((d) => pkgs.has(d));
};

const order = [];
const state = new Map();
const visit = (name, trail) => {
  if (state.get(name) === 'done') return;
  if (state.get(name) === 'visiting') throw new Error(`dependency cycle: ${[...trail, name].join(' → ')}`);
  state.set(name, 'visiting');
  for (const d of deps(pkgs.get(name))) visit(d, [...trail, name]);
  state.set(name, 'done');
  order.push(name);
};
for (const name of pkgs.keys()) visit(name, []);

for (const name of order) {
  const dir = pkgs.get(name);
  const p = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
  if (!p.scripts?.[script]) continue;
  const t0 = Date.now();
  const r = spawnSync('npm', ['run', script, '--silent'], { cwd: join(root, dir), stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8' });
  if (r.status !== 0) {
    if (quiet) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    console.error(`${name}: "${script}" failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
  if (!quiet) console.log(`${name}: ${script} ok (${Date.now() - t0} ms)`);
}
