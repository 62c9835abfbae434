import { setMaxListeners } from 'node:events';

import {
  assertAtomTransition,
  assertFlowTransition,
  subgraphOf,
  toFailure,
  type AtomDetail,
  type AtomState,
  type CompiledFlow,
  type Failure,
  type FlowDetail,
  type FlowState,
  type NewRunEvent,
  type RunEvent,
  type SubStep,
} from '@atomflow/model';

import type { AnyAtomDefinition, AtomContext, RevertContext } from './atom-types.js';
import { bindInputs, collectResults } from './bindings.js';
import {
  APPROVAL_REJECTED,
  APPROVAL_WAIT_REASON,
  AwaitApproval,
  CancelledError,
  OperationNotAllowedError,
  RetryLater,
  UnstorableValueError,
} from './errors.js';
import { awaitsApproval, decide, decisionEvents, type Decision, type DecisionOperation, type OperationPreview } from './operations.js';
import { parseConfig, type AtomRegistry } from './registry.js';
import { resolveFailure, type Strategy } from './resolution.js';
import { retryDelayMs, retryExecute } from './retry-controller.js';
import { storableFailure, storableText, unstorableReason } from './storable.js';
import type { RunChange, Store, Timer } from './store.js';
import type { Fence } from './work-store.js';
import { SubSteps } from './sub-steps.js';

/** How a run ended (or paused) when its executor returned. */
export interface RunOutcome {
  readonly runId: string;
  readonly state: FlowState;
  /** TaskFlow's `fetch_all()`: provided names (and run inputs) → values. */
  readonly results: Record<string, unknown>;
  readonly failure?: Failure;
  /** WAITING runs: the earliest wake-up time. */
  readonly wakeAt?: string;
  /** The executor stopped without finishing (released to another worker); `state` is unchanged. */
  readonly released?: boolean;
}

export interface ExecutorOptions {
  readonly store: Store;
  readonly registry: AtomRegistry;
  readonly flow: CompiledFlow;
  readonly run: FlowDetail;
  /** Atom records by compiled index. */
  readonly details: AtomDetail[];
  readonly subSteps: readonly SubStep[];
  readonly maxParallel: number;
  /** Timers due within this are awaited in process; later ones park the run WAITING. */
  readonly holdTimersUpToMs: number;
  readonly now: () => Date;
  /** The atoms' `ctx.baseUrl` (asked at each call). */
  readonly baseUrl?: () => string | undefined;
  readonly emit: (events: readonly RunEvent[]) => void;
  /** Suspend the run once this atom succeeds. */
  readonly stopAfter?: string;
  /** Events to commit together with the run's first transition (e.g. the operation that resumed it). */
  readonly preamble?: Partial<RunChange>;
  /** Every commit is made on behalf of this lease holder (refused once the lease is lost). */
  readonly fence?: Fence;
}

interface Acknowledgement {
  resolve(): void;
  reject(error: unknown): void;
}

type Completion =
  | { readonly idx: number; readonly kind: 'executed'; readonly result: unknown }
  | { readonly idx: number; readonly kind: 'execute-failed'; readonly error: unknown }
  | { readonly idx: number; readonly kind: 'reverted'; readonly result: unknown }
  | { readonly idx: number; readonly kind: 'revert-failed'; readonly error: unknown };

const EXEC_DONE_FOR_PRED: ReadonlySet<AtomState> = new Set(['SUCCESS', 'IGNORE']);
const REVERT_OK_SUCC: ReadonlySet<AtomState> = new Set(['PENDING', 'REVERTED', 'IGNORE']);

/**
 * Executes one run: a state machine over the compiled DAG. Every scheduling step collects its
 * transitions into one batch, commits it through the Store, and only then starts the atoms it
 * scheduled: nothing is acted on before it is recorded.
 */
