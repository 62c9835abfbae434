import { randomUUID } from 'node:crypto';

import { isStoppedFlowState } from '@atomflow/model';

import type { Engine } from './engine.js';
import { LeaseLostError } from './errors.js';
import { applyMigrateCommand, isMigrateCommand, MigrateCommandSchema } from './migrate-command.js';
import { OperationSchema } from './operation-schema.js';
import { isDecision, type DecisionOperation } from './operations.js';
import type { Command, WorkStore } from './work-store.js';

export interface WorkerOptions {
  /** An engine created with `owner: <this worker's id>` over `store`. */
  readonly engine: Engine;
  readonly store: WorkStore;
  readonly owner: string;
  readonly leaseTtlMs?: number;
  /** How often to look for claimable runs, due timers and commands. */
  readonly pollMs?: number;
  /** Most runs executed at once. */
  readonly capacity?: number;
  /** Where problems that are not a run's own go (default: stderr). */
  readonly onError?: (error: unknown, context: string) => void;
  /**
   * First pause after a run's execution failed for a reason that is not the run's own (its
   * commit refused, the database unreachable); doubled at each failure in a row. Default 1 s.
   */
  readonly backoffMs?: number;
  /** Longest pause between polls or before retrying a failed run. Default 30 s. */
  readonly maxBackoffMs?: number;
}

/** `base · 2^(n-1)`, at most `max`, with ±20 % jitter so that workers do not retry in step. */
export function backoffDelay(base: number, failures: number, max: number, random: () => number = Math.random): number {
  const exp = Math.min(max, base * 2 ** Math.min(30, Math.max(0, failures - 1)));
  return Math.max(1, Math.round(exp * (0.8 + 0.4 * random())));
}

