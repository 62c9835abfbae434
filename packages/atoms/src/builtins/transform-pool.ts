import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import { WORKER_SOURCE } from './transform-worker-source.js';

/**
 * A few worker threads that run sandbox jobs, one job per worker at a time. QuickJS checks its
 * interrupt handler only every ~10,000 interpreter polls, so an expression that calls expensive
 * built-ins in a loop can overrun its deadline by a lot; in a worker that never blocks the server's
 * event loop, and the main thread terminates the worker (and starts a fresh one) once a job
 * overruns by `HARD_GRACE_MS`, or when the job is cancelled.
 */

export interface SandboxJob {
  readonly source: string;
  readonly inputJson: string;
  readonly timeoutMs: number;
  readonly memoryLimitBytes: number;
  readonly stackLimitBytes: number;
}

/** What the worker answered, or why it was stopped. */
export type SandboxAnswer =
  | { readonly ok: true; readonly finished: string }
  | { readonly ok: false; readonly stage: string; readonly name: string; readonly message: string; readonly timedOut: boolean }
  | { readonly ok: false; readonly killed: 'timeout' | 'cancelled' | 'crashed'; readonly message?: string };

/** How long past its deadline a job may run before its worker is terminated. */
export const HARD_GRACE_MS = 250;

const require = createRequire(import.meta.url);

interface Pending {
  readonly job: SandboxJob & { readonly id: number };
  readonly resolve: (answer: SandboxAnswer) => void;
  readonly signal: AbortSignal | undefined;
}

class Slot {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  current: (Pending & { timer?: NodeJS.Timeout; onAbort?: () => void }) | undefined;
  dead = false;

  constructor(
    prelude: string,
    private readonly onFree: (slot: Slot) => void,
  ) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        core: require.resolve('quickjs-emscripten-core'),
        variant: require.resolve('@jitl/quickjs-wasmfile-release-sync'),
        prelude,
      },
      // The wasm heap lives in the worker; V8's own heap there only holds small messages.
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
    });
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('message', () => resolve());
      this.worker.once('error', reject);
    });
    this.ready.catch(() => undefined);
    this.worker.on('message', (msg: { id?: number } & SandboxAnswer) => {
      if (msg.id !== undefined && this.current?.job.id === msg.id) this.settle(msg);
    });
    this.worker.on('error', (err) => this.die({ ok: false, killed: 'crashed', message: err.message }));
    this.worker.on('exit', () => this.die({ ok: false, killed: 'crashed', message: 'the sandbox worker exited' }));
    // After the listeners (adding one refs the worker again): an idle worker never keeps the process alive.
    this.worker.unref();
  }

  async start(p: Pending): Promise<void> {
    this.current = p;
    // Busy: keep the process alive until the answer comes (idle workers are unref'd).
    this.worker.ref();
    try {
      await this.ready;
    } catch (err) {
      this.die({ ok: false, killed: 'crashed', message: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (this.current !== p) return;
    if (p.signal?.aborted) return this.kill('cancelled');
    const onAbort = () => this.kill('cancelled');
    p.signal?.addEventListener('abort', onAbort, { once: true });
    this.current = { ...p, onAbort, timer: setTimeout(() => this.kill('timeout'), p.job.timeoutMs + HARD_GRACE_MS) };
    this.worker.postMessage(p.job);
  }

  private settle(answer: SandboxAnswer): void {
    const p = this.current;
    if (!p) return;
    this.current = undefined;
    this.worker.unref();
    clearTimeout(p.timer);
    if (p.onAbort) p.signal?.removeEventListener('abort', p.onAbort);
    p.resolve(answer);
    if (!this.dead) this.onFree(this);
  }

  private kill(killed: 'timeout' | 'cancelled'): void {
    this.die({ ok: false, killed });
  }

  private die(answer: SandboxAnswer): void {
    if (this.dead) return;
    this.dead = true;
    void this.worker.terminate();
    this.settle(answer);
    this.onFree(this);
  }
}

export class SandboxPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;

  constructor(
    private readonly prelude: string,
    private readonly size = Math.max(1, Math.min(2, availableParallelism())),
  ) {}

  run(job: SandboxJob, signal?: AbortSignal): Promise<SandboxAnswer> {
    return new Promise((resolve) => {
      this.queue.push({ job: { ...job, id: this.nextId++ }, resolve, signal });
      this.dispatch();
    });
  }

  /** Stops every worker (tests; the workers are unref'd and never keep a process alive). */
  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    for (;;) {
      const next = this.queue[0];
      if (!next) return;
      if (next.signal?.aborted) {
        this.queue.shift();
        next.resolve({ ok: false, killed: 'cancelled' });
        continue;
      }
      let slot = this.slots.find((s) => !s.dead && !s.current);
      if (!slot && this.slots.length < this.size) {
        slot = new Slot(this.prelude, (s) => this.freed(s));
        this.slots.push(slot);
      }
      if (!slot) return;
      this.queue.shift();
      void slot.start(next);
    }
  }

  private freed(slot: Slot): void {
    if (slot.dead) {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
    }
    this.dispatch();
  }
}