export class RunExecutor {
  private readonly d: AtomDetail[];
  private readonly flow: CompiledFlow;
  private readonly run: FlowDetail;
  private readonly inflight = new Set<number>();
  private readonly completions: Completion[] = [];
  private readonly queue: number[] = [];
  private readonly queued: Uint8Array;
  private readonly deferred = new Set<number>();
  private readonly restart = new Set<number>();
  private readonly timers = new Map<number, number>();
  private readonly subSteps = new Map<number, Map<string, SubStep>>();
  private readonly configs = new Map<number, unknown>();
  /** Inputs bound when an execution was scheduled, handed to the launch that follows. */
  private readonly boundInputs = new Map<number, Record<string, unknown>>();
  private readonly abort = new AbortController();
  private launches: Array<{ idx: number; kind: 'execute' | 'revert' }> = [];
  private batch: {
    atoms: Set<number>;
    events: NewRunEvent[];
    flow: Partial<RunChange['flow']>;
    subSteps: SubStep[];
    clearSubSteps: string[];
    timersSet: Timer[];
    timersClear: string[];
  };
  private commitChain: Promise<unknown> = Promise.resolve();
  private retained: Failure | undefined;
  private suspendRequested = false;
  private releaseRequested = false;
  private cancelRequested = false;
  private notified = false;
  private waiter: (() => void) | undefined;
  private fatal: unknown;
  /** approve / reject operations handed over while the run executes, applied at the next step. */
  private readonly decisions: { op: DecisionOperation; decision: Decision; preview: OperationPreview; done: Acknowledgement }[] = [];
  /** Decisions recorded in the batch being committed: acknowledged once it is. */
  private acks: Acknowledgement[] = [];
  /** Set once the loop has ended: decisions offered later are left to whoever executes the run next. */
  private closed = false;

  constructor(private readonly o: ExecutorOptions) {
    // every atom in flight listens to the run's one signal: a wide graph has hundreds at once, which is
    // no leak (each removes its listener when done) — without this Node warns past 10
    setMaxListeners(0, this.abort.signal);
    this.flow = o.flow;
    this.run = o.run;
    this.d = o.details;
    this.queued = new Uint8Array(this.d.length);
    this.batch = this.emptyBatch();
    for (const s of o.subSteps) {
      const idx = this.flow.byName.get(s.atom)?.index;
      if (idx === undefined) continue;
      let m = this.subSteps.get(idx);
      if (!m) this.subSteps.set(idx, (m = new Map()));
      m.set(s.name, { ...s });
    }
  }

  get runId(): string {
    return this.run.id;
  }

  /** Asks the run to stop after the atoms in flight (RUNNING → SUSPENDING → SUSPENDED). */
  requestSuspend(): void {
    if (this.suspendRequested || this.cancelRequested) return;
    this.suspendRequested = true;
    this.notify();
  }

  /**
   * Stops after the atoms in flight without changing the run's state (a worker shutting down,
   * or one that lost its lease): whoever claims the run next continues it.
   */
  requestRelease(): void {
    if (this.releaseRequested) return;
    this.releaseRequested = true;
    this.notify();
  }

  /** Cancels the run: running atoms get an aborted signal, nothing new starts. */
  requestCancel(reason = 'run cancelled'): void {
    if (this.cancelRequested) return;
    this.cancelRequested = true;
    this.abort.abort(new CancelledError(reason));
    this.notify();
  }

  /**
   * Hands an approve / reject of an atom waiting for approval to this executor: applied (and
   * committed) at its next step. Undefined when the executor no longer takes decisions (it is
   * finishing): the caller leaves the operation to whoever executes the run next.
   */
  offerDecision(op: DecisionOperation, decision: Decision, preview: OperationPreview): Promise<void> | undefined {
    if (this.closed || this.stopping()) return undefined;
    return new Promise<void>((resolve, reject) => {
      this.decisions.push({ op, decision, preview, done: { resolve, reject } });
      this.notify();
    });
  }

  async execute(): Promise<RunOutcome> {
    try {
      return await this.loop();
    } catch (error) {
      for (const a of [...this.acks, ...this.decisions.map((d) => d.done)]) a.reject(error);
      throw error;
    }
  }

  private async loop(): Promise<RunOutcome> {
    this.begin();
    for (;;) {
      // a failed commit: nothing after it may happen (the store's record is the truth)
      if (this.fatal !== undefined) throw this.fatal instanceof Error ? this.fatal : new Error(String(this.fatal));
      this.applyDecisions();
      this.drainCompletions();
      this.wakeDueTimers();
      this.schedule();
      await this.flush();
      const launches = this.launches;
      this.launches = [];
      for (const l of launches) this.launch(l.idx, l.kind);
      if (this.completions.length > 0 || this.queue.length > 0 || this.decisions.length > 0) continue;
      if (this.inflight.size === 0) {
        const nextWake = this.nextWake();
        if (nextWake === undefined || this.stopping()) break;
        const wait = nextWake - this.o.now().getTime();
        if (wait > this.o.holdTimersUpToMs) break;
        await this.waitSignal(wait);
        continue;
      }
      const nextWake = this.stopping() ? undefined : this.nextWake();
      await this.waitSignal(nextWake === undefined ? undefined : nextWake - this.o.now().getTime());
    }
    this.closed = true;
    return this.finish();
  }

