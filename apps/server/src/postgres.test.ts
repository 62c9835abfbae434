import { createRegistry } from '@atomflow/atoms';
import { openDatabase } from '@atomflow/db';
import { startPostgresCluster, type PostgresCluster } from '@atomflow/db/testing';
import { EventHub } from '@atomflow/api';
import { Engine, Worker, workerId } from '@atomflow/engine';
import { parseFlowDefinitionOrThrow } from '@atomflow/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PgEventBridge } from './fanout/pg-event-bridge.js';
import { RunCatchUp } from './fanout/run-catch-up.js';
import type { RunningServer } from './server.js';
import { spawnServer, type ChildServer } from './testing/child-server.js';
import { collectRun, isRunEnd } from './testing/collect.js';
import { ADMIN_PASSWORD, echoFlow, signedIn, startTestServer, waitFor, waitForRunState, type TestClient } from './testing/harness.js';

/*
 * Two server processes on one PostgreSQL: A (in this process) executes runs with its worker, B
 * (a child process, API only) serves clients. What B's subscribers see of A's runs crossed the
 * process boundary through LISTEN/NOTIFY.
 */
let pg: PostgresCluster;
let a: RunningServer;
let b: ChildServer;
let onA: TestClient;
let onB: TestClient;
// B re-reads the store for live subscribers only every 10 min: what they get live came through
// NOTIFY or B's run watcher (cross-process paths both)
const bEnv = () => ({
  DATABASE_URL: pg.url,
  ATOMFLOW_ADMIN_PASSWORD: ADMIN_PASSWORD,
  ATOMFLOW_WORKER_CAPACITY: '0',
  ATOMFLOW_LIVE_POLL_MS: '600000',
});

beforeAll(async () => {
  pg = await startPostgresCluster();
  a = await startTestServer({ databaseUrl: pg.url, livePollMs: 60_000 });
  b = await spawnServer(bEnv());
  onA = await signedIn(a.url);
  onB = await signedIn(b.url);
  await onA.trpc.flows.create.mutate({ definition: echoFlow('pg-echo') });
}, 120_000);
afterAll(async () => {
  const code = await b?.stop();
  await a?.close();
  await pg?.stop();
  expect(code).toBe(0);
});

const ticking = (id: string, n: number, ms: number) => ({
  id,
  root: {
    kind: 'linear' as const,
    name: 'root',
    children: Array.from({ length: n }, (_, i) => ({ name: `s${i}`, type: 'test.sleep', config: { ms } })),
  },
});

