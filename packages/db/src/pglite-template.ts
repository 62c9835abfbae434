import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate } from 'drizzle-orm/pglite/migrator';

/*
 * A new PGlite database costs an initdb (seconds of WebAssembly) plus the migrations. Every new
 * data directory (and every `memory://` database: tests, the conformance runner) would pay it.
 * Instead, the first one builds a template — an initialised, migrated data directory dumped as a
 * tarball — and every later one starts from it (PGlite's `loadDataDir`).
 *
 * The template is keyed by what determines its content (the PGlite and drizzle-orm versions and
 * the migrations), so a new migration or an upgrade builds a new one. It is written to a temporary
 * name and renamed into place: processes starting together may each build one, but none ever
 * reads a half-written file.
 */

/** Where templates are cached: $ATOMFLOW_CACHE_DIR, else $XDG_CACHE_HOME/atomflow, else ~/.cache/atomflow. */
export function defaultCacheDir(): string {
  const env = process.env['ATOMFLOW_CACHE_DIR'];
  if (env) return env;
  const xdg = process.env['XDG_CACHE_HOME'];
  if (xdg) return join(xdg, 'atomflow');
  try {
    return join(homedir(), '.cache', 'atomflow');
  } catch {
    return join(tmpdir(), 'atomflow-cache');
  }
}

/** Whether a PGlite data directory holds a database (as PGlite itself decides: PG_VERSION). */
export function hasDatabase(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/** The version of an installed package, found from its entry point (its package.json is not exported). */
function packageVersion(specifier: string): string {
  try {
    let dir = dirname(fileURLToPath(import.meta.resolve(specifier)));
    for (let i = 0; i < 5; i++, dir = dirname(dir)) {
      const file = join(dir, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === specifier) return pkg.version ?? 'unknown';
    }
  } catch {
    // unresolvable: the migrations still key the template; a stale one fails to load and is rebuilt
  }
  return 'unknown';
}

/** The template's file for these migrations (it may not exist yet). */
export function templatePath(migrationsFolder: string, cacheDir = defaultCacheDir()): string {
  const hash = createHash('sha256');
  hash.update(`pglite ${packageVersion('@electric-sql/pglite')}\ndrizzle-orm ${packageVersion('drizzle-orm')}\n`);
  for (const m of readMigrationFiles({ migrationsFolder })) hash.update(`${m.folderMillis} ${m.hash}\n`);
  return join(cacheDir, `pglite-template-${hash.digest('hex').slice(0, 20)}.tar`);
}

/**
 * The template tarball for these migrations, built (once) if missing. Undefined when it can be
 * neither read nor built (an unwritable cache): the caller then initialises from scratch.
 */
export async function pgliteTemplate(migrationsFolder: string, cacheDir = defaultCacheDir()): Promise<Blob | undefined> {
  const path = templatePath(migrationsFolder, cacheDir);
  try {
    return new Blob([readFileSync(path)]);
  } catch {
    // not built yet
  }
  try {
    const tar = await buildTemplate(migrationsFolder);
    mkdirSync(cacheDir, { recursive: true });
    const tmp = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
    try {
      writeFileSync(tmp, tar, { flush: true });
      renameSync(tmp, path);
    } finally {
      rmSync(tmp, { force: true });
    }
    removeStaleTemplates(cacheDir, path);
    return new Blob([tar]);
  } catch {
    return undefined;
  }
}

/** Forgets a template that failed to load (corrupt, or from an incompatible PGlite). */
export function discardTemplate(migrationsFolder: string, cacheDir = defaultCacheDir()): void {
  rmSync(templatePath(migrationsFolder, cacheDir), { force: true });
}

async function buildTemplate(migrationsFolder: string): Promise<Uint8Array> {
  const client = await PGlite.create({ dataDir: 'memory://' });
  try {
    await migrate(drizzle({ client }), { migrationsFolder });
    const blob = await client.dumpDataDir('none');
    return new Uint8Array(await blob.arrayBuffer());
  } finally {
    await client.close();
  }
}

/** A template unused this long is removed when another is built (40 MB each). */
const STALE_TEMPLATE_MS = 7 * 24 * 3600_000;

/**
 * Templates of older migrations pile up as the schema evolves. Others may still be in use (two
 * checkouts sharing the cache), so only those untouched for a week are removed.
 */
function removeStaleTemplates(cacheDir: string, keep: string): void {
  try {
    for (const name of readdirSync(cacheDir)) {
      const path = join(cacheDir, name);
      if (path === keep || !name.startsWith('pglite-template-')) continue;
      if (Date.now() - statSync(path).atimeMs > STALE_TEMPLATE_MS && Date.now() - statSync(path).mtimeMs > STALE_TEMPLATE_MS)
        rmSync(path, { force: true });
    }
  } catch {
    // a cache we cannot tidy is still a cache
  }
}