  /** Applies the decisions handed over since the last step (see `offerDecision`). */
  private applyDecisions(): void {
    while (this.decisions.length) {
      const { op, decision, preview, done } = this.decisions.shift()!;
      const idx = this.flow.byName.get(op.atom)?.index;
      const d = idx === undefined ? undefined : this.d[idx];
      if (idx === undefined || !d || !awaitsApproval(d) || this.stopping()) {
        done.reject(new OperationNotAllowedError(`"${op.atom}" is not waiting for approval (it is ${d?.state ?? 'unknown'})`));
        continue;
      }
      const [opEvent, atomEvent] = decisionEvents(op, d, decision, preview);
      this.batch.events.push(opEvent!);
      this.atomTo(idx, atomEvent!.to as AtomState, decide(d, decision, this.o.now()), atomEvent!.data ?? undefined);
      this.afterDecision(idx);
      this.acks.push(done);
    }
  }

  /** An atom just approved (SUCCESS: its successors may run) or rejected (FAILURE: its controller decides). */
  private afterDecision(idx: number): void {
    const d = this.d[idx]!;
    if (d.state === 'FAILURE') {
      this.onExecuteFailure(idx, d.failure!);
      return;
    }
    for (const s of this.flow.atoms[idx]!.succs) this.enqueue(s);
    if (this.o.stopAfter === d.name) this.requestSuspend();
  }

  // ------------------------------------------------------------------ lifecycle

  private begin(): void {
    const st = this.run.state;
    if (st === 'SUSPENDING') this.suspendRequested = true;
    else if (st !== 'RUNNING') this.flowTo('RUNNING', st === 'PENDING' ? { startedAt: this.o.now().toISOString() } : {});
    const pre = this.o.preamble;
    if (pre) {
      // the operation that resumed the run commits together with the run's first transition
      this.batch.events.unshift(...(pre.events ?? []));
      for (const a of pre.atoms ?? []) {
        const idx = this.flow.byName.get(a.name)?.index;
        if (idx !== undefined) this.batch.atoms.add(idx);
      }
      this.batch.timersClear.push(...(pre.timers?.clear ?? []));
      this.batch.clearSubSteps.push(...(pre.clearSubSteps ?? []));
      for (const name of pre.clearSubSteps ?? []) {
        const idx = this.flow.byName.get(name)?.index;
        if (idx !== undefined) this.subSteps.delete(idx);
      }
    }
    for (let i = 0; i < this.d.length; i++) {
      const d = this.d[i]!;
      switch (d.state) {
        case 'RUNNING':
        case 'REVERTING':
        case 'RETRYING':
          // the previous owner died mid-way: do it again (at-least-once, as TaskFlow)
          this.restart.add(i);
          break;
        case 'WAITING':
          if (d.wakeAt) this.timers.set(i, Date.parse(d.wakeAt));
          break;
        case 'REVERT_FAILURE':
          this.retained ??= d.revertFailure ?? undefined;
          break;
        default:
          break;
      }
      this.enqueue(i);
    }
    // an approval rejected while the run was parked: its failure is resolved now, like any failure
    for (let i = 0; i < this.d.length; i++) {
      const d = this.d[i]!;
      if (d.state === 'FAILURE' && d.intention === 'EXECUTE' && d.failure?.type === APPROVAL_REJECTED) this.onExecuteFailure(i, d.failure);
    }
  }

  private stopping(): boolean {
    return this.suspendRequested || this.cancelRequested || this.releaseRequested;
  }

  private async finish(): Promise<RunOutcome> {
    if (this.releaseRequested && !this.cancelRequested) {
      await this.flush();
      await this.commitChain;
      return { runId: this.run.id, state: this.run.state, results: collectResults(this.flow, this.d, this.run.inputs), released: true };
    }
    let target: FlowState;
    const allSuccess = this.d.every((d) => EXEC_DONE_FOR_PRED.has(d.state));
    if (this.cancelRequested) target = 'CANCELLED';
    else if (this.retained) target = 'FAILURE';
    else if (allSuccess) target = 'SUCCESS';
    else if (this.suspendRequested) target = 'SUSPENDED';
    else if (this.timers.size > 0 || this.d.some(awaitsApproval)) target = 'WAITING';
    else target = 'REVERTED';
    const patch: Partial<FlowDetail> = {};
    if (target === 'FAILURE') patch.failure = this.retained ?? null;
    if (target === 'SUCCESS') patch.failure = null;
    if (target !== 'WAITING' && target !== 'SUSPENDED') patch.finishedAt = this.o.now().toISOString();
    if (this.cancelRequested) {
      // atoms parked on a timer do not wake in a cancelled run
      for (const idx of [...this.timers.keys()]) {
        this.atomTo(idx, 'PENDING', { wakeAt: null, waitReason: null });
        this.timers.delete(idx);
        this.batch.timersClear.push(this.d[idx]!.name);
      }
      // nor do atoms waiting for a person
      this.d.forEach((d, idx) => {
        if (awaitsApproval(d)) this.atomTo(idx, 'PENDING', { wakeAt: null, waitReason: null });
      });
    }
    if (this.run.state === 'RUNNING' && this.suspendRequested && target !== 'SUSPENDED' && target !== 'CANCELLED') {
      // the run finished while suspending
    }
    this.flowTo(target, patch);
    await this.flush();
    const results = collectResults(this.flow, this.d, this.run.inputs);
    const failure = this.run.failure ?? undefined;
    const wake = this.nextWake();
    return {
      runId: this.run.id,
      state: target,
      results,
      ...(failure && target !== 'SUCCESS' ? { failure } : {}),
      ...(target === 'WAITING' && wake !== undefined ? { wakeAt: new Date(wake).toISOString() } : {}),
    };
  }

