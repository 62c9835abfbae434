import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { afterAll, describe, expect, it } from 'vitest';

import { DatabaseLockedError } from './errors.js';
import { MIGRATIONS_FOLDER } from './migrations.js';
import { openDatabase } from './open.js';
import { atom, atomEvent, newRun } from './store.contract.js';

const root = mkdtempSync(join(tmpdir(), 'atomflow-db-open-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const TABLES = [
  'atom_details',
  'commands',
  'events',
  'flow_revisions',
  'flows',
  'logbooks',
  'runs',
  'sessions',
  'sub_steps',
  'timers',
  'users',
];

describe('openDatabase (PGlite data directory)', () => {
  it('creates the directory, applies the migrations, and a reopened directory keeps its data', async () => {
    const dataDir = join(root, 'nested', 'db');
    const first = await openDatabase({ dataDir });
    expect(first.kind).toBe('pglite');
    const tables = await first.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(TABLES);
    const run = newRun();
    await first.store.createRun(run);
    await first.store.commit(run.id, {
      atoms: [atom('a', { state: 'SUCCESS', attempts: 1, result: 0 })],
      flow: { state: 'RUNNING' },
      events: [atomEvent('a', 'PENDING', 'RUNNING'), atomEvent('a', 'RUNNING', 'SUCCESS')],
    });
    await first.close();
    await first.close(); // closing twice is harmless

    const second = await openDatabase({ dataDir });
    try {
      const migrations = await second.db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(migrations.rows[0]?.n).toBe(readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).length);
      const loaded = (await second.store.loadRun(run.id))!;
      expect(loaded.flow.state).toBe('RUNNING');
      expect(loaded.lastSeq).toBe(2);
      expect(loaded.atoms.find((a) => a.name === 'a')).toMatchObject({ state: 'SUCCESS', result: 0 });
      expect((await second.store.events(run.id)).map((e) => e.to)).toEqual(['RUNNING', 'SUCCESS']);
      // And the counter continues where it was.
      expect((await second.store.commit(run.id, { events: [atomEvent('b', 'PENDING', 'RUNNING')] }))[0]?.seq).toBe(3);

      // A directory in use is refused rather than corrupted.
      await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DatabaseLockedError);
    } finally {
      await second.close();
    }
    expect(existsSync(join(dataDir, 'atomflow.lock'))).toBe(false);

    // A lock left by a process that died (kill -9) is taken over.
    writeFileSync(join(dataDir, 'atomflow.lock'), '2147483646');
    const third = await openDatabase({ dataDir });
    try {
      expect((await third.store.loadRun(run.id))?.lastSeq).toBe(3);
    } finally {
      await third.close();
    }
  });

  it('reports a missing migrations folder clearly', async () => {
    await expect(openDatabase({ dataDir: 'memory://', migrationsFolder: join(root, 'none') })).rejects.toThrow(/_journal\.json/);
  });
});
