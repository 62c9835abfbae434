import { AtomRegistry, Engine, Worker, type AnyAtomDefinition } from '@atomflow/engine';
import { parseFlowDefinitionOrThrow } from '@atomflow/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase, type OpenedPostgres } from './open.js';
import { startPostgresCluster, type PostgresCluster } from './testing/pg-cluster.js';

/*
 * The database goes away while a worker executes a run (the PostgreSQL server is stopped, then
 * started again): the run's commit fails and the executor stops; the worker backs off instead of
 * retrying in a tight loop, and finishes the run once the server is back.
 */

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

const sleepAtom: AnyAtomDefinition = {
  type: 'sleep',
  version: 1,
  execute: (_inputs, ctx) => new Promise((r) => setTimeout(() => r(ctx.atom), ctx.config['ms'] as number)),
};
const registry = new AtomRegistry([sleepAtom]);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('a worker when PostgreSQL goes away', () => {
  it('backs off while the server is down and finishes the run once it is back', async () => {
    const def = parseFlowDefinitionOrThrow({
      id: 'outage',
      root: {
        kind: 'linear',
        name: 'root',
        children: [
          { name: 'long', type: 'sleep', config: { ms: 400 } },
          { name: 'after', type: 'sleep', config: { ms: 1 } },
        ],
      },
    });
    const owner = 'outage-worker';
    const engine = new Engine({ store: opened.store, registry, owner });
    const errors: { at: number; context: string }[] = [];
    const worker = new Worker({
      engine,
      store: opened.store,
      owner,
      pollMs: 20,
      leaseTtlMs: 1_000,
      backoffMs: 200,
      maxBackoffMs: 1_000,
      onError: (_e, context) => errors.push({ at: Date.now(), context }),
    });
    const run = await engine.createRun(def);
    worker.start();
    try {
      const startedLong = Date.now() + 10_000;
      while (!(await opened.store.events(run.id)).some((e) => e.atom === 'long' && e.to === 'RUNNING')) {
        if (Date.now() > startedLong) throw new Error('the run did not start');
        await sleep(10);
      }
      await cluster.halt();
      const downAt = Date.now();
      await sleep(3_000);
      const polls = errors.filter((e) => e.at >= downAt && e.context.startsWith('poll')).length;
      // a 20 ms poll without backoff would have failed ~150 times
      expect(polls).toBeGreaterThan(0);
      expect(polls).toBeLessThanOrEqual(12);
      // the run's commit failed with the server gone: the executor stopped and the run was deferred
      expect(errors.some((e) => e.context.startsWith(`run ${run.id} (failed 1 time in a row here`))).toBe(true);
      await cluster.restart();
      const deadline = Date.now() + 15_000;
      while ((await opened.store.loadRun(run.id).catch(() => undefined))?.flow.state !== 'SUCCESS') {
        if (Date.now() > deadline) throw new Error('the run did not finish after the server came back');
        await sleep(50);
      }
    } finally {
      await cluster.restart();
      await worker.stop();
    }
    const events = await opened.store.events(run.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    for (const atom of ['long', 'after']) expect(events.filter((e) => e.atom === atom && e.to === 'SUCCESS')).toHaveLength(1);
  }, 60_000);
});