  // ------------------------------------------------------------------ scheduling

  private enqueue(idx: number): void {
    if (this.queued[idx]) return;
    this.queued[idx] = 1;
    this.queue.push(idx);
  }

  /** Processes candidates until nothing more can be decided without running user code. */
  private schedule(): void {
    if (this.suspendRequested && this.run.state === 'RUNNING') this.flowTo('SUSPENDING');
    if (this.stopping()) {
      this.queue.length = 0;
      this.queued.fill(0);
      return;
    }
    if (this.deferred.size && this.inflight.size + this.launches.length < this.o.maxParallel) {
      for (const idx of this.deferred) this.enqueue(idx);
      this.deferred.clear();
    }
    for (let qi = 0; qi < this.queue.length; qi++) {
      const idx = this.queue[qi]!;
      this.queued[idx] = 0;
      this.consider(idx);
      if (this.stopping()) break;
    }
    this.queue.length = 0;
  }

  private consider(idx: number): void {
    const d = this.d[idx]!;
    if (this.inflight.has(idx)) return;
    const atom = this.flow.atoms[idx]!;
    switch (d.intention) {
      case 'EXECUTE':
        if (d.state === 'PENDING' && this.predsDone(idx)) this.startExecute(idx, 'PENDING');
        else if (this.restart.has(idx) && d.state === 'RUNNING') this.startExecute(idx, 'RUNNING');
        else if (this.restart.has(idx) && d.state === 'RETRYING' && atom.kind === 'retry') {
          this.restart.delete(idx);
          this.continueRetry(idx);
        }
        return;
      case 'REVERT':
        if ((d.state === 'SUCCESS' || d.state === 'FAILURE' || d.state === 'WAITING') && this.succsReverted(idx))
          this.startRevert(idx, d.state);
        else if (this.restart.has(idx) && d.state === 'REVERTING') this.startRevert(idx, 'REVERTING');
        else if (this.restart.has(idx) && d.state === 'RUNNING') {
          // was executing when the owner died, and was already meant to be reverted
          this.startExecute(idx, 'RUNNING');
        }
        return;
      case 'RETRY':
        if (d.state === 'SUCCESS' && this.succsReverted(idx)) this.retrySubflow(idx);
        else if (this.restart.has(idx) && d.state === 'RETRYING') {
          this.restart.delete(idx);
          this.continueRetry(idx);
        }
        return;
      case 'IGNORE':
        return;
      default: {
        const never: never = d.intention;
        throw new Error(`unknown intention ${String(never)}`);
      }
    }
  }

  private predsDone(idx: number): boolean {
    for (const p of this.flow.atoms[idx]!.preds) {
      const pd = this.d[p]!;
      if (pd.state === 'IGNORE') continue;
      if (pd.state !== 'SUCCESS' || pd.intention !== 'EXECUTE') return false;
    }
    return true;
  }

  private succsReverted(idx: number): boolean {
    for (const s of this.flow.atoms[idx]!.succs) if (!REVERT_OK_SUCC.has(this.d[s]!.state) || this.inflight.has(s)) return false;
    return true;
  }

  private hasCapacity(idx: number): boolean {
    if (this.inflight.size + this.launches.length < this.o.maxParallel) return true;
    this.deferred.add(idx);
    return false;
  }

