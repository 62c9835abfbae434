import { createRegistry } from '@atomflow/atoms';
import { Engine, isWorkStore, Worker, workerId } from '@atomflow/engine';

import { UsageError } from './errors.js';
import type { CliIO } from './io.js';

export interface WorkerCommandOptions {
  readonly db?: string;
  readonly url?: string;
  readonly capacity?: number;
  readonly leaseTtlMs?: number;
  readonly pollMs?: number;
  readonly holdTimersUpToMs?: number;
  /** Where URL paths in atom configs point (the atoms' `ctx.baseUrl`). */
  readonly baseUrl?: string;
}

/**
 * `atomflow worker`: claims and executes runs until SIGTERM/SIGINT, then stops gracefully
 * (atoms in flight finish and are recorded, leases are given back). SIGKILL loses nothing that
 * was committed: the leases expire and another worker takes the runs over.
 */
export async function workerCommand(o: WorkerCommandOptions, io: CliIO, stopSignal: Promise<string>): Promise<number> {
  if (o.db === undefined && o.url === undefined) throw new UsageError('worker needs a durable store: --db DIR or --database-url URL');
  if (o.db !== undefined && o.url !== undefined) throw new UsageError('give either --db or --database-url, not both');
  const { openDatabase } = await import('@atomflow/db');
  const database = await openDatabase(o.db !== undefined ? { dataDir: o.db } : { url: o.url! });
  try {
    const store = database.store;
    if (!isWorkStore(store)) throw new UsageError('this store cannot share runs between workers');
    const owner = workerId();
    const engine = new Engine({
      store,
      registry: createRegistry(),
      owner,
      holdTimersUpToMs: o.holdTimersUpToMs ?? 5_000,
      ...(o.baseUrl !== undefined ? { baseUrl: o.baseUrl } : {}),
    });
    const worker = new Worker({
      engine,
      store,
      owner,
      ...(o.capacity !== undefined ? { capacity: o.capacity } : {}),
      ...(o.leaseTtlMs !== undefined ? { leaseTtlMs: o.leaseTtlMs } : {}),
      ...(o.pollMs !== undefined ? { pollMs: o.pollMs } : {}),
      onError: (e, ctx) => io.err(`atomflow worker ${owner}: ${ctx}: ${e instanceof Error ? e.message : String(e)}`),
    });
    worker.start();
    io.out(JSON.stringify({ worker: owner, started: new Date().toISOString() }));
    const signal = await stopSignal;
    io.err(`atomflow worker ${owner}: ${signal}: finishing atoms in flight, releasing leases`);
    await worker.stop();
    io.out(JSON.stringify({ worker: owner, stopped: new Date().toISOString() }));
    return 0;
  } finally {
    await database.close();
  }
}

/** Resolves with the first of SIGTERM / SIGINT. */
export function processStopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals): void => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(sig);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}
