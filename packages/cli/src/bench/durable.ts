// Durable engine benchmark: atoms/s on PGlite (a data directory, in this process) and on a
// throwaway PostgreSQL cluster (1, 2 and 4 `atomflow worker` processes), and the latency of one
// commit. The atoms are `test.echo` returning a constant: the figures are the engine's and the
// store's costs, not the atoms'.
//
//   node packages/cli/dist/bench/durable.js [--quick] [--skip-postgres] [--window-ms N] [--workers 1,2,4]
//     [--worker-cpu-prof DIR]
//
// Prints a table and a JSON summary last. `npm run bench` runs it after the in-memory bench.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { createRegistry } from '@atomflow/atoms';
import { openDatabase, type OpenedPglite, type OpenedPostgres } from '@atomflow/db';
import { startPostgresCluster, type PostgresCluster } from '@atomflow/db/testing';
import { Engine, type Store } from '@atomflow/engine';
import { graphFlow, linearFlow } from '@atomflow/engine/bench';

import { cpuBetween, cpuSnapshot, postgresPids } from './cpu.js';
import { commitLatency, inProcess, round, type Row } from './measure.js';
import { workerThroughput } from './pg-workers.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
    'window-ms': { type: 'string', default: '4000' },
    /** Profile the worker processes: node's --cpu-prof into this directory. */
    'worker-cpu-prof': { type: 'string' },
    /** Only these worker counts (comma-separated), e.g. 1. */
    workers: { type: 'string', default: '1,2,4' },
  },
});
const quick = values.quick;
const windowMs = Number(values['window-ms']);

const ECHO = { value: 1 };
const linear100 = linearFlow(100, 'test.echo', ECHO);
const graph1000 = graphFlow(1_000, 100, 'test.echo', ECHO);
const registry = createRegistry();
const rows: Row[] = [];
const latencies: { backend: string; p50: number; p99: number }[] = [];
const cpu: Record<string, number>[] = [];

function row(
  backend: string,
  workload: string,
  workers: number | string,
  r: { atoms: number; seconds: number; cpuSeconds: number },
  goal = '',
): void {
  rows.push({
    backend,
    workload,
    workers,
    atoms: r.atoms,
    seconds: round(r.seconds, 2),
    atomsPerSec: round(r.atoms / r.seconds),
    atomsPerCpuSec: round(r.atoms / r.cpuSeconds),
    goal,
  });
}

/** The same in-process figures on either backend: one linear run at a time, 16 at once, the wide graph. */
async function inProcessFigures(backend: string, store: Store, linearGoal: string, otherCpu?: () => number): Promise<void> {
  const engine = new Engine({ store, registry, maxParallel: 100 });
  // warm-up: the JIT (ours and PGlite's WebAssembly tiers), prepared statements, the pages
  await inProcess(engine, linear100, 100, 4, quick ? 2 : 4);
  await inProcess(engine, graph1000, 1_000, 1, quick ? 1 : 2);
  row(
    backend,
    'linear 100, one run at a time',
    'in process',
    await inProcess(engine, linear100, 100, 1, quick ? 5 : 20, otherCpu),
    linearGoal,
  );
  row(backend, 'linear 100, 16 runs at once', 'in process', await inProcess(engine, linear100, 100, 16, quick ? 1 : 3, otherCpu));
  const graphGoal = backend === 'PGlite' ? '≥ 2,000/s' : '';
  row(backend, 'graph 1,000, width 100', 'in process', await inProcess(engine, graph1000, 1_000, 1, quick ? 2 : 5, otherCpu), graphGoal);
  const l = await commitLatency(store, quick ? 200 : 1_000);
  latencies.push({ backend, ...l });
}

async function pglite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atomflow-bench-'));
  let opened: OpenedPglite | undefined;
  try {
    opened = await openDatabase({ dataDir: join(dir, 'db') });
    await inProcessFigures('PGlite', opened.store, '≥ 500/s');
  } finally {
    await opened?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(): Promise<void> {
  let cluster: PostgresCluster | undefined;
  let admin: OpenedPostgres | undefined;
  try {
    cluster = await startPostgresCluster();
    admin = await openDatabase({ url: cluster.url });
    const server = cluster;
    // the server's processes whatever they were when measuring started (connections open lazily)
    let base = cpuSnapshot([]);
    const serverCpu = (): number => {
      const now = cpuSnapshot(postgresPids(join(server.dir, 'data')));
      const used = cpuBetween(base, now);
      base = now;
      return used;
    };
    let total = 0;
    await inProcessFigures('PostgreSQL', admin.store, '', () => (total += serverCpu()));
    const perWorker: number[] = [];
    for (const workers of values.workers.split(',').map(Number)) {
      const r = await workerThroughput(cluster, admin, linear100, 100, {
        workers,
        // a backlog the workers cannot finish within warm-up + window
        runs: quick ? 250 : 500,
        warmupMs: quick ? 1_000 : 1_500,
        windowMs: quick ? 2_000 : windowMs,
        ...(values['worker-cpu-prof'] ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${values['worker-cpu-prof']}`] } : {}),
      });
      perWorker.push(r.atoms / r.seconds);
      cpu.push({
        workers,
        'worker CPU ms/atom': round((r.cpu.workers * 1000) / r.atoms, 3),
        'PostgreSQL CPU ms/atom': round((r.cpu.postgres * 1000) / r.atoms, 3),
        'cores busy': round((r.cpu.workers + r.cpu.postgres) / r.seconds, 2),
      });
      const goal = workers === 4 && perWorker.length === 3 ? `≥ 3× 1 worker (${round(perWorker[2]! / perWorker[0]!, 1)}×)` : '';
      row(
        'PostgreSQL',
        `linear 100, independent runs${r.drained ? ' (backlog ran out)' : ''}`,
        workers,
        { ...r, cpuSeconds: r.cpu.workers + r.cpu.postgres },
        goal,
      );
    }
  } finally {
    await admin?.close();
    await cluster?.stop();
  }
}

await pglite();
if (!values['skip-postgres']) await postgres();

console.log('\ndurable engine (atoms/s of test.echo atoms; workers: `atomflow worker` processes):');
console.table(rows);
console.log('commit latency (one atom snapshot + one event, one commit after another):');
console.table(latencies.map((l) => ({ backend: l.backend, 'p50 ms': l.p50, 'p99 ms': l.p99 })));
if (cpu.length) {
  console.log('where the time goes with worker processes (CPU within the window):');
  console.table(cpu);
}
console.log(JSON.stringify({ rows, latencies, cpu }));
