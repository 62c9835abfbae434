import { parseArgs } from 'node:util';

import { createRegistry } from '@atomflow/atoms';
import { Engine, InMemoryStore, isWorkStore, MissingInputsError, RunNotFoundError, type RunOutcome, type Store } from '@atomflow/engine';
import { analyzeFlow, AtomflowError, isStoppedFlowState, ValidationError, type FlowDetail } from '@atomflow/model';

import { UsageError } from './errors.js';
import { processIO, type CliIO } from './io.js';
import { CLI_LEASE_TTL_MS, cliOwner, holdLease } from './lease.js';
import { loadFlowFile, parseInputs } from './load-flow.js';
import { printFinal, safeJson, traceLine } from './trace.js';
import { USAGE } from './usage.js';
import { processStopSignal, workerCommand } from './worker-command.js';

interface Opened {
  readonly store: Store;
  close(): Promise<void>;
}

async function openStore(db: string | undefined, url: string | undefined): Promise<Opened> {
  if (db !== undefined && url !== undefined) throw new UsageError('give either --db or --database-url, not both');
  if (db === undefined && url === undefined) {
    const store = new InMemoryStore();
    return { store, close: () => store.close() };
  }
  // loaded lazily: in-memory runs should not pay for the database drivers
  const { openDatabase } = await import('@atomflow/db');
  const database = await openDatabase(db !== undefined ? { dataDir: db } : { url: url! });
  return { store: database.store, close: () => database.close() };
}

const exitFor = (state: string): number => (state === 'SUCCESS' ? 0 : 1);

/** Runs the CLI; returns the exit code (never throws). */
export async function main(argv: readonly string[], io: CliIO = processIO, stopSignal?: Promise<string>): Promise<number> {
  try {
    return await dispatch(argv, io, stopSignal);
  } catch (error) {
    if (error instanceof ValidationError) {
      io.err(`invalid flow: ${error.problems.length} problem${error.problems.length > 1 ? 's' : ''}`);
      for (const p of error.problems) io.err(`  ${p.path}: ${p.message}`);
      return 2;
    }
    if (
      error instanceof UsageError ||
      error instanceof MissingInputsError ||
      error instanceof RunNotFoundError ||
      error instanceof AtomflowError
    ) {
      io.err(`atomflow: ${error.message}`);
      return 2;
    }
    // not the user's input: exit 1 like any run that did not succeed; the stack only on request
    const debug = process.env['ATOMFLOW_DEBUG'] === '1';
    io.err(
      `atomflow: ${error instanceof Error ? (debug ? (error.stack ?? error.message) : `${error.name}: ${error.message}`) : String(error)}`,
    );
    if (!debug) io.err('atomflow: set ATOMFLOW_DEBUG=1 for the stack trace');
    return 1;
  }
}

const positiveInt = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive whole number, got "${v}"`);
  return n;
};

/** `--base-url`: where URL paths in atom configs point (http.request's `/api/…`), e.g. the atomflow server. */
const baseUrlOption = (v: string | undefined): { baseUrl?: string } => {
  if (v === undefined) return {};
  if (!/^https?:\/\//.test(v) || !URL.canParse(v)) throw new UsageError(`--base-url must be an http:// or https:// URL, got "${v}"`);
  return { baseUrl: v };
};

