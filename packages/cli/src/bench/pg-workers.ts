import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { createRegistry } from '@atomflow/atoms';
import { openDatabase, type OpenedPostgres } from '@atomflow/db';
import type { PostgresCluster } from '@atomflow/db/testing';
import { Engine } from '@atomflow/engine';
import type { FlowDefinition } from '@atomflow/model';

import { cpuBetween, cpuSnapshot, postgresPids } from './cpu.js';
import { round } from './measure.js';

const bin = fileURLToPath(new URL('../bin.js', import.meta.url));

export interface WorkerThroughput {
  readonly atoms: number;
  readonly seconds: number;
  /** The backlog ran out before the window closed: the figure is a lower bound. */
  readonly drained: boolean;
  /** CPU seconds the worker processes and the PostgreSQL server used within the window (Linux). */
  readonly cpu: { readonly workers: number; readonly postgres: number };
}

interface Spawned {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
}

function startWorker(url: string, extraArgs: readonly string[]): Spawned {
  const child = spawn(process.execPath, [...extraArgs, bin, 'worker', '--database-url', url, '--poll-ms', '20'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('"started"')) resolve();
    });
    child.on('exit', (code, signal) => reject(new Error(`bench worker exited: ${code ?? signal}`)));
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => {
    child.on('exit', () => {
      // a worker's complaints explain a bad figure
      if (/failed|error/i.test(stderr)) process.stderr.write(stderr.slice(-2000));
      resolve();
    });
  });
  return { child, ready, exited };
}

/**
 * Steady-state atoms/s of `workers` worker processes sharing a backlog of independent runs on
 * PostgreSQL: after a warm-up, the atoms that reached SUCCESS within a window (by the events'
 * commit times). Each measurement gets a database of its own.
 */
export async function workerThroughput(
  cluster: PostgresCluster,
  /** A connection to the cluster's own database, to create and drop the measurement's. */
  admin: OpenedPostgres,
  def: FlowDefinition,
  atomsPerRun: number,
  o: { workers: number; runs: number; warmupMs: number; windowMs: number; nodeArgs?: readonly string[] },
): Promise<WorkerThroughput> {
  const name = `bench_w${o.workers}_${Date.now()}`;
  await admin.db.$client.query(`create database ${name}`);
  const url = cluster.url.replace(/\/postgres$/, `/${name}`);
  const db = await openDatabase({ url });
  const workers: Spawned[] = [];
  try {
    const engine = new Engine({ store: db.store, registry: createRegistry() });
    for (let i = 0; i < o.runs; i += 20) await Promise.all(Array.from({ length: Math.min(20, o.runs - i) }, () => engine.createRun(def)));
    for (let i = 0; i < o.workers; i++) workers.push(startWorker(url, o.nodeArgs ?? []));
    await Promise.all(workers.map((w) => w.ready));
    await sleep(o.warmupMs);
    // the database's clock, as the events' commit times are
    const clock = async (): Promise<number> =>
      (await db.db.$client.query<{ t: number }>('select extract(epoch from clock_timestamp())::float8 as t')).rows[0]!.t;
    const workerPids = workers.map((w) => w.child.pid!);
    const pgDir = join(cluster.dir, 'data');
    const cpu0 = [cpuSnapshot(workerPids), cpuSnapshot(postgresPids(pgDir))] as const;
    const from = await clock();
    await sleep(o.windowMs);
    const to = await clock();
    const cpu1 = [cpuSnapshot(workerPids), cpuSnapshot(postgresPids(pgDir))] as const;
    const { rows } = await db.db.$client.query<{ n: number; left: number }>(
      `select (select count(*)::int from events where kind = 'atom' and to_state = 'SUCCESS' and at >= to_timestamp($1) and at < to_timestamp($2)) as n,
              (select count(*)::int from runs where state <> 'SUCCESS') as left`,
      [from, to],
    );
    const seconds = to - from;
    return {
      atoms: rows[0]!.n,
      seconds: round(seconds, 2),
      drained: rows[0]!.left === 0,
      cpu: { workers: round(cpuBetween(cpu0[0], cpu1[0]), 2), postgres: round(cpuBetween(cpu0[1], cpu1[1]), 2) },
    };
  } finally {
    // gracefully (a --cpu-prof profile is written on exit), but not for long
    for (const w of workers) w.child.kill('SIGTERM');
    const killer = setTimeout(() => workers.forEach((w) => w.child.kill('SIGKILL')), 10_000);
    await Promise.all(workers.map((w) => w.exited));
    clearTimeout(killer);
    await db.close();
    await admin.db.$client.query(`drop database if exists ${name}`).catch(() => undefined);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