/** A fresh worker id: host-pid-random, readable in lease rows. */
export function workerId(prefix = 'worker'): string {
  return `${prefix}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/**
 * Claims runs that need a worker (leases), executes them, renews its leases while alive, wakes
 * runs whose timers are due and applies queued manual operations. `stop()` lets the atoms in
 * flight finish, commits them and gives the leases back; a killed worker's runs are taken over
 * by others once its leases expire.
 */
export class Worker {
  private readonly ttl: number;
  private readonly pollMs: number;
  private readonly capacity: number;
  private readonly running = new Map<string, Promise<void>>();
  private readonly onError: (error: unknown, context: string) => void;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  /** Failures in a row of each run whose execution failed here (cleared when it succeeds). */
  private readonly runFailures = new Map<string, number>();
  private stopped = false;
  private loop: Promise<void> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private pokedDuringTick = false;
  private backingOff = false;

  constructor(private readonly o: WorkerOptions) {
    this.ttl = o.leaseTtlMs ?? 10_000;
    this.pollMs = o.pollMs ?? 250;
    this.capacity = o.capacity ?? 16;
    this.backoffMs = o.backoffMs ?? 1_000;
    this.maxBackoffMs = Math.max(this.pollMs, o.maxBackoffMs ?? 30_000);
    this.onError =
      o.onError ??
      ((e, ctx) => process.stderr.write(`atomflow worker ${o.owner}: ${ctx}: ${e instanceof Error ? e.message : String(e)}\n`));
  }

  get id(): string {
    return this.o.owner;
  }

  /** Runs being executed by this worker. */
  activeRuns(): string[] {
    return [...this.running.keys()];
  }

  start(): void {
    if (this.loop) return;
    this.heartbeat = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.ttl / 3)));
    this.loop = this.run();
  }

  /** Graceful stop: no new claims; runs in flight stop after their atoms and are released. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    for (const id of this.running.keys()) this.o.engine.releaseRun(id);
    await this.loop;
    await Promise.allSettled([...this.running.values()]);
    if (this.heartbeat) clearInterval(this.heartbeat);
  }

  private async run(): Promise<void> {
    // polls that fail in a row (the database is down) space out instead of hammering it
    let failures = 0;
    while (!this.stopped) {
      let delay = this.pollMs;
      this.pokedDuringTick = false;
      try {
        await this.tick();
        failures = 0;
      } catch (error) {
        failures++;
        delay = backoffDelay(this.pollMs, failures + 1, this.maxBackoffMs);
        this.onError(error, failures > 1 ? `poll (failed ${failures} times in a row, next in ${delay} ms)` : `poll (next in ${delay} ms)`);
      }
      this.backingOff = failures > 0;
      if (this.stopped) break;
      // a slot freed while this tick ran: poll again at once
      if (this.pokedDuringTick && !this.backingOff) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** A run finished here: claim the next one now instead of at the next poll (unless backing off). */
  private poke(): void {
    this.pokedDuringTick = true;
    if (!this.backingOff) this.wake?.();
  }

  /** One poll: commands for runs in flight, then new claims. */
  async tick(): Promise<void> {
    const active = this.activeRuns();
    if (active.length) {
      for (const c of await this.o.store.pendingCommands(active)) await this.applyToActive(c);
    }
    const free = this.capacity - this.running.size;
    if (free <= 0 || this.stopped) return;
    const claimed = await this.o.store.claimRuns(this.o.owner, this.ttl, free);
    for (const id of claimed) {
      if (this.running.has(id)) continue;
      const p = this.handle(id).finally(() => {
        this.running.delete(id);
        if (!this.stopped) this.poke();
      });
      this.running.set(id, p);
    }
  }

  private async renew(): Promise<void> {
    const ids = this.activeRuns();
    if (ids.length === 0) return;
    try {
      const held = new Set(await this.o.store.renewLeases(this.o.owner, ids, this.ttl));
      // a lease we lost (expired while we stalled): stop touching that run at once
      for (const id of ids) if (!held.has(id)) this.o.engine.releaseRun(id);
    } catch (error) {
      this.onError(error, 'lease renewal');
    }
  }

  private async handle(runId: string): Promise<void> {
    const { engine, store } = this.o;
    let failure: { error: unknown } | undefined;
    try {
      let resume = false;
      for (const c of await store.pendingCommands([runId])) resume = (await this.applyIdle(c)) || resume;
      const loaded = await store.loadRun(runId);
      if (!loaded || this.stopped) return;
      const st = loaded.flow.state;
      const timerDue =
        st === 'WAITING' && loaded.atoms.some((a) => a.state === 'WAITING' && a.wakeAt && Date.parse(a.wakeAt) <= Date.now());
      if (resume || (!isStoppedFlowState(st) && (st !== 'WAITING' || timerDue))) await engine.resumeRun(runId, { loaded });
    } catch (error) {
      if (!(error instanceof LeaseLostError)) failure = { error };
    } finally {
      if (failure) await this.deferRun(runId, failure.error);
      else {
        this.runFailures.delete(runId);
        await store.releaseRun(runId, this.o.owner).catch((e: unknown) => this.onError(e, `releasing ${runId}`));
      }
    }
  }

  /**
   * A run whose execution failed (a commit refused, the database gone) is not released, which
   * would have the next poll claim it and fail the same way at once: its lease is kept, unrenewed,
   * for a backoff that doubles with each failure in a row, after which any worker may claim it.
   * When even that write fails, the lease still runs out within its TTL.
   */
  private async deferRun(runId: string, error: unknown): Promise<void> {
    const failures = (this.runFailures.get(runId) ?? 0) + 1;
    // bounded: a worker meeting many failing runs forgets the oldest counts
    if (this.runFailures.size >= 10_000) this.runFailures.delete(this.runFailures.keys().next().value!);
    this.runFailures.set(runId, failures);
    const delay = backoffDelay(this.backoffMs, failures, this.maxBackoffMs);
    this.onError(error, `run ${runId} (failed ${failures} time${failures > 1 ? 's' : ''} in a row here; retried in ${delay} ms)`);
    await this.o.store.renewLeases(this.o.owner, [runId], delay).catch((e: unknown) => this.onError(e, `deferring ${runId}`));
  }

  /** A command for a run nobody executes: record it; returns whether the run must execute next. */
  private async applyIdle(c: Command): Promise<boolean> {
    if (isMigrateCommand(c.op)) return this.applyMigrate(c);
    const parsed = OperationSchema.safeParse(c.op);
    if (!parsed.success) {
      await this.o.store.completeCommand(c.id, {
        ok: false,
        error: `invalid operation: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      });
      return false;
    }
    try {
      const { preview } = await this.o.engine.operate(c.runId, parsed.data, { execute: false });
      await this.o.store.completeCommand(c.id, { ok: true, atoms: preview.atoms.map((a) => a.name), resumes: preview.resumes });
      return preview.resumes;
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      await this.o.store.completeCommand(c.id, { ok: false, error: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  /** A migration of a run nobody executes (see applyMigrateCommand); returns whether the run must execute next. */
  private async applyMigrate(c: Command): Promise<boolean> {
    const parsed = MigrateCommandSchema.safeParse(c.op);
    if (!parsed.success) {
      await this.o.store.completeCommand(c.id, {
        ok: false,
        error: `invalid migration: ${parsed.error.issues.map((i) => i.message).join('; ')}`,
      });
      return false;
    }
    try {
      const outcome = await applyMigrateCommand(this.o.engine, this.o.store, c.runId, parsed.data);
      await this.o.store.completeCommand(c.id, { ...outcome });
      return outcome.resumes;
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      await this.o.store.completeCommand(c.id, { ok: false, error: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  /** A command for a run this worker is executing: suspend, cancel, approve and reject apply mid-run. */
  private async applyToActive(c: Command): Promise<void> {
    if (isMigrateCommand(c.op)) return; // applied once the run has stopped (the next claim)
    const parsed = OperationSchema.safeParse(c.op);
    if (parsed.success && isDecision(parsed.data)) {
      await this.decideActive(c, parsed.data);
      return;
    }
    if (parsed.success && (parsed.data.type === 'suspend' || parsed.data.type === 'cancel')) {
      if (!this.o.engine.isActive(c.runId)) return; // it stopped meanwhile: the next claim applies it
      await this.o.engine.operate(c.runId, parsed.data);
      await this.o.store.completeCommand(c.id, { ok: true });
      return;
    }
    if (!parsed.success) {
      await this.o.store.completeCommand(c.id, { ok: false, error: 'invalid operation' });
      return;
    }
    // other operations wait until the run stops (the next claim applies them)
  }

  /** An approve / reject for a run in flight: its executor takes it without stopping the run. */
  private async decideActive(c: Command, op: DecisionOperation): Promise<void> {
    let outcome: Record<string, unknown>;
    try {
      const preview = await this.o.engine.decide(c.runId, op);
      if (!preview) return; // it stopped meanwhile: the next claim applies it
      outcome = { ok: true, atoms: preview.atoms.map((a) => a.name), resumes: false };
    } catch (error) {
      if (error instanceof LeaseLostError) return;
      outcome = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    await this.o.store.completeCommand(c.id, outcome);
  }
}