  private startExecute(idx: number, from: 'PENDING' | 'RUNNING' | 'WAITING'): void {
    const atom = this.flow.atoms[idx]!;
    if (atom.kind === 'retry') {
      this.restart.delete(idx);
      this.runRetryController(idx, from);
      return;
    }
    if (!this.hasCapacity(idx)) return;
    this.restart.delete(idx);
    const d = this.d[idx]!;
    let inputs: Record<string, unknown> | null = null;
    try {
      inputs = bindInputs(this.flow, atom, this.d, this.run.inputs);
      this.boundInputs.set(idx, inputs);
    } catch {
      // reported as the execution's failure when it is launched
    }
    this.atomTo(
      idx,
      'RUNNING',
      { attempts: d.attempts + 1, startedAt: this.o.now().toISOString(), finishedAt: null, inputs, wakeAt: null, waitReason: null },
      { attempt: d.attempts + 1 },
      from,
    );
    if (from === 'WAITING') this.clearTimer(idx);
    this.launches.push({ idx, kind: 'execute' });
  }

  private startRevert(idx: number, from: AtomState): void {
    const atom = this.flow.atoms[idx]!;
    if (atom.kind === 'retry') {
      this.restart.delete(idx);
      this.atomTo(idx, 'REVERTING', {}, undefined, from);
      this.atomTo(idx, 'REVERTED', { result: undefined, history: [] });
      this.afterReverted(idx);
      return;
    }
    if (!this.hasCapacity(idx)) return;
    this.restart.delete(idx);
    if (from === 'WAITING') this.clearTimer(idx);
    this.atomTo(idx, 'REVERTING', { wakeAt: null, waitReason: null }, undefined, from);
    this.launches.push({ idx, kind: 'revert' });
  }

  private afterReverted(idx: number): void {
    for (const p of this.flow.atoms[idx]!.preds) this.enqueue(p);
  }

  /** Executes a retry controller inline: it runs no user code. */
  private runRetryController(idx: number, from: 'PENDING' | 'RUNNING' | 'WAITING' | 'RETRYING'): void {
    const atom = this.flow.atoms[idx]!;
    const d = this.d[idx]!;
    if (from === 'WAITING') this.clearTimer(idx);
    this.atomTo(
      idx,
      'RUNNING',
      { attempts: d.attempts + 1, startedAt: this.o.now().toISOString(), wakeAt: null, waitReason: null },
      { attempt: d.attempts + 1 },
      from,
    );
    let result: unknown;
    try {
      const inputs = bindInputs(this.flow, atom, this.d, this.run.inputs);
      result = retryExecute(atom.retry!, d.history ?? [], inputs);
    } catch (error) {
      this.atomTo(
        idx,
        'FAILURE',
        { failure: toFailure(error), finishedAt: this.o.now().toISOString() },
        { failure: brief(toFailure(error)) },
      );
      this.onExecuteFailure(idx, toFailure(error));
      return;
    }
    this.atomTo(
      idx,
      'SUCCESS',
      { result, failure: null, history: [...(d.history ?? []), { result, failures: {} }], finishedAt: this.o.now().toISOString() },
      { result },
    );
    for (const s of atom.succs) this.enqueue(s);
  }

  /** TaskFlow's RETRYING: reset the controller's subgraph, then run the controller again. */
  private retrySubflow(idx: number): void {
    this.atomTo(idx, 'RETRYING', { intention: 'EXECUTE' });
    for (const s of subgraphOf(this.flow, idx)) {
      const sd = this.d[s]!;
      sd.intention = 'EXECUTE';
      this.batch.atoms.add(s);
      if (sd.state !== 'PENDING') this.atomTo(s, 'PENDING', { result: undefined, failure: null, wakeAt: null, waitReason: null });
    }
    this.continueRetry(idx);
  }

  private continueRetry(idx: number): void {
    const atom = this.flow.atoms[idx]!;
    const history = this.d[idx]!.history ?? [];
    const delay = retryDelayMs(atom.retry!, history.length);
    if (delay > 0) {
      this.park(idx, delay, `retry ${history.length + 1} after ${delay} ms`);
      return;
    }
    this.runRetryController(idx, 'RETRYING');
  }

  private park(idx: number, delayMs: number, reason: string): void {
    const wakeAt = this.o.now().getTime() + delayMs;
    const iso = new Date(wakeAt).toISOString();
    this.atomTo(idx, 'WAITING', { wakeAt: iso, waitReason: reason }, { wakeAt: iso, reason });
    this.timers.set(idx, wakeAt);
    this.batch.timersSet.push({ runId: this.run.id, atom: this.d[idx]!.name, wakeAt: iso });
  }

  private clearTimer(idx: number): void {
    if (this.timers.delete(idx)) this.batch.timersClear.push(this.d[idx]!.name);
  }

