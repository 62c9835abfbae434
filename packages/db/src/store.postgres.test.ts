import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import pg from 'pg';

import { MIGRATIONS_FOLDER } from './migrations.js';
import { openDatabase, type OpenedPostgres } from './open.js';
import { atom, atomEvent, newRun, storeContract } from './store.contract.js';
import { startPostgresCluster, type PostgresCluster } from './testing/pg-cluster.js';

let cluster: PostgresCluster;
let opened: OpenedPostgres;
beforeAll(async () => {
  cluster = await startPostgresCluster();
  opened = await openDatabase({ url: cluster.url });
});
afterAll(async () => {
  await opened?.close();
  await cluster?.stop();
});

storeContract('PostgreSQL', () => opened.store);

describe('DbStore on PostgreSQL, several processes', () => {
  it('concurrent commits to one run from two connection pools never duplicate or skip a seq', async () => {
    const other = await openDatabase({ url: cluster.url });
    try {
      const run = newRun();
      await opened.store.createRun(run);
      const stores = [opened.store, other.store];
      const perWorker = 40;
      // Two "processes", each with several commits in flight, each commit 1–3 events.
      const results = await Promise.all(
        stores.flatMap((store, w) =>
          Array.from({ length: perWorker }, (_, i) => {
            const name = `w${w}-${i}`;
            const events = Array.from({ length: 1 + (i % 3) }, (_, k) => atomEvent(name, 'S' + k, 'S' + (k + 1)));
            return store.commit(run.id, { atoms: [atom(name, { state: 'SUCCESS', result: i })], events });
          }),
        ),
      );
      const total = results.reduce((n, evs) => n + evs.length, 0);
      const seqs = results
        .flat()
        .map((e) => e.seq)
        .sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      for (const evs of results) evs.forEach((e, k) => expect(e.seq).toBe(evs[0]!.seq + k));
      const stored = await other.store.events(run.id);
      expect(stored.map((e) => e.seq)).toEqual(seqs);
      // Each commit's events are stored under the seqs it was told, with its own atom.
      const told = new Map(results.flat().map((e) => [e.seq, e]));
      for (const e of stored) expect(e).toEqual(told.get(e.seq));
      const loaded = (await opened.store.loadRun(run.id))!;
      expect(loaded.lastSeq).toBe(total);
      expect(loaded.atoms.length).toBe(2 + 2 * perWorker);
    } finally {
      await other.close();
    }
  });

  it('workers claiming from two connection pools at once never lease a run twice', async () => {
    const other = await openDatabase({ url: cluster.url });
    const owners = ['p1', 'p2', 'p3', 'p4'];
    const batches: string[][] = [];
    try {
      for (let i = 0; i < 40; i++) await opened.store.createRun(newRun());
      const stores = [opened.store, other.store, opened.store, other.store];
      // Several rounds of simultaneous small claims, as polling workers do.
      for (let round = 0; round < 5; round++) {
        batches.push(...(await Promise.all(owners.map((o, i) => stores[i]!.claimRuns(o, 60_000, 3)))));
      }
      const all = batches.flat();
      expect(all.length).toBeGreaterThanOrEqual(40);
      expect(new Set(all).size).toBe(all.length);
    } finally {
      for (const [i, batch] of batches.entries()) for (const id of batch) await opened.store.releaseRun(id, owners[i % owners.length]!);
      await other.close();
    }
  });

  it('processes opening a fresh database at once apply the migrations exactly once', async () => {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    try {
      await admin.query('create database fresh_open');
    } finally {
      await admin.end();
    }
    const url = cluster.url.replace(/\/postgres$/, '/fresh_open');
    const dbs = await Promise.all([openDatabase({ url }), openDatabase({ url }), openDatabase({ url })]);
    try {
      const { rows } = await dbs[0].db.$client.query<{ n: string }>('select count(*) as n from drizzle.__drizzle_migrations');
      expect(Number(rows[0]!.n)).toBe(readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).length);
      const run = newRun();
      await dbs[1].store.createRun(run);
      expect((await dbs[2].store.loadRun(run.id))?.flow.id).toBe(run.id);
    } finally {
      await Promise.all(dbs.map((d) => d.close()));
    }
  });
});
