import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readMigrationFiles } from 'drizzle-orm/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MIGRATIONS_FOLDER } from './migrations.js';
import { openDatabase } from './open.js';
import { templatePath } from './pglite-template.js';
import { newRun } from './store.contract.js';

let root: string;
let cache: string;
const previousCache = process.env['ATOMFLOW_CACHE_DIR'];
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'atomflow-template-'));
  cache = join(root, 'cache');
  // this file's own cache: the first open below must build the template
  process.env['ATOMFLOW_CACHE_DIR'] = cache;
});
afterAll(() => {
  if (previousCache === undefined) delete process.env['ATOMFLOW_CACHE_DIR'];
  else process.env['ATOMFLOW_CACHE_DIR'] = previousCache;
  rmSync(root, { recursive: true, force: true });
});

const migrationCount = (): number => readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).length;

async function appliedMigrations(dataDir: string): Promise<number> {
  const db = await openDatabase({ dataDir });
  try {
    const { rows } = await db.db.$client.query<{ n: number }>('select count(*)::int as n from drizzle.__drizzle_migrations');
    return rows[0]!.n;
  } finally {
    await db.close();
  }
}

// each test initialises at least one database from scratch (seconds each on a busy machine)
describe('new PGlite databases start from a migrated template', { timeout: 120_000 }, () => {
  it('the first new database builds the template; later ones start from it, each with its own data', async () => {
    const tpl = templatePath(MIGRATIONS_FOLDER, cache);
    expect(existsSync(tpl)).toBe(false);
    const first = await openDatabase({ dataDir: join(root, 'one') });
    const run = newRun();
    try {
      expect(existsSync(tpl)).toBe(true);
      await first.store.createRun(run);
    } finally {
      await first.close();
    }
    expect(readdirSync(cache)).toEqual([tpl.slice(cache.length + 1)]); // no temporary files left
    const second = await openDatabase({ dataDir: join(root, 'two') });
    try {
      expect(await second.store.loadRun(run.id)).toBeUndefined();
      await second.store.createRun(newRun());
    } finally {
      await second.close();
    }
    expect(await appliedMigrations(join(root, 'two'))).toBe(migrationCount());
    // in memory as well
    const memory = await openDatabase({ dataDir: 'memory://' });
    try {
      expect((await memory.store.listRuns()).length).toBe(0);
    } finally {
      await memory.close();
    }
    // an existing database is opened as it is, never replaced
    const reopened = await openDatabase({ dataDir: join(root, 'one') });
    try {
      expect((await reopened.store.loadRun(run.id))?.flow.id).toBe(run.id);
    } finally {
      await reopened.close();
    }
  });

  it('databases opened at once with no template yet all work, and one template remains', async () => {
    const own = join(root, 'cache-race');
    process.env['ATOMFLOW_CACHE_DIR'] = own;
    try {
      const dbs = await Promise.all(['r1', 'r2'].map((d) => openDatabase({ dataDir: join(root, d) })));
      await Promise.all(dbs.map((d) => d.store.createRun(newRun())));
      await Promise.all(dbs.map((d) => d.close()));
      expect(readdirSync(own)).toEqual([templatePath(MIGRATIONS_FOLDER, own).slice(own.length + 1)]);
    } finally {
      process.env['ATOMFLOW_CACHE_DIR'] = cache;
    }
  });

  it('a template that does not load is discarded and the database initialised from scratch', async () => {
    const tpl = templatePath(MIGRATIONS_FOLDER, cache);
    writeFileSync(tpl, 'not a tarball');
    const dir = join(root, 'after-corrupt');
    const db = await openDatabase({ dataDir: dir });
    try {
      await db.store.createRun(newRun());
    } finally {
      await db.close();
    }
    expect(existsSync(tpl)).toBe(false);
    expect(await appliedMigrations(dir)).toBe(migrationCount());
  });

  it('another set of migrations has another template', () => {
    const older = join(root, 'older-migrations');
    cpSync(MIGRATIONS_FOLDER, older, { recursive: true });
    const journal = join(older, 'meta', '_journal.json');
    const parsed = JSON.parse(readFileSync(journal, 'utf8')) as { entries: unknown[] };
    parsed.entries.pop();
    writeFileSync(journal, JSON.stringify(parsed));
    expect(templatePath(older, cache)).not.toBe(templatePath(MIGRATIONS_FOLDER, cache));
    expect(templatePath(MIGRATIONS_FOLDER, cache)).toBe(templatePath(MIGRATIONS_FOLDER, cache));
  });

  it('template: false initialises without it (as ATOMFLOW_PGLITE_TEMPLATE=off does)', async () => {
    const own = join(root, 'cache-unused');
    process.env['ATOMFLOW_CACHE_DIR'] = own;
    try {
      const db = await openDatabase({ dataDir: 'memory://', template: false });
      await db.close();
      expect(existsSync(own)).toBe(false);
    } finally {
      process.env['ATOMFLOW_CACHE_DIR'] = cache;
    }
  });
});