describe('on PostgreSQL, across processes', () => {
  it('a run started through B is executed by A’s worker; B’s subscriber sees every event, in order, live', async () => {
    // the first atom holds the run long enough for the subscription to be live before most commits
    const def = ticking('pg-ticking', 8, 40);
    def.root.children.unshift({ name: 'hold', type: 'test.sleep', config: { ms: 1500 } });
    await onB.trpc.flows.create.mutate({ definition: def });
    const run = await onB.trpc.runs.start.mutate({ flowId: 'pg-ticking' });
    const live = collectRun(onB.trpc, run.id);
    await live.until(isRunEnd(['SUCCESS']));
    live.stop();
    const stored = await onA.trpc.runs.events.query({ runId: run.id });
    expect(live.events).toEqual(stored);
    expect(live.events.length).toBe(2 + 2 * 9);
  }, 60_000);

  it('an operation queued through B is applied by A’s worker (retry from failure)', async () => {
    await onB.trpc.flows.create.mutate({
      definition: {
        id: 'pg-flaky',
        root: { kind: 'linear', name: 'root', children: [{ name: 'f', type: 'test.fail', config: { failTimes: 1, value: 'ok' } }] },
      },
    });
    const run = await onB.trpc.runs.start.mutate({ flowId: 'pg-flaky' });
    await waitForRunState(onB.trpc, run.id, ['FAILURE', 'REVERTED']);
    const { command } = await onB.trpc.runs.operate.mutate({ runId: run.id, op: { type: 'retryFromFailure' } });
    await waitForRunState(onB.trpc, run.id, ['SUCCESS']);
    expect((await onB.trpc.runs.command.query({ id: command.id })).outcome).toMatchObject({ ok: true });
  });

  it('a subscriber of B resumes from its last event id when B restarts mid-run: no gap, no duplicate', async () => {
    await onA.trpc.flows.create.mutate({ definition: ticking('pg-long', 40, 100) });
    const run = await onA.trpc.runs.start.mutate({ flowId: 'pg-long' });
    const live = collectRun(onB.trpc, run.id);
    await live.until((e) => e.seq >= 8);
    // B stops (SIGTERM: its streams end) and comes back on the same port; the session is in the database
    const port = new URL(b.url).port;
    expect(await b.stop()).toBe(0);
    const seenBefore = live.events.length;
    b = await spawnServer({ ...bEnv(), PORT: port });
    await live.until(isRunEnd(['SUCCESS']), 30_000);
    live.stop();
    const stored = await onA.trpc.runs.events.query({ runId: run.id });
    expect(live.events).toEqual(stored);
    expect(seenBefore).toBeLessThan(stored.length);
    expect(live.states.filter((s) => s === 'connecting').length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('the embedded flows/runs queries work on PostgreSQL too (list with cursor)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await onB.trpc.runs.start.mutate({ flowId: 'pg-echo' })).id);
    for (const id of ids) await waitForRunState(onB.trpc, id, ['SUCCESS']);
    const first = await onB.trpc.runs.list.query({ flowId: 'pg-echo', limit: 2 });
    const second = await onB.trpc.runs.list.query({ flowId: 'pg-echo', limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((r) => r.id)).toEqual([...ids].reverse());
    expect((await onB.trpc.flows.list.query({ search: 'pg-echo' })).items[0]?.lastRun?.id).toBe(ids.at(-1));
  });

  // from here on A's worker is stopped: nothing executes the runs created below
  it('a run executed by a worker that does not NOTIFY (an `atomflow worker`) is still seen live by B’s subscriber', async () => {
    await a.worker!.stop();
    const other = await openDatabase({ url: pg.url });
    const owner = workerId('foreign');
    const foreign = new Worker({
      engine: new Engine({ store: other.store, registry: createRegistry(), owner }),
      store: other.store,
      owner,
      pollMs: 50,
    });
    try {
      const def = ticking('pg-foreign', 5, 40);
      def.root.children.unshift({ name: 'hold', type: 'test.sleep', config: { ms: 1000 } });
      await onB.trpc.flows.create.mutate({ definition: def });
      const run = await onB.trpc.runs.start.mutate({ flowId: 'pg-foreign' });
      const live = collectRun(onB.trpc, run.id);
      await waitFor('the subscription to be connected', async () => (live.states.includes('pending') ? true : undefined));
      foreign.start();
      const started = Date.now();
      await live.until(isRunEnd(['SUCCESS']), 20_000);
      live.stop();
      // B re-reads the store only every 10 min and nothing NOTIFYs: its run watcher found these
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(live.events).toEqual(await onA.trpc.runs.events.query({ runId: run.id }));
    } finally {
      await foreign.stop();
      await other.close();
    }
  }, 60_000);

  it('NOTIFY alone carries events committed by one process to another process’s hub, once each', async () => {
    const ends: Array<{ close(): Promise<void> }> = [];
    try {
      // two bridges, as in two processes (no run watcher here: only NOTIFY can deliver)
      const mk = async () => {
        const db = await openDatabase({ url: pg.url });
        const hub = new EventHub();
        const bridge = new PgEventBridge({
          url: pg.url,
          pool: db.db.$client,
          catchUp: new RunCatchUp(db.store, hub, (e) => {
            throw e;
          }),
          onError: (e) => {
            throw e;
          },
        });
        await bridge.start();
        ends.push(bridge, db);
        return { db, hub, bridge };
      };
      const [one, two] = [await mk(), await mk()];
      const got: number[] = [];
      two.hub.subscribe((e) => got.push(e.seq));
      const def = parseFlowDefinitionOrThrow(echoFlow('pg-notify'));
      const run = await new Engine({ store: one.db.store, registry: createRegistry() }).createRun(def);
      for (let i = 0; i < 3; i++) {
        const events = await one.db.store.commit(run.id, {
          events: [
            { kind: 'operation', atom: null, from: null, to: 'note', data: { i } },
            { kind: 'operation', atom: null, from: null, to: 'note', data: { i } },
          ],
        });
        events.forEach((e) => one.bridge.announce(e));
      }
      await waitFor('6 events on the other side', async () => (got.length >= 6 ? true : undefined), 5000);
      await new Promise((r) => setTimeout(r, 200));
      expect(got).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      for (const e of ends.reverse()) await e.close();
    }
  });
});
