// Several workers on one PostgreSQL: 3 `atomflow worker` processes share 200 runs; one is killed
// with SIGKILL mid-way. Every run must complete, be executed by one owner at a time (fenced
// commits: events record their owner), and the killed worker's runs must be taken over within
// the lease TTL + 1 s.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { createRegistry } from '@atomflow/atoms';
import { openDatabase, type OpenedPostgres } from '@atomflow/db';
import { startPostgresCluster, type PostgresCluster } from '@atomflow/db/testing';
import { Engine } from '@atomflow/engine';
import { assertAtomTransition, isStoppedFlowState, parseFlowDefinitionOrThrow, type AtomState, type FlowState } from '@atomflow/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
const RUNS = 200;
const WORKERS = 3;
const LEASE_TTL_MS = 2_000;
const CAPACITY = 16;
/** 200 runs arrive over about 10 s. */
const ARRIVALS_PER_TICK = 5;
const ARRIVAL_TICK_MS = 250;
/** The sleeping atoms make a run last about half a second: a few runs in flight per worker. */
const SLEEP_MS = 250;

/**
 * 9 atoms: echo, 3 sleeping in parallel, echo, 3 echoes in parallel, a last sleep. Every atom
 * requires the run's `run` input, so the call log of each execution names its run.
 */
const definition = parseFlowDefinitionOrThrow({
  id: 'multi-worker',
  root: {
    kind: 'linear',
    name: 'root',
    children: [
      { name: 'first', type: 'test.echo', requires: ['run'] },
      {
        kind: 'unordered',
        name: 'fan',
        children: [1, 2, 3].map((i) => ({ name: `s${i}`, type: 'test.sleep', config: { ms: SLEEP_MS }, requires: ['run'] })),
      },
      { name: 'mid', type: 'test.echo', requires: ['run'] },
      { kind: 'unordered', name: 'fan2', children: [1, 2, 3].map((i) => ({ name: `e${i}`, type: 'test.echo', requires: ['run'] })) },
      { name: 'last', type: 'test.sleep', config: { ms: SLEEP_MS }, requires: ['run'] },
    ],
  },
});
const ATOMS = 9;

interface WorkerProcess {
  readonly child: ChildProcess;
  readonly calls: string;
  /** The worker id it leases runs as (printed on start). */
  readonly owner: Promise<string>;
  readonly exited: Promise<void>;
}

let dir: string;
let cluster: PostgresCluster;
let db: OpenedPostgres;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atomflow-multi-'));
  cluster = await startPostgresCluster();
  db = await openDatabase({ url: cluster.url });
});

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
  await db?.close();
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function startWorker(i: number): WorkerProcess {
  const calls = join(dir, `calls-${i}.jsonl`);
  const args = [
    'worker',
    '--database-url',
    cluster.url,
    '--lease-ttl',
    String(LEASE_TTL_MS),
    '--poll-ms',
    '50',
    '--capacity',
    String(CAPACITY),
  ];
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ATOMFLOW_TEST_CALLS: calls },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const owner = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = JSON.parse(line) as { worker?: string; started?: string };
      if (parsed.worker && parsed.started) resolve(parsed.worker);
    });
    child.on('exit', (code, signal) => reject(new Error(`worker ${i} exited before starting: ${code ?? signal}`)));
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // a worker's complaints (lost leases, failed commits) are part of the evidence when this fails
  void exited.then(() => stderr && process.stderr.write(`worker ${i} stderr:\n${stderr}`));
  return { child, calls, owner, exited };
}