async function dispatch(argv: readonly string[], io: CliIO, stopSignal?: Promise<string>): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      strict: true,
      options: {
        trace: { type: 'boolean', default: false },
        inputs: { type: 'string' },
        db: { type: 'string' },
        'database-url': { type: 'string' },
        'stop-after': { type: 'string' },
        flow: { type: 'string' },
        capacity: { type: 'string' },
        'lease-ttl': { type: 'string' },
        'poll-ms': { type: 'string' },
        'base-url': { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${USAGE}`);
  }
  const { values: v, positionals } = parsed;
  const base = baseUrlOption(v['base-url']);
  switch (command) {
    case 'validate': {
      if (positionals.length !== 1) throw new UsageError('validate needs exactly one FLOW.json');
      const def = await loadFlowFile(positionals[0]!);
      const inputs = v.inputs !== undefined ? Object.keys(parseInputs(v.inputs)) : undefined;
      const { problems, compiled } = analyzeFlow(def, createRegistry(), inputs ? { inputs } : {});
      if (problems.length) throw new ValidationError(problems);
      io.out(safeJson({ valid: true, flow: def.id, revision: def.revision, atoms: compiled.atoms.length, inputs: compiled.inputs }));
      return 0;
    }
    case 'run': {
      if (positionals.length !== 1) throw new UsageError('run needs exactly one FLOW.json');
      const def = await loadFlowFile(positionals[0]!);
      const inputs = parseInputs(v.inputs);
      const db = await openStore(v.db, v['database-url']);
      try {
        // On a shared database the run is created already leased to this process, so a worker
        // polling the same database never executes it at the same time (commits are fenced).
        const store = db.store;
        const owner = isWorkStore(store) ? cliOwner() : undefined;
        const engine = new Engine({ store, registry: createRegistry(), ...base, ...(owner !== undefined ? { owner } : {}) });
        const stopAfter = v['stop-after'];
        const run = await engine.createRun(def, {
          inputs,
          ...(stopAfter !== undefined ? { stopAfter } : {}),
          ...(owner !== undefined ? { leaseTtlMs: CLI_LEASE_TTL_MS } : {}),
        });
        const lease =
          owner !== undefined && isWorkStore(store)
            ? holdLease(store, run.id, owner, CLI_LEASE_TTL_MS, (e) => io.err(`atomflow: renewing the lease: ${String(e)}`))
            : undefined;
        try {
          return exitFor(
            (await execute(engine, run, io, v.trace, () => engine.resumeRun(run.id, stopAfter !== undefined ? { stopAfter } : {}))).state,
          );
        } finally {
          await lease?.release();
        }
      } finally {
        await db.close();
      }
    }
    case 'resume': {
      if (positionals.length > 1) throw new UsageError('resume takes at most one RUN_ID');
      if (v.db === undefined && v['database-url'] === undefined)
        throw new UsageError('resume needs the durable store: --db DIR or --database-url URL');
      const next = v.flow !== undefined ? await loadFlowFile(v.flow) : undefined;
      const db = await openStore(v.db, v['database-url']);
      try {
        const store = db.store;
        const owner = isWorkStore(store) ? cliOwner() : undefined;
        const engine = new Engine({ store, registry: createRegistry(), ...base, ...(owner !== undefined ? { owner } : {}) });
        let runs: FlowDetail[];
        if (positionals[0] !== undefined) {
          const loaded = await db.store.loadRun(positionals[0]);
          if (!loaded) throw new RunNotFoundError(positionals[0]);
          runs = [loaded.flow];
        } else {
          runs = (await db.store.listRuns()).filter((r) => !isStoppedFlowState(r.state) || r.state === 'SUSPENDED').reverse();
          if (next) runs = runs.filter((r) => r.flowId === next.id);
          if (runs.length === 0) {
            io.err('atomflow: no unfinished runs to resume');
            return 0;
          }
        }
        let code = 0;
        for (const run of runs) {
          // a run a worker (or another CLI) is executing is left to it: resuming it here too would
          // execute its atoms twice; its commits would be fenced out anyway
          if (owner !== undefined && isWorkStore(store) && !(await store.claimRun(run.id, owner, CLI_LEASE_TTL_MS))) {
            const held = await store.leaseOf(run.id);
            io.err(
              `atomflow: run ${run.id} is being executed by ${held?.owner ?? 'another worker'}${held ? ` (lease until ${held.expiresAt})` : ''}; not resumed`,
            );
            code = Math.max(code, 1);
            continue;
          }
          const lease =
            owner !== undefined && isWorkStore(store)
              ? holdLease(store, run.id, owner, CLI_LEASE_TTL_MS, (e) => io.err(`atomflow: renewing the lease: ${String(e)}`))
              : undefined;
          try {
            const outcome = await execute(
              engine,
              run,
              io,
              v.trace,
              () => engine.resumeRun(run.id, next ? { definition: next } : {}),
              next?.root.name,
            );
            code = Math.max(code, exitFor(outcome.state));
          } finally {
            await lease?.release();
          }
        }
        return code;
      } finally {
        await db.close();
      }
    }
    case 'worker': {
      if (positionals.length) throw new UsageError('worker takes no positional arguments');
      const capacity = positiveInt('capacity', v.capacity);
      const leaseTtlMs = positiveInt('lease-ttl', v['lease-ttl']);
      const pollMs = positiveInt('poll-ms', v['poll-ms']);
      return workerCommand(
        {
          ...(v.db !== undefined ? { db: v.db } : {}),
          ...(v['database-url'] !== undefined ? { url: v['database-url'] } : {}),
          ...(capacity !== undefined ? { capacity } : {}),
          ...(leaseTtlMs !== undefined ? { leaseTtlMs } : {}),
          ...(pollMs !== undefined ? { pollMs } : {}),
          ...base,
        },
        io,
        stopSignal ?? processStopSignal(),
      );
    }
    default:
      throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

async function execute(
  engine: Engine,
  run: FlowDetail,
  io: CliIO,
  trace: boolean | undefined,
  go: () => Promise<RunOutcome>,
  rootName = run.rootName,
): Promise<RunOutcome> {
  if (trace) io.out(safeJson({ run: run.id, flow: run.flowId, revision: run.revision }));
  const unsubscribe = engine.subscribe((e) => {
    if (!trace || e.runId !== run.id) return;
    const line = traceLine(e, rootName);
    if (line) io.out(safeJson(line));
  });
  try {
    const outcome = await go();
    if (trace) printFinal(io, outcome.state, outcome.results, outcome.failure);
    else io.out(safeJson({ run: outcome.runId, state: outcome.state, ...(outcome.failure ? { failure: outcome.failure.message } : {}) }));
    return outcome;
  } finally {
    unsubscribe();
  }
}