  private nextWake(): number | undefined {
    let min: number | undefined;
    for (const t of this.timers.values()) if (min === undefined || t < min) min = t;
    return min;
  }

  private wakeDueTimers(): void {
    if (this.timers.size === 0 || this.stopping()) return;
    const now = this.o.now().getTime();
    for (const [idx, t] of [...this.timers]) {
      if (t > now) continue;
      const d = this.d[idx]!;
      if (d.state !== 'WAITING') {
        this.clearTimer(idx);
        continue;
      }
      if (d.intention === 'REVERT') {
        this.enqueue(idx);
        continue;
      }
      const atom = this.flow.atoms[idx]!;
      if (atom.kind === 'retry') {
        this.timers.delete(idx);
        this.batch.timersClear.push(d.name);
        this.runRetryController(idx, 'WAITING');
      } else if (this.hasCapacity(idx)) this.startExecute(idx, 'WAITING');
    }
  }

  // ------------------------------------------------------------------ running user code

  private launch(idx: number, kind: 'execute' | 'revert'): void {
    this.inflight.add(idx);
    const run = kind === 'execute' ? this.callExecute(idx) : this.callRevert(idx);
    run.then(
      (c) => this.complete(c),
      (error: unknown) =>
        this.complete(kind === 'execute' ? { idx, kind: 'execute-failed', error } : { idx, kind: 'revert-failed', error }),
    );
  }

  private complete(c: Completion): void {
    this.inflight.delete(c.idx);
    this.completions.push(c);
    this.notify();
  }

  private definition(idx: number): AnyAtomDefinition {
    const atom = this.flow.atoms[idx]!;
    const def = this.o.registry.definition(atom.type, atom.version);
    if (!def) throw new Error(`atom type ${atom.type} version ${atom.version} is not registered in this process`);
    return def;
  }

  private config(idx: number, def: AnyAtomDefinition): unknown {
    if (!this.configs.has(idx)) this.configs.set(idx, parseConfig(def, this.flow.atoms[idx]!.config));
    return this.configs.get(idx);
  }

  private baseContext(idx: number, config: unknown): Omit<AtomContext<unknown>, 'step' | 'execute'> {
    const d = this.d[idx]!;
    const baseUrl = this.o.baseUrl?.();
    return {
      runId: this.run.id,
      atom: d.name,
      config,
      attempt: d.attempts,
      signal: this.abort.signal,
      ...(baseUrl !== undefined ? { baseUrl } : {}),
      log: (message, data) => {
        // a log line must never be what stops a run: data the store cannot hold is described instead
        const problem = data === undefined ? undefined : unstorableReason(data);
        const extra = problem === undefined ? (data ?? {}) : { unstorableData: problem };
        this.batch.events.push({
          kind: 'atom',
          atom: d.name,
          from: null,
          to: null,
          data: { log: storableText(String(message)), ...extra },
        });
      },
    };
  }

  private async callExecute(idx: number): Promise<Completion> {
    const def = this.definition(idx);
    const atom = this.flow.atoms[idx]!;
    const bound = this.boundInputs.get(idx);
    this.boundInputs.delete(idx);
    const inputs = bound ?? bindInputs(this.flow, atom, this.d, this.run.inputs);
    const config = this.config(idx, def);
    let records = this.subSteps.get(idx);
    if (!records) this.subSteps.set(idx, (records = new Map()));
    const steps = new SubSteps(this.d[idx]!.name, records, (step, from) => this.recordSubStep(step, from), this.o.now);
    const ctx: AtomContext<unknown> = {
      ...this.baseContext(idx, config),
      step: (name, fn) => steps.step(name, fn),
      execute: (m) => steps.execute(m),
    };
    this.abort.signal.throwIfAborted();
    let result: unknown = await def.execute(inputs, ctx);
    if (def.outputs) result = def.outputs.parse(result);
    return { idx, kind: 'executed', result };
  }

  private async callRevert(idx: number): Promise<Completion> {
    const def = this.definition(idx);
    const atom = this.flow.atoms[idx]!;
    const d = this.d[idx]!;
    if (!def.revert) return { idx, kind: 'reverted', result: undefined };
    let inputs: Record<string, unknown>;
    try {
      inputs = bindInputs(this.flow, atom, this.d, this.run.inputs);
    } catch {
      inputs = { ...(d.inputs ?? {}) };
    }
    const flowFailures: Record<string, Failure> = {};
    this.d.forEach((x) => {
      if (x.failure && (x.state === 'FAILURE' || x.state === 'REVERTING')) flowFailures[x.name] = x.failure;
    });
    const wasFailure = d.failure ?? undefined;
    const ctx: RevertContext<unknown> = {
      ...this.baseContext(idx, this.config(idx, def)),
      result: wasFailure ? undefined : d.result,
      ...(wasFailure ? { failure: wasFailure } : {}),
      flowFailures,
    };
    const result: unknown = await def.revert(inputs, ctx);
    return { idx, kind: 'reverted', result };
  }