/** Map.groupBy arrives in Node 21. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = m.get(k);
    if (list) list.push(item);
    else m.set(k, [item]);
  }
  return m;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function countRuns(state: FlowState): Promise<number> {
  const { rows } = await db.db.$client.query<{ n: number }>('select count(*)::int as n from runs where flow_id = $1 and state = $2', [
    definition.id,
    state,
  ]);
  return rows[0]!.n;
}

interface EventRow {
  run_id: string;
  seq: number;
  kind: string;
  atom: string | null;
  from_state: string | null;
  to_state: string | null;
  owner: string | null;
  at: string;
}

describe('several workers on PostgreSQL', () => {
  it(`${WORKERS} worker processes share ${RUNS} runs; one killed with SIGKILL mid-way`, async () => {
    const engine = new Engine({ store: db.store, registry: createRegistry() });
    const runIds = Array.from({ length: RUNS }, (_, i) => `mw-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < WORKERS; i++) workers.push(startWorker(i));
    const owners = await Promise.all(workers.map((w) => w.owner));
    // Runs arrive as a steady stream (as users start them), below what the workers can do: a
    // survivor needs a free slot to take a dead worker's runs over at once.
    const produced = (async () => {
      for (let i = 0; i < RUNS; i += ARRIVALS_PER_TICK) {
        await Promise.all(
          runIds.slice(i, i + ARRIVALS_PER_TICK).map((id) => engine.createRun(definition, { runId: id, inputs: { run: id } })),
        );
        await sleep(ARRIVAL_TICK_MS);
      }
    })();

    // mid-way: a third of the runs done; kill the worker holding the most unfinished runs
    const started = Date.now();
    while ((await countRuns('SUCCESS')) < RUNS / 3) {
      if (Date.now() - started > 30_000) throw new Error('the workers made no progress');
      await sleep(20);
    }
    const { rows: held } = await db.db.$client.query<{ owner: string; n: number }>(
      `select lease_owner as owner, count(*)::int as n from runs where lease_owner is not null and state not in ('SUCCESS', 'FAILURE', 'REVERTED')
       group by lease_owner order by n desc`,
    );
    const victimOwner = held[0]!.owner;
    const victim = workers[owners.indexOf(victimOwner)]!;
    const killedAt = Date.now();
    victim.child.kill('SIGKILL');
    await victim.exited;
    // Statements it sent before dying may still commit: take the snapshot once they have landed.
    await sleep(100);
    const { rows: orphanRows } = await db.db.$client.query<{ id: string; state: FlowState }>(
      'select id, state from runs where lease_owner = $1',
      [victimOwner],
    );
    const orphans = orphanRows.filter((r) => !isStoppedFlowState(r.state));
    expect(orphans.length).toBeGreaterThan(0);

    await produced;
    const deadline = Date.now() + 45_000;
    while ((await countRuns('SUCCESS')) < RUNS && Date.now() < deadline) await sleep(100);
    for (const w of workers) if (w !== victim) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));

    // ---- every run complete
    const { rows: runs } = await db.db.$client.query<{ id: string; state: string; lease_owner: string | null }>(
      'select id, state, lease_owner from runs where flow_id = $1 order by id',
      [definition.id],
    );
    expect(runs.map((r) => r.state)).toEqual(runIds.map(() => 'SUCCESS'));

    // ---- the events: gap-free, valid transitions, each atom SUCCESS once, one owner at a time
    const { rows: events } = await db.db.$client.query<EventRow>(
      `select run_id, seq::int as seq, kind, atom, from_state, to_state, owner, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at
       from events where run_id like 'mw-%' order by run_id, seq`,
    );
    const byRun = groupBy(events, (e) => e.run_id);
    const orphanIds = new Set(orphans.map((o) => o.id));
    const takeoverMs: number[] = [];
    const ownersOf = new Map<string, string[]>();
    for (const runId of runIds) {
      const evs = byRun.get(runId) ?? [];
      expect(
        evs.map((e) => e.seq),
        runId,
      ).toEqual(evs.map((_, i) => i + 1));
      // every write was fenced by a lease, and owners form contiguous blocks that do not overlap in time
      expect(evs.every((e) => e.owner !== null)).toBe(true);
      const blocks: { owner: string; first: string; last: string }[] = [];
      for (const e of evs) {
        const b = blocks.at(-1);
        if (b?.owner === e.owner) b.last = e.at;
        else blocks.push({ owner: e.owner!, first: e.at, last: e.at });
      }
      for (let i = 1; i < blocks.length; i++) expect(blocks[i]!.first > blocks[i - 1]!.last, `${runId} handover`).toBe(true);
      ownersOf.set(
        runId,
        blocks.map((b) => b.owner),
      );
      if (orphanIds.has(runId)) {
        // the killed worker (if it had written anything), then exactly one other worker
        const others = blocks.filter((b) => b.owner !== victimOwner);
        expect(others.length, runId).toBe(1);
        expect(blocks.findIndex((b) => b.owner !== victimOwner)).toBe(blocks.length - 1);
        takeoverMs.push(Date.parse(others[0]!.first) - killedAt);
      } else {
        expect(blocks.length, `${runId} owners ${blocks.map((b) => b.owner).join(', ')}`).toBe(1);
      }

      const atomEvents = evs.filter((e) => e.kind === 'atom' && e.to_state !== null);
      const byAtom = groupBy(atomEvents, (e) => e.atom!);
      expect(byAtom.size).toBe(ATOMS);
      for (const [atom, list] of byAtom) {
        for (const e of list) assertAtomTransition(atom, e.from_state as AtomState, e.to_state as AtomState);
        expect(list.filter((e) => e.to_state === 'SUCCESS').length, `${runId} ${atom}`).toBe(1);
        expect(list.at(-1)!.to_state).toBe('SUCCESS');
      }
    }

    // ---- the killed worker's runs were taken over within the lease TTL + 1 s of the kill
    expect(takeoverMs.length).toBe(orphans.length);
    expect(Math.max(...takeoverMs)).toBeLessThanOrEqual(LEASE_TTL_MS + 1_000);

    // ---- executions: attributable to the run's owners, never more than the committed starts
    const starts = new Map<string, number>();
    for (const e of events)
      if (e.kind === 'atom' && e.to_state === 'RUNNING')
        starts.set(`${e.run_id}/${e.atom}`, (starts.get(`${e.run_id}/${e.atom}`) ?? 0) + 1);
    const executions = new Map<string, number>();
    workers.forEach((w, i) => {
      if (!existsSync(w.calls)) return;
      for (const line of readFileSync(w.calls, 'utf8').trim().split('\n')) {
        const c = JSON.parse(line) as { atom: string; fn: string; args?: { run?: string } };
        expect(c.fn).toBe('execute');
        const runId = c.args!.run!;
        expect(ownersOf.get(runId), `${runId} executed by worker ${i}`).toContain(owners[i]);
        const key = `${runId}/${c.atom}`;
        executions.set(key, (executions.get(key) ?? 0) + 1);
      }
    });
    expect(executions.size).toBe(RUNS * ATOMS);
    for (const [key, n] of executions) expect(n, key).toBeLessThanOrEqual(starts.get(key) ?? 0);
    // the surviving workers each did a share of the work
    const perWorker = workers.map((w) => (existsSync(w.calls) ? readFileSync(w.calls, 'utf8').trim().split('\n').length : 0));
    for (const [i, n] of perWorker.entries()) expect(n, `worker ${i} executions`).toBeGreaterThan(0);
    console.log(
      `multi-worker: ${orphans.length} runs taken over in ${Math.min(...takeoverMs)}–${Math.max(...takeoverMs)} ms after the kill (TTL ${LEASE_TTL_MS} ms); executions per worker ${perWorker.join(', ')}`,
    );
  }, 90_000);
});
