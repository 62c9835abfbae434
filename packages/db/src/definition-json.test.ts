import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RevisionConflictError } from '@atomflow/engine';
import { parseFlowDefinitionOrThrow, type FlowDefinition } from '@atomflow/model';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MIGRATIONS_FOLDER } from './migrations.js';
import { openDatabase, type OpenedDatabase } from './open.js';
import { startPostgresCluster, type PostgresCluster } from './testing/pg-cluster.js';

/*
 * Migration 0005 turns flow_revisions.definition from jsonb into json (kept as written, keys in
 * their order). A database made before it keeps every revision: only the order jsonb had already
 * lost stays lost. Checked on PGlite and PostgreSQL: a database is opened with the migrations up
 * to 0004, given revisions, then reopened with all of them.
 */

const root = mkdtempSync(join(tmpdir(), 'atomflow-db-json-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the migrations folder as it was before `tag` (its journal cut there). */
function migrationsBefore(tag: string): string {
  const dir = join(root, `migrations-before-${tag}`);
  mkdirSync(join(dir, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === tag);
  expect(cut).toBeGreaterThan(0);
  const entries = journal.entries.slice(0, cut);
  for (const e of entries) copyFileSync(join(MIGRATIONS_FOLDER, `${e.tag}.sql`), join(dir, `${e.tag}.sql`));
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  return dir;
}

const TAG = '0005_flow_definition_json';

function kopfFlow(id: string, revision: number): FlowDefinition {
  return {
    id,
    revision,
    name: `Kopf ${revision}`,
    root: {
      kind: 'linear',
      name: 'root',
      edges: [],
      children: [
        {
          name: 'kopf',
          type: 'test.steps',
          version: 1,
          config: { steps: { zeta: 1, a: 2, mid: 1 }, delayMs: 0 },
          requires: [],
          rebind: {},
          inject: {},
        },
      ],
    },
  };
}

const stepsOf = (d: FlowDefinition | undefined): string[] => {
  const kopf = d?.root.children[0];
  const config = kopf && 'config' in kopf ? (kopf.config as { steps?: object }) : undefined;
  return Object.keys(config?.steps ?? {});
};

const columnType = async (opened: OpenedDatabase): Promise<string | undefined> => {
  const res = await opened.db.execute<{ data_type: string }>(
    sql`select data_type from information_schema.columns where table_name = 'flow_revisions' and column_name = 'definition'`,
  );
  return res.rows[0]?.data_type;
};

/** Opens `open(folder)` before the migration, saves revisions, reopens with all migrations. */
async function migrateKeepsRevisions(open: (migrationsFolder?: string) => Promise<OpenedDatabase>): Promise<void> {
  const old = await open(migrationsBefore(TAG));
  try {
    expect(await columnType(old)).toBe('jsonb');
    await old.store.saveRevision(kopfFlow('before', 1));
    await old.store.saveRevision(kopfFlow('before', 2));
    // jsonb lost the order written (it sorts keys by length, then bytes)
    expect(stepsOf((await old.store.getRevision('before', 1))?.definition)).toEqual(['a', 'mid', 'zeta']);
  } finally {
    await old.close();
  }

  const now = await open();
  try {
    expect(await columnType(now)).toBe('json');
    // every revision is still there, equal to what was saved (in jsonb's order); saving it again as
    // stored (a run started from it) is no conflict, nor with the schema's fields in their order
    // (parsed); with the steps in the order first written it is: this revision runs them in jsonb's
    for (const revision of [1, 2]) {
      const stored = (await now.store.getRevision('before', revision))?.definition;
      expect(stored).toEqual(kopfFlow('before', revision));
      expect(stepsOf(stored)).toEqual(['a', 'mid', 'zeta']);
      await expect(now.store.saveRevision(stored!)).resolves.toMatchObject({ revision });
      await expect(now.store.saveRevision(parseFlowDefinitionOrThrow(stored))).resolves.toMatchObject({ revision });
      await expect(now.store.saveRevision(kopfFlow('before', revision))).rejects.toBeInstanceOf(RevisionConflictError);
    }
    expect((await now.store.latestRevision('before'))?.revision).toBe(2);
    // new revisions keep the order written
    await now.store.saveRevision(kopfFlow('after', 1));
    expect(stepsOf((await now.store.getRevision('after', 1))?.definition)).toEqual(['zeta', 'a', 'mid']);
  } finally {
    await now.close();
  }
}

describe('migration 0005: flow definitions as json', () => {
  it('PGlite: a data directory made before it keeps its revisions, new ones keep their key order', async () => {
    const dataDir = join(root, 'pglite');
    await migrateKeepsRevisions((migrationsFolder) =>
      openDatabase({ dataDir, template: false, ...(migrationsFolder ? { migrationsFolder } : {}) }),
    );
  });

  describe('PostgreSQL', () => {
    let cluster: PostgresCluster;
    beforeAll(async () => {
      cluster = await startPostgresCluster();
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it('a database made before it keeps its revisions, new ones keep their key order', async () => {
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      try {
        await admin.query('create database before_json');
      } finally {
        await admin.end();
      }
      const url = cluster.url.replace(/\/postgres$/, '/before_json');
      await migrateKeepsRevisions((migrationsFolder) => openDatabase({ url, ...(migrationsFolder ? { migrationsFolder } : {}) }));
    });
  });
});