  private recordSubStep(step: SubStep, from: string | null): Promise<void> {
    const event: NewRunEvent = {
      kind: 'substep',
      atom: step.atom,
      from,
      to: step.state,
      data: { step: step.name, attempt: step.attempts, ...(step.failure ? { failure: brief(step.failure) } : {}) },
    };
    return this.enqueueCommit({ subSteps: [step], events: [event] }).then(() => undefined);
  }

  // ------------------------------------------------------------------ completions

  private drainCompletions(): void {
    while (this.completions.length) {
      const c = this.completions.shift()!;
      this.onCompletion(c);
    }
  }

  private onCompletion(c: Completion): void {
    const idx = c.idx;
    const d = this.d[idx]!;
    const now = this.o.now().toISOString();
    switch (c.kind) {
      case 'executed': {
        // a result the store cannot hold fails the atom here, not the commit (which would stop the run)
        const problem = unstorableReason(c.result);
        if (problem !== undefined) {
          const error = new UnstorableValueError(`result of "${d.name}" cannot be stored: ${problem.replace(/^\$/, 'result')}`);
          this.onCompletion({ idx, kind: 'execute-failed', error });
          break;
        }
        this.atomTo(idx, 'SUCCESS', { result: c.result, failure: null, finishedAt: now }, { result: c.result });
        if (d.intention === 'REVERT') this.enqueue(idx);
        else for (const s of this.flow.atoms[idx]!.succs) this.enqueue(s);
        if (this.o.stopAfter === d.name) this.requestSuspend();
        break;
      }
      case 'execute-failed': {
        if (c.error instanceof AwaitApproval && !this.cancelRequested) {
          this.atomTo(idx, 'WAITING', { wakeAt: null, waitReason: APPROVAL_WAIT_REASON }, { reason: APPROVAL_WAIT_REASON });
          if (d.intention === 'REVERT') this.enqueue(idx);
          break;
        }
        if (c.error instanceof RetryLater && !this.cancelRequested) {
          this.park(idx, c.error.delayMs, storableText(c.error.message));
          if (d.intention === 'REVERT') this.enqueue(idx);
          break;
        }
        const failure = storableFailure(`failure of "${d.name}"`, toFailure(c.error));
        this.atomTo(idx, 'FAILURE', { failure, finishedAt: now }, { failure: brief(failure) });
        if (this.cancelRequested) break;
        this.onExecuteFailure(idx, failure);
        break;
      }
      case 'reverted': {
        const problem = unstorableReason(c.result);
        if (problem !== undefined) {
          const error = new UnstorableValueError(`revert result of "${d.name}" cannot be stored: ${problem.replace(/^\$/, 'result')}`);
          this.onCompletion({ idx, kind: 'revert-failed', error });
          break;
        }
        this.atomTo(idx, 'REVERTED', { result: undefined, revertResult: c.result, revertFailure: null, finishedAt: now });
        // the revert undid the sub-steps' effects: a later execution starts them afresh
        if (this.subSteps.delete(idx)) this.batch.clearSubSteps.push(d.name);
        this.afterReverted(idx);
        break;
      }
      case 'revert-failed': {
        const failure = storableFailure(`revert failure of "${d.name}"`, toFailure(c.error));
        this.atomTo(idx, 'REVERT_FAILURE', { revertFailure: failure, finishedAt: now }, { failure: brief(failure) });
        // TaskFlow retains revert failures: reverting stops on this path and the run fails
        this.retained ??= failure;
        this.setFlowFailure(failure);
        break;
      }
      default: {
        const never: never = c;
        throw new Error(`unknown completion ${JSON.stringify(never)}`);
      }
    }
  }

