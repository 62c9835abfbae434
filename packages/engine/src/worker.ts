import { randomUUID } from 'node:crypto';

import { isStoppedFlowState } from '@atomflow/model';

import type { Engine } from './engine.js';
import { LeaseLostError } from './errors.js';
import { OperationSchema } from './operation-schema.js';
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
  private stopped = false;
  private loop: Promise<void> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly o: WorkerOptions) {
    this.ttl = o.leaseTtlMs ?? 10_000;
    this.pollMs = o.pollMs ?? 250;
    this.capacity = o.capacity ?? 16;
    this.onError = o.onError ?? ((e, ctx) => process.stderr.write(`atomflow worker ${o.owner}: ${ctx}: ${e instanceof Error ? e.message : String(e)}\n`));
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
    while (!this.stopped) {
      try {
        await this.tick();
      } catch (error) {
        this.onError(error, 'poll');
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.pollMs);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
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
      const p = this.handle(id).finally(() => this.running.delete(id));
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
    try {
      let resume = false;
      for (const c of await store.pendingCommands([runId])) resume = (await this.applyIdle(c)) || resume;
      const loaded = await store.loadRun(runId);
      if (!loaded || this.stopped) return;
      const st = loaded.flow.state;
      const timerDue = st === 'WAITING' && loaded.atoms.some((a) => a.state === 'WAITING' && a.wakeAt && Date.parse(a.wakeAt) <= Date.now());
      if (resume || !isStoppedFlowState(st) && (st !== 'WAITING' || timerDue)) await engine.resumeRun(runId);
    } catch (error) {
      if (!(error instanceof LeaseLostError)) this.onError(error, `run ${runId}`);
    } finally {
      await store.releaseRun(runId, this.o.owner).catch((e: unknown) => this.onError(e, `releasing ${runId}`));
    }
  }

  /** A command for a run nobody executes: record it; returns whether the run must execute next. */
  private async applyIdle(c: Command): Promise<boolean> {
    const parsed = OperationSchema.safeParse(c.op);
    if (!parsed.success) {
      await this.o.store.completeCommand(c.id, { ok: false, error: `invalid operation: ${parsed.error.issues.map((i) => i.message).join('; ')}` });
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

  /** A command for a run this worker is executing: only suspend and cancel apply mid-run. */
  private async applyToActive(c: Command): Promise<void> {
    const parsed = OperationSchema.safeParse(c.op);
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
}
