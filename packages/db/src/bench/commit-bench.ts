/**
 * Commit throughput of the durable store on PGlite:
 *   (a) one atom transition + one event per commit (a linear flow: one atom per step),
 *   (b) 100 atom snapshots + 100 events per commit (a wide graph: one scheduling step),
 * next to the cost of a bare one-UPDATE transaction on the same database, the floor.
 *
 *   node packages/db/dist/bench/commit-bench.js [--memory] [--seconds N]
 *
 * By default it writes a temporary data directory (as the server does); --memory keeps PGlite in
 * memory. Prints one line per case and a JSON summary last.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import type { AtomDetail, NewRunEvent } from '@atomflow/model';

import { openDatabase, type OpenedPglite } from '../open.js';

interface CaseResult {
  readonly case: string;
  readonly commits: number;
  readonly seconds: number;
  readonly commitsPerSecond: number;
  readonly transitionsPerSecond: number;
  readonly msPerCommit: number;
}

const { values } = parseArgs({ options: { memory: { type: 'boolean', default: false }, seconds: { type: 'string', default: '3' } } });
const seconds = Number(values.seconds);
if (!Number.isFinite(seconds) || seconds <= 0) throw new RangeError('--seconds must be a positive number');

const atom = (name: string, attempts: number): AtomDetail => ({
  name,
  type: 'test.echo',
  version: 1,
  kind: 'task',
  state: attempts % 2 === 0 ? 'RUNNING' : 'SUCCESS',
  intention: 'EXECUTE',
  attempts,
  result: { value: attempts, name },
  startedAt: new Date().toISOString(),
});
const event = (name: string, i: number): NewRunEvent => ({
  kind: 'atom',
  atom: name,
  from: 'PENDING',
  to: 'RUNNING',
  data: i % 2 ? { result: i } : null,
});

/** Runs `step` repeatedly for the time budget (after a short warm-up) and measures. */
async function measure(name: string, transitionsPerCommit: number, step: (i: number) => Promise<unknown>): Promise<CaseResult> {
  let i = 0;
  while (i < 20) await step(i++); // warm-up: plans, caches, the first pages
  let commits = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  while (performance.now() < deadline) {
    await step(i++);
    commits++;
  }
  const elapsed = (performance.now() - start) / 1000;
  const result = {
    case: name,
    commits,
    seconds: round(elapsed),
    commitsPerSecond: round(commits / elapsed),
    transitionsPerSecond: round((commits * transitionsPerCommit) / elapsed),
    msPerCommit: round((elapsed * 1000) / commits, 3),
  };
  console.log(
    `${name.padEnd(34)} ${String(result.commitsPerSecond).padStart(9)} commits/s  ${String(result.transitionsPerSecond).padStart(9)} transitions/s  ${result.msPerCommit} ms/commit`,
  );
  return result;
}

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

async function newRunWithAtoms(opened: OpenedPglite, id: string, count: number): Promise<void> {
  await opened.store.createRun({
    id,
    logbookId: 'bench',
    flowId: 'bench',
    revision: 1,
    rootName: 'root',
    inputs: {},
    meta: {},
    atoms: Array.from({ length: count }, (_, i) => ({ ...atom(`a${i}`, 0), state: 'PENDING' as const })),
  });
}

async function main(): Promise<void> {
  const dir = values.memory ? undefined : mkdtempSync(join(tmpdir(), 'atomflow-bench-'));
  const opened = await openDatabase({ dataDir: dir ? join(dir, 'db') : 'memory://' });
  console.log(`PGlite ${dir ? `data directory ${dir}` : 'in memory'}, ${seconds} s per case`);
  try {
    const results: CaseResult[] = [];
    const client = opened.db.$client;
    await newRunWithAtoms(opened, 'raw', 0);
    results.push(
      await measure('bare transaction (1 UPDATE)', 1, () =>
        client.transaction(async (tx) => {
          await tx.query('update runs set last_seq = last_seq + 1 where id = $1', ['raw']);
        }),
      ),
    );

    await newRunWithAtoms(opened, 'linear', 1);
    results.push(
      await measure('(a) 1 atom + 1 event per commit', 1, (i) =>
        opened.store.commit('linear', { atoms: [atom('a0', i)], events: [event('a0', i)] }),
      ),
    );

    const wide = 100;
    await newRunWithAtoms(opened, 'wide', wide);
    const names = Array.from({ length: wide }, (_, k) => `a${k}`);
    results.push(
      await measure(`(b) ${wide} atoms + ${wide} events per commit`, wide, (i) =>
        opened.store.commit('wide', { atoms: names.map((n) => atom(n, i)), events: names.map((n) => event(n, i)) }),
      ),
    );
    console.log(JSON.stringify({ storage: dir ? 'dataDir' : 'memory', results }));
  } finally {
    await opened.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