  /** TaskFlow's completer: ask the nearest retry controller, apply its strategy. */
  private onExecuteFailure(idx: number, failure: Failure): void {
    const d = this.d[idx]!;
    if (d.intention === 'REVERT') {
      // already being reverted by an earlier decision: revert this one too, ask nobody again
      this.enqueue(idx);
      return;
    }
    const strategy: Strategy = resolveFailure(
      this.flow,
      this.d,
      idx,
      failure,
      this.run.inputs,
      this.flow.definition.options?.deferReverts ?? false,
    );
    for (const r of strategy.historyUpdates) this.batch.atoms.add(r);
    const tweak = (i: number, intention: AtomDetail['intention']): void => {
      const x = this.d[i]!;
      if (x.intention !== intention) {
        x.intention = intention;
        this.batch.atoms.add(i);
      }
      this.enqueue(i);
    };
    switch (strategy.kind) {
      case 'retry':
        tweak(strategy.retry, 'RETRY');
        for (const s of subgraphOf(this.flow, strategy.retry)) tweak(s, 'REVERT');
        break;
      case 'revert':
        tweak(strategy.atom, 'REVERT');
        for (const s of subgraphOf(this.flow, strategy.atom)) tweak(s, 'REVERT');
        this.setFlowFailure(failure);
        break;
      case 'revert-all':
        for (let i = 0; i < this.d.length; i++) tweak(i, 'REVERT');
        this.setFlowFailure(failure);
        break;
      default: {
        const never: never = strategy;
        throw new Error(`unknown strategy ${JSON.stringify(never)}`);
      }
    }
    this.enqueue(idx);
  }

  private setFlowFailure(failure: Failure): void {
    this.run.failure = failure;
    this.batch.flow = { ...this.batch.flow, failure };
  }

  // ------------------------------------------------------------------ recording

  private emptyBatch(): RunExecutor['batch'] {
    return { atoms: new Set(), events: [], flow: {}, subSteps: [], clearSubSteps: [], timersSet: [], timersClear: [] };
  }

  private atomTo(idx: number, to: AtomState, patch: Partial<AtomDetail> = {}, data?: Record<string, unknown>, from?: AtomState): void {
    const d = this.d[idx]!;
    const prev = from ?? d.state;
    assertAtomTransition(d.name, prev, to);
    Object.assign(d, patch);
    d.state = to;
    this.batch.atoms.add(idx);
    this.batch.events.push({ kind: 'atom', atom: d.name, from: prev, to, data: data ?? null });
  }

  private flowTo(to: FlowState, patch: Partial<FlowDetail> = {}): void {
    assertFlowTransition(this.run.rootName, this.run.state, to);
    const from = this.run.state;
    Object.assign(this.run, patch);
    this.run.state = to;
    this.batch.flow = { ...this.batch.flow, ...patch, state: to };
    this.batch.events.push({
      kind: 'flow',
      atom: null,
      from,
      to,
      data: to === 'FAILURE' || to === 'REVERTED' ? (this.run.failure ? { failure: brief(this.run.failure) } : null) : null,
    });
  }

  private async flush(): Promise<void> {
    const b = this.batch;
    if (b.events.length === 0 && b.atoms.size === 0 && b.subSteps.length === 0 && b.clearSubSteps.length === 0) return;
    this.batch = this.emptyBatch();
    const change: RunChange = {
      atoms: [...b.atoms].map((i) => this.d[i]!),
      ...(Object.keys(b.flow ?? {}).length ? { flow: b.flow } : {}),
      ...(b.subSteps.length ? { subSteps: b.subSteps } : {}),
      ...(b.clearSubSteps.length ? { clearSubSteps: b.clearSubSteps } : {}),
      ...(b.timersSet.length || b.timersClear.length ? { timers: { set: b.timersSet, clear: b.timersClear } } : {}),
      events: b.events,
    };
    const acks = this.acks;
    this.acks = [];
    await this.enqueueCommit(change).then(
      () => acks.forEach((a) => a.resolve()),
      (error: unknown) => {
        acks.forEach((a) => a.reject(error));
        throw error;
      },
    );
  }

  private enqueueCommit(change: RunChange): Promise<RunEvent[]> {
    const p = this.commitChain.then(() => this.o.store.commit(this.run.id, change, this.o.fence));
    this.commitChain = p.then(
      (events) => this.o.emit(events),
      (error: unknown) => {
        this.fatal ??= error;
        this.notify();
      },
    );
    return p;
  }

  // ------------------------------------------------------------------ waiting

  private notify(): void {
    this.notified = true;
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private waitSignal(timeoutMs: number | undefined): Promise<void> {
    if (this.notified) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      this.waiter = () => {
        if (timer) clearTimeout(timer);
        this.notified = false;
        resolve();
      };
      if (timeoutMs !== undefined) timer = setTimeout(() => this.notify(), Math.max(0, Math.min(timeoutMs, 2_147_483_647)));
    });
  }
}

/** A failure as events carry it: no stack (the atom record keeps the whole failure). */
export function brief(f: Failure): { type: string; message: string } {
  return { type: f.type, message: f.message };
}
