import { RevisionConflictError } from '@atomflow/engine';
import type { FlowDefinition } from '@atomflow/model';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { InvalidRunChangeError, RunExistsError, StoreQueryError } from './errors.js';
import { openDatabase, type OpenedPglite } from './open.js';
import { Events, Flows } from './schema.js';
import { pgliteRunner, type SqlRunner } from './runner.js';
import { COMMIT, COMMIT_MANY } from './statements.js';
import { DbStore } from './store.js';
import { atom, atomEvent, newRun, storeContract } from './store.contract.js';

// One in-memory PGlite for the whole file: starting one takes seconds.
let opened: OpenedPglite;
beforeAll(async () => {
  opened = await openDatabase({ dataDir: 'memory://' });
});
afterAll(async () => {
  await opened?.close();
});

storeContract('PGlite', () => opened.store);
// The same database through the generic runner (no prepared statements), as `new DbStore(db)` gives.
storeContract('PGlite, plain drizzle runner', () => (generic ??= new DbStore(opened.db)));
let generic: DbStore | undefined;

describe('DbStore specifics (PGlite)', () => {
  it('saveRevision keeps the flows row pointing at the newest revision and its name', async () => {
    const flowId = `flow-${Date.now()}`;
    const def = (revision: number, name: string): FlowDefinition => ({
      id: flowId,
      revision,
      name,
      root: { kind: 'linear', name: 'root', children: [], edges: [] },
    });
    await opened.store.saveRevision(def(2, 'two'));
    await opened.store.saveRevision(def(1, 'one'));
    let [row] = await opened.db.select().from(Flows).where(eq(Flows.id, flowId));
    expect(row).toMatchObject({ latestRevision: 2, name: 'two' });
    await opened.store.saveRevision(def(3, 'three'));
    await expect(
      opened.store.saveRevision(def(4, 'four')).then(() => opened.store.saveRevision({ ...def(4, 'four'), description: 'x' })),
    ).rejects.toBeInstanceOf(RevisionConflictError);
    [row] = await opened.db.select().from(Flows).where(eq(Flows.id, flowId));
    expect(row).toMatchObject({ latestRevision: 4, name: 'four' });
  });

  it('a refused commit is a StoreQueryError with the SQLSTATE and without the statement', async () => {
    const run = newRun();
    await opened.store.createRun(run);
    const error = await opened.store
      .commit(run.id, { atoms: [atom('a', { attempts: -1 })], events: [atomEvent('a', 'PENDING', 'RUNNING')] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(StoreQueryError);
    expect((error as StoreQueryError).code).toBe('23514');
    expect((error as StoreQueryError).message).toMatch(/^commit to run .* failed: .*atom_details_attempts_check/);
    expect((error as StoreQueryError).message).not.toMatch(/insert into/);
  });

  it('refuses malformed changes before touching the database', async () => {
    const run = newRun();
    await opened.store.createRun(run);
    await expect(opened.store.createRun(run)).rejects.toBeInstanceOf(RunExistsError);
    const other = newRun();
    await expect(
      opened.store.commit(run.id, { timers: { set: [{ runId: other.id, atom: 'a', wakeAt: '2100-01-01T00:00:00.000Z' }] }, events: [] }),
    ).rejects.toBeInstanceOf(InvalidRunChangeError);
    await expect(opened.store.commit(run.id, { atoms: [atom('a', { state: 'DONE' as never })], events: [] })).rejects.toBeInstanceOf(
      InvalidRunChangeError,
    );
    await expect(opened.store.commit(run.id, { flow: { state: 'DONE' as never }, events: [] })).rejects.toBeInstanceOf(
      InvalidRunChangeError,
    );
    await expect(opened.store.createRun(newRun({ atoms: [atom('a', { intention: 'MAYBE' as never })] }))).rejects.toBeInstanceOf(
      InvalidRunChangeError,
    );
    expect((await opened.store.loadRun(run.id))!.lastSeq).toBe(0);
  });

  it('large runs and commits are not limited by the number of statement parameters', async () => {
    const atoms = Array.from({ length: 5000 }, (_, i) => atom(`n${i}`, { inputs: { i } }));
    const run = newRun({ atoms });
    await opened.store.createRun(run);
    const step = Array.from({ length: 100 }, (_, i) => atom(`n${i}`, { state: 'SUCCESS', attempts: 1, result: { i } }));
    const events = await opened.store.commit(run.id, {
      atoms: step,
      events: step.map((a) => atomEvent(a.name, 'RUNNING', 'SUCCESS', { i: 1 })),
    });
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const loaded = (await opened.store.loadRun(run.id))!;
    expect(loaded.atoms.length).toBe(5000);
    expect(loaded.atoms.filter((a) => a.state === 'SUCCESS').length).toBe(100);
  });

  it('events record the lease holder whose fenced commit wrote them (NULL when unfenced)', async () => {
    const run = newRun();
    await opened.store.createRun(run);
    await opened.store.commit(run.id, { events: [atomEvent('a', 'PENDING', 'RUNNING')] });
    const owner = `w-${run.id}`;
    const claimed = await opened.store.claimRuns(owner, 60_000, 1_000_000);
    try {
      expect(claimed).toContain(run.id);
      await opened.store.commit(run.id, { events: [atomEvent('a', 'RUNNING', 'SUCCESS')] }, { owner });
    } finally {
      for (const id of claimed) await opened.store.releaseRun(id, owner);
    }
    const rows = await opened.db
      .select({ seq: Events.seq, owner: Events.owner })
      .from(Events)
      .where(eq(Events.runId, run.id))
      .orderBy(Events.seq);
    expect(rows).toEqual([
      { seq: 1, owner: null },
      { seq: 2, owner },
    ]);
  });

  it('commits arriving while one is in flight go out together as one statement', async () => {
    const sent: string[] = [];
    const inner = pgliteRunner(opened.db.$client);
    const runner: SqlRunner = {
      run: (statement, values) => {
        sent.push(statement.name);
        return inner.run(statement, values);
      },
    };
    const store = new DbStore(opened.db, { runner });
    const runs = Array.from({ length: 10 }, () => newRun());
    for (const r of runs) await store.createRun(r);
    sent.length = 0;
    const events = await Promise.all(runs.map((r) => store.commit(r.id, { events: [atomEvent('a', 'PENDING', 'RUNNING')] })));
    expect(events.map((e) => e.map((x) => [x.runId, x.seq]))).toEqual(runs.map((r) => [[r.id, 1]]));
    // the first alone (nothing was in flight), the nine that queued behind it as one
    expect(sent).toEqual([COMMIT.name, COMMIT_MANY.name]);
  });

  it("recovers when the session's prepared statements were discarded", async () => {
    const run = newRun();
    await opened.store.createRun(run);
    await opened.store.commit(run.id, { events: [atomEvent('a', 'PENDING', 'RUNNING')] });
    await opened.db.$client.exec('deallocate all');
    expect((await opened.store.commit(run.id, { events: [atomEvent('a', 'RUNNING', 'SUCCESS')] })).map((e) => e.seq)).toEqual([2]);
  });
});
