import type { Engine, Store } from '@atomflow/engine';
import type { AtomDetail, FlowDefinition, NewRunEvent } from '@atomflow/model';

/** One line of the benchmark table. */
export interface Row {
  readonly backend: string;
  readonly workload: string;
  readonly workers: number | string;
  readonly atoms: number;
  readonly seconds: number;
  readonly atomsPerSec: number;
  /** Atoms per CPU second of every process involved: a figure that other load on the machine does not skew. */
  readonly atomsPerCpuSec: number;
  readonly goal: string;
}

export const round = (n: number, digits = 0): number => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Runs executed in this process: `rounds` rounds of `concurrent` runs started together; the
 * total wall time and this process's CPU time (PGlite runs inside it).
 */
export async function inProcess(
  engine: Engine,
  def: FlowDefinition,
  atoms: number,
  concurrent: number,
  rounds: number,
  /** CPU seconds so far of other processes taking part (the PostgreSQL server). */
  otherCpu: () => number = () => 0,
): Promise<{ atoms: number; seconds: number; cpuSeconds: number }> {
  const other0 = otherCpu();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    const outcomes = await Promise.all(Array.from({ length: concurrent }, () => engine.startRun(def)));
    for (const o of outcomes) if (o.state !== 'SUCCESS') throw new Error(`bench run ${o.runId} ended ${o.state}`);
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6 + otherCpu() - other0;
  return { atoms: atoms * concurrent * rounds, seconds: (performance.now() - t0) / 1000, cpuSeconds };
}

/** p50 / p99 of single commits (one atom snapshot + one event), one after another. */
export async function commitLatency(store: Store, commits: number): Promise<{ p50: number; p99: number }> {
  const runId = `bench-latency-${Date.now()}`;
  const atom = (i: number): AtomDetail => ({
    name: 'a',
    type: 'test.echo',
    version: 1,
    kind: 'task',
    state: i % 2 ? 'SUCCESS' : 'RUNNING',
    intention: 'EXECUTE',
    attempts: 1,
    result: i % 2 ? { i } : undefined,
  });
  const event = (i: number): NewRunEvent => ({
    kind: 'atom',
    atom: 'a',
    from: i % 2 ? 'RUNNING' : 'PENDING',
    to: i % 2 ? 'SUCCESS' : 'RUNNING',
    data: null,
  });
  await store.createRun({
    id: runId,
    logbookId: 'bench',
    flowId: 'bench-latency',
    revision: 1,
    rootName: 'root',
    inputs: {},
    meta: {},
    atoms: [atom(0)],
  });
  for (let i = 0; i < 50; i++) await store.commit(runId, { atoms: [atom(i)], events: [event(i)] }); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < commits; i++) {
    const t0 = performance.now();
    await store.commit(runId, { atoms: [atom(i)], events: [event(i)] });
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: round(ms[Math.floor(commits * 0.5)]!, 2), p99: round(ms[Math.floor(commits * 0.99)]!, 2) };
}
