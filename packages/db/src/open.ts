import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite, type PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';

import { DbAuthStore } from './auth-store.js';
import { lockDataDir } from './dir-lock.js';
import { MIGRATIONS_FOLDER, MIGRATION_LOCK_KEY } from './migrations.js';
import { discardTemplate, hasDatabase, pgliteTemplate } from './pglite-template.js';
import { pgliteRunner, poolRunner } from './runner.js';
import { schema, type Schema } from './schema.js';
import { DbStore } from './store.js';

interface CommonConfig {
  /** Where the drizzle-kit migrations are; defaults to the package's drizzle/ folder. */
  readonly migrationsFolder?: string;
}

/** Embedded PostgreSQL (PGlite) in a data directory; `memory://` keeps it in memory (tests). */
export interface PgliteConfig extends CommonConfig {
  readonly dataDir: string;
  /**
   * Start a new database from the cached, migrated template (pglite-template.ts) instead of
   * running initdb and the migrations: about a second instead of several. Default true, unless
   * the environment says ATOMFLOW_PGLITE_TEMPLATE=off.
   */
  readonly template?: boolean;
}

/** A PostgreSQL server, shared by several processes. */
export interface PostgresConfig extends CommonConfig {
  readonly url: string;
  /** Connections in the pool (default 10, pg's default). */
  readonly maxConnections?: number;
}

export type DatabaseConfig = PgliteConfig | PostgresConfig;

interface OpenedCommon {
  readonly store: DbStore;
  /** Users and sessions of the web app, on the same database. */
  readonly auth: DbAuthStore;
  /** Closes the store and its client; safe to call more than once. */
  close(): Promise<void>;
}

export interface OpenedPglite extends OpenedCommon {
  readonly kind: 'pglite';
  readonly db: PgliteDatabase<Schema> & { $client: PGlite };
}

export interface OpenedPostgres extends OpenedCommon {
  readonly kind: 'postgres';
  readonly db: NodePgDatabase<Schema> & { $client: pg.Pool };
}

export type OpenedDatabase = OpenedPglite | OpenedPostgres;

/**
 * Opens the database and brings its schema up to date (drizzle migrations, applied once).
 * `{ dataDir }` needs no set-up at all: the directory is created on first use.
 */
export function openDatabase(config: PgliteConfig): Promise<OpenedPglite>;
export function openDatabase(config: PostgresConfig): Promise<OpenedPostgres>;
export function openDatabase(config: DatabaseConfig): Promise<OpenedDatabase>;
export function openDatabase(config: DatabaseConfig): Promise<OpenedDatabase> {
  return 'url' in config ? openPostgres(config) : openPglite(config);
}

const isMemory = (dataDir: string): boolean => dataDir.startsWith('memory://');

async function openPglite(config: PgliteConfig): Promise<OpenedPglite> {
  const migrationsFolder = config.migrationsFolder ?? MIGRATIONS_FOLDER;
  let release = (): void => {};
  if (!isMemory(config.dataDir)) {
    mkdirSync(config.dataDir, { recursive: true });
    release = lockDataDir(config.dataDir);
  }
  let client: PGlite | undefined;
  try {
    client = await createPglite(config.dataDir, config.template ?? process.env['ATOMFLOW_PGLITE_TEMPLATE'] !== 'off', migrationsFolder);
    const db = drizzlePglite({ client, schema });
    // a no-op on a database made from the current template; brings older directories up to date
    await migratePglite(db, { migrationsFolder });
    const pglite = client;
    const store = new DbStore(db, {
      runner: pgliteRunner(pglite),
      onClose: async () => {
        try {
          await pglite.close();
        } finally {
          release();
        }
      },
    });
    return { kind: 'pglite', db, store, auth: new DbAuthStore(db), close: () => store.close() };
  } catch (e) {
    await client?.close().catch(() => undefined);
    release();
    throw e;
  }
}

/** A new database starts from the template when there is one; an existing one is just opened. */
async function createPglite(dataDir: string, useTemplate: boolean, migrationsFolder: string): Promise<PGlite> {
  const fresh = isMemory(dataDir) || !hasDatabase(dataDir);
  const template = fresh && useTemplate ? await pgliteTemplate(migrationsFolder) : undefined;
  if (!template) return PGlite.create({ dataDir });
  const before = isMemory(dataDir) ? [] : readdirSync(dataDir);
  try {
    return await PGlite.create({ dataDir, loadDataDir: template });
  } catch {
    // A template that does not load (corrupt, or from an incompatible PGlite): forget it, undo
    // what the attempt wrote, and initialise from scratch.
    discardTemplate(migrationsFolder);
    if (!isMemory(dataDir))
      for (const name of readdirSync(dataDir)) if (!before.includes(name)) rmSync(join(dataDir, name), { recursive: true, force: true });
    return PGlite.create({ dataDir });
  }
}

async function openPostgres(config: PostgresConfig): Promise<OpenedPostgres> {
  const pool = new pg.Pool({
    connectionString: config.url,
    // Timestamps are read as text and parsed as ISO: pin the output format (options in the URL win).
    options: '-c DateStyle=ISO -c TimeZone=UTC',
    ...(config.maxConnections ? { max: config.maxConnections } : {}),
  });
  // An idle connection that breaks (server restart) emits 'error' on the pool; unhandled, that
  // would crash the process. The pool drops the client and the next query connects again.
  pool.on('error', () => undefined);
  try {
    const db = drizzlePg({ client: pool, schema });
    await withAdvisoryLock(pool, () => migratePg(db, { migrationsFolder: config.migrationsFolder ?? MIGRATIONS_FOLDER }));
    const store = new DbStore(db, { runner: poolRunner(pool), onClose: () => pool.end() });
    return { kind: 'postgres', db, store, auth: new DbAuthStore(db), close: () => store.close() };
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
}

/**
 * Several processes starting at once on one PostgreSQL would race to create drizzle's
 * migrations table and apply the same migration; the lock (held on its own connection) queues them.
 */
async function withAdvisoryLock<T>(pool: pg.Pool, fn: () => Promise<T>): Promise<T> {
  const conn = await pool.connect();
  try {
    await conn.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await fn();
    } finally {
      await conn.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    conn.release();
  }
}
