import { createRegistry } from '@atomflow/atoms';
import { openDatabase, type OpenedDatabase } from '@atomflow/db';
import { startPostgresCluster, type PostgresCluster } from '@atomflow/db/testing';
import { Engine, isWorkStore } from '@atomflow/engine';
import { parseFlowDefinitionOrThrow } from '@atomflow/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CliIO } from './io.js';
import { main } from './main.js';

let pg: PostgresCluster;
let db: OpenedDatabase;
beforeAll(async () => {
  pg = await startPostgresCluster();
  db = await openDatabase({ url: pg.url });
});
afterAll(async () => {
  await db?.close();
  await pg?.stop();
});

describe('atomflow worker', () => {
  it('executes runs created by others, and on SIGTERM stops gracefully with its leases released', async () => {
    const engine = new Engine({ store: db.store, registry: createRegistry() });
    const def = parseFlowDefinitionOrThrow({
      id: 'w',
      root: { kind: 'linear', name: 'f', children: [{ name: 'a', type: 'test.echo', config: { value: 1 } }] },
    });
    const runs = [await engine.createRun(def), await engine.createRun(def)];
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { out: (l) => out.push(l), err: (l) => err.push(l) };
    let stop!: (s: string) => void;
    const stopped = new Promise<string>((r) => (stop = r));
    const exit = main(['worker', '--database-url', pg.url, '--poll-ms', '20'], io, stopped);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = await Promise.all(runs.map(async (r) => (await db.store.loadRun(r.id))!.flow.state));
      if (states.every((s) => s === 'SUCCESS')) break;
      if (Date.now() > deadline) throw new Error(`runs not done: ${states.join(',')}\n${err.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    stop('SIGTERM');
    expect(await exit).toBe(0);
    expect(JSON.parse(out[0]!)).toHaveProperty('worker');
    expect(JSON.parse(out.at(-1)!)).toHaveProperty('stopped');
    if (!isWorkStore(db.store)) throw new Error('not a work store');
    for (const r of runs) expect(await db.store.leaseOf(r.id)).toBeUndefined();
  }, 60_000);

  it('refuses to start without a durable store or with a bad number', async () => {
    const err: string[] = [];
    const io: CliIO = { out: () => undefined, err: (l) => err.push(l) };
    expect(await main(['worker'], io, new Promise(() => undefined))).toBe(2);
    expect(await main(['worker', '--db', '/tmp/x', '--capacity', '0'], io, new Promise(() => undefined))).toBe(2);
    expect(err.join('\n')).toMatch(/worker needs a durable store[\s\S]*--capacity must be a positive whole number, got "0"/);
  });
});
