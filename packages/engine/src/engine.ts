import { randomUUID } from 'node:crypto';

import {
  compileFlow,
  diffRevisions,
  isStoppedFlowState,
  ValidationError,
  type AtomDetail,
  type CompiledFlow,
  type FlowDefinition,
  type FlowDetail,
  type RevisionDiff,
  type RunEvent,
} from '@atomflow/model';

import { ApprovalRejected, MissingInputsError, OperationNotAllowedError, RevisionNotFoundError, RunNotFoundError } from './errors.js';
import {
  applyOperation,
  isDecision,
  planOperation,
  type Decision,
  type DecisionOperation,
  type Operation,
  type OperationPreview,
} from './operations.js';
import { parseConfig, type AtomRegistry } from './registry.js';
import { RunExecutor, type RunOutcome } from './run-executor.js';
import type { LoadedRun, RunChange, Store } from './store.js';
import type { Fence } from './work-store.js';

export interface EngineOptions {
  readonly store: Store;
  readonly registry: AtomRegistry;
  /** Most atoms executing at once per run (a definition's `options.maxParallel` overrides). */
  readonly maxParallel?: number;
  /** Timers due within this many ms are awaited in process; later ones park the run WAITING. */
  readonly holdTimersUpToMs?: number;
  readonly now?: () => Date;
  readonly logbookId?: string;
  /** This engine's worker id: every write is fenced by that worker's lease on the run. */
  readonly owner?: string;
  /**
   * The atoms' `ctx.baseUrl`: where URL paths in configs point (a server gives its own origin).
   * A function is asked at each atom call (a server knows its port only once it listens).
   */
  readonly baseUrl?: string | (() => string | undefined);
}

export interface StartRunOptions {
  readonly inputs?: Record<string, unknown>;
  readonly runId?: string;
  /** Suspend the run once this atom succeeds. */
  readonly stopAfter?: string;
  readonly meta?: Record<string, unknown>;
  /**
   * Create the run already leased to this engine's owner for this long (needs `owner` and a
   * WorkStore): for a process that executes the run it creates, so no worker can claim it first.
   */
  readonly leaseTtlMs?: number;
}

export interface ResumeOptions {
  /** Migrate the run to this revision first (atoms matched by name; see `diffRevisions`). */
  readonly definition?: FlowDefinition;
  readonly stopAfter?: string;
  /**
   * The run's record as the caller has just loaded it (a worker deciding whether to resume), so
   * it is not loaded again. Ignored with `definition` (the migration changes it).
   */
  readonly loaded?: LoadedRun;
}

export type EventListener = (event: RunEvent) => void;

/** The atom records a fresh run of a compiled flow starts with. */
export function initialDetails(flow: CompiledFlow): AtomDetail[] {
  // every field present from the start: records keep one shape (fast property access in V8)
  return flow.atoms.map((a) => ({
    name: a.name,
    type: a.type,
    version: a.version,
    kind: a.kind,
    state: 'PENDING',
    intention: 'EXECUTE',
    result: undefined,
    failure: null,
    revertResult: undefined,
    revertFailure: null,
    attempts: 0,
    history: a.kind === 'retry' ? [] : undefined,
    wakeAt: null,
    waitReason: null,
    startedAt: null,
    finishedAt: null,
    inputs: null,
  }));
}

/**
 * atomflow's engine: starts, resumes and repairs runs. Runs are executed by `RunExecutor`s;
 * everything they do is recorded in the Store first and then published to listeners.
 */
export class Engine {
  private readonly listeners = new Set<EventListener>();
  private readonly active = new Map<string, RunExecutor>();
  /** The executions in progress (settled when the executor has stopped). */
  private readonly executions = new Map<string, Promise<unknown>>();
  private readonly compiled = new Map<string, CompiledFlow>();
  private readonly now: () => Date;
  private readonly baseUrl: () => string | undefined;

  constructor(private readonly o: EngineOptions) {
    this.now = o.now ?? (() => new Date());
    const base = o.baseUrl;
    this.baseUrl = typeof base === 'function' ? base : () => base;
  }

  get store(): Store {
    return this.o.store;
  }

  get registry(): AtomRegistry {
    return this.o.registry;
  }

  /** Listens to every committed event of every run this engine executes. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Validates and compiles a definition against this engine's registry (throws ValidationError). */
  compile(def: FlowDefinition, inputs?: readonly string[]): CompiledFlow {
    return compileFlow(def, this.o.registry, inputs ? { inputs } : {});
  }

  /** Creates a run of a definition (saved as its revision) without executing it. */
  async createRun(def: FlowDefinition, opts: StartRunOptions = {}): Promise<FlowDetail> {
    const inputs = opts.inputs ?? {};
    const flow = this.compile(def, Object.keys(inputs));
    const missing = flow.inputs.filter((k) => !(k in inputs));
    if (missing.length) throw new MissingInputsError(missing);
    if (opts.stopAfter !== undefined && !flow.byName.has(opts.stopAfter))
      throw new ValidationError([{ path: 'stopAfter', code: 'schema', message: `no atom named "${opts.stopAfter}"` }]);
    await this.o.store.saveRevision(def);
    const logbookId = this.o.logbookId ?? 'default';
    await this.o.store.ensureLogBook(logbookId, logbookId);
    this.compiled.set(`${def.id}@${def.revision}`, flow);
    return this.o.store.createRun({
      id: opts.runId ?? randomUUID(),
      logbookId,
      flowId: def.id,
      revision: def.revision,
      rootName: def.root.name,
      inputs,
      meta: { ...(opts.meta ?? {}) },
      atoms: initialDetails(flow),
      ...(opts.leaseTtlMs !== undefined && this.o.owner !== undefined ? { lease: { owner: this.o.owner, ttlMs: opts.leaseTtlMs } } : {}),
    });
  }

  /** Creates and executes a run until it stops (SUCCESS, REVERTED, FAILURE, SUSPENDED, WAITING…). */
  async startRun(def: FlowDefinition, opts: StartRunOptions = {}): Promise<RunOutcome> {
    const run = await this.createRun(def, opts);
    return this.executeRun(run.id, opts.stopAfter ? { stopAfter: opts.stopAfter } : {});
  }

  /**
   * Resumes a run from its durable record: SUCCESS atoms never run again, RUNNING ones are
   * executed again, pending reverts continue. With `definition`, migrates the run first.
   */
  async resumeRun(runId: string, opts: ResumeOptions = {}): Promise<RunOutcome> {
    if (opts.definition) await this.migrateRun(runId, opts.definition);
    const loaded = opts.definition === undefined && opts.loaded?.flow.id === runId ? opts.loaded : undefined;
    return this.executeRun(runId, { ...(opts.stopAfter ? { stopAfter: opts.stopAfter } : {}), ...(loaded ? { loaded } : {}) });
  }

  /** Stops executing a run without changing its state (see RunExecutor.requestRelease). */
  releaseRun(runId: string): boolean {
    const ex = this.active.get(runId);
    ex?.requestRelease();
    return ex !== undefined;
  }

  /** Ids of the runs this engine is executing now. */
  activeRuns(): string[] {
    return [...this.active.keys()];
  }

  private get fence(): Fence | undefined {
    return this.o.owner === undefined ? undefined : { owner: this.o.owner };
  }

  /** Suspends a run this engine is executing (it stops after the atoms in flight). */
  suspendRun(runId: string): boolean {
    const ex = this.active.get(runId);
    ex?.requestSuspend();
    return ex !== undefined;
  }

  /**
   * Moves a stopped run to another revision of its flow: atoms are matched by name; added and
   * version-changed atoms get fresh records; removed ones keep theirs and are ignored.
   */
  async migrateRun(runId: string, def: FlowDefinition): Promise<RevisionDiff> {
    if (this.active.has(runId)) throw new OperationNotAllowedError(`run ${runId} is executing: suspend it before migrating`);
    const loaded = await this.load(runId);
    if (def.id !== loaded.flow.flowId) throw new OperationNotAllowedError(`run ${runId} runs flow ${loaded.flow.flowId}, not ${def.id}`);
    if (
      !isStoppedFlowState(loaded.flow.state) &&
      loaded.flow.state !== 'WAITING' &&
      loaded.flow.state !== 'RUNNING' &&
      loaded.flow.state !== 'SUSPENDING'
    )
      throw new OperationNotAllowedError(`run ${runId} is ${loaded.flow.state}`);
    const current = await this.o.store.getRevision(loaded.flow.flowId, loaded.flow.revision);
    if (!current) throw new RevisionNotFoundError(loaded.flow.flowId, loaded.flow.revision);
    const flow = this.compile(def, Object.keys(loaded.flow.inputs));
    const missing = flow.inputs.filter((k) => !(k in loaded.flow.inputs));
    if (missing.length) throw new MissingInputsError(missing);
    await this.o.store.saveRevision(def);
    this.compiled.set(`${def.id}@${def.revision}`, flow);
    const diff = diffRevisions(current.definition, def);
    const fresh = new Set([...diff.added.map((a) => a.name), ...diff.versionChanged.map((a) => a.name)]);
    const change: RunChange = {
      atoms: initialDetails(flow).filter((a) => fresh.has(a.name)),
      flow: { revision: def.revision },
      timers: { clear: diff.versionChanged.map((a) => a.name) },
      events: [
        {
          kind: 'migration',
          atom: null,
          from: String(loaded.flow.revision),
          to: String(def.revision),
          data: {
            added: diff.added.map((a) => a.name),
            removed: diff.removed.map((a) => a.name),
            versionChanged: diff.versionChanged.map((a) => a.name),
          },
        },
      ],
    };
    this.publish(await this.o.store.commit(runId, change, this.fence));
    return diff;
  }

  /** Which atoms an operation would touch, and whether it is allowed now. */
  async previewOperation(runId: string, op: Operation): Promise<OperationPreview> {
    const loaded = await this.load(runId);
    const flow = await this.flowOf(loaded.flow);
    return planOperation(flow, loaded, op, this.active.has(runId)).preview;
  }

  /**
   * Applies a manual operation: records it (one event plus the atoms it resets) and, for
   * operations that continue the run, executes it until it stops again.
   */
  async operate(
    runId: string,
    op: Operation,
    opts: { execute?: boolean } = {},
  ): Promise<{ preview: OperationPreview; outcome?: RunOutcome }> {
    const ex = this.active.get(runId);
    if (ex && op.type === 'suspend') {
      ex.requestSuspend();
      return { preview: { allowed: true, atoms: [], resumes: false } };
    }
    if (ex && op.type === 'cancel') {
      ex.requestCancel();
      return { preview: { allowed: true, atoms: [], resumes: false } };
    }
    if (ex && isDecision(op)) {
      const preview = await this.decide(runId, op);
      if (preview) return { preview };
      // the executor was finishing: apply it to the run once it has stopped
      await this.executions.get(runId)?.catch(() => undefined);
    }
    const loaded = await this.load(runId);
    const flow = await this.flowOf(loaded.flow);
    const plan = planOperation(flow, loaded, op, this.active.has(runId));
    if (!plan.preview.allowed) throw new OperationNotAllowedError(plan.preview.reason ?? `${op.type} is not allowed now`);
    const decision = isDecision(op) ? this.decisionOf(flow, op) : undefined;
    const change = applyOperation(flow, loaded, op, plan, this.now(), decision);
    if (!plan.preview.resumes || opts.execute === false) {
      // recorded now; with execute: false the caller resumes the run itself
      this.publish(await this.o.store.commit(runId, change, this.fence));
      return { preview: plan.preview };
    }
    const outcome = await this.executeRun(runId, { preamble: change });
    return { preview: plan.preview, outcome };
  }

  /**
   * Applies an approve / reject to a run this engine is executing (its executor takes it at its
   * next step, without stopping the run). Returns undefined when this engine is not executing
   * the run (any more): the operation is then applied to the stopped run (see `operate`).
   * Throws OperationNotAllowedError when the atom is not waiting for approval, and the atom's
   * ValidationError when the approved value is wrong.
   */
  async decide(runId: string, op: DecisionOperation): Promise<OperationPreview | undefined> {
    const ex = this.active.get(runId);
    if (!ex) return undefined;
    const loaded = await this.load(runId);
    const flow = await this.flowOf(loaded.flow);
    const plan = planOperation(flow, loaded, op, true);
    if (!plan.preview.allowed) throw new OperationNotAllowedError(plan.preview.reason ?? `${op.type} is not allowed now`);
    const done = ex.offerDecision(op, this.decisionOf(flow, op), plan.preview);
    if (!done) return undefined;
    await done;
    return plan.preview;
  }

  /**
   * The result an approval gives (the atom's `approve` turns the value into it, validating it;
   * without one, the value or `{ approved: true }`), or the failure a rejection gives.
   */
  decisionOf(flow: CompiledFlow, op: DecisionOperation): Decision {
    const atom = flow.byName.get(op.atom);
    if (!atom) throw new OperationNotAllowedError(`no atom named "${op.atom}" in this run's revision`);
    if (op.type === 'reject') {
      const error = new ApprovalRejected(op.atom, op.reason, op.by);
      const details = { ...(op.reason === undefined ? {} : { reason: op.reason }), ...(op.by === undefined ? {} : { by: op.by }) };
      return { failure: { type: error.name, message: error.message, ...(Object.keys(details).length ? { details } : {}) } };
    }
    const def = this.o.registry.definition(atom.type, atom.version);
    if (def?.approve) return { result: def.approve(op.value, parseConfig(def, atom.config)) };
    return { result: op.value === undefined ? { approved: true } : op.value };
  }

  private async executeRun(
    runId: string,
    extra: { stopAfter?: string; preamble?: Partial<RunChange>; loaded?: LoadedRun },
  ): Promise<RunOutcome> {
    if (this.active.has(runId)) throw new OperationNotAllowedError(`run ${runId} is already executing in this process`);
    const loaded = extra.loaded ?? (await this.load(runId));
    const flow = await this.flowOf(loaded.flow);
    const byName = new Map(loaded.atoms.map((a) => [a.name, a]));
    // stop-after applies to the invocation that asked for it, not to later resumes
    const stopAfter = extra.stopAfter;
    // Atom records are re-associated by name; a changed version counts as a new atom.
    const details = initialDetails(flow).map((fresh) => {
      const old = byName.get(fresh.name);
      return old && old.version === fresh.version && old.type === fresh.type ? { ...old } : fresh;
    });
    const preamble = extra.preamble;
    if (preamble?.atoms) {
      const patched = new Map(preamble.atoms.map((a) => [a.name, a]));
      details.forEach((d, i) => {
        const p = patched.get(d.name);
        if (p) details[i] = { ...p };
      });
    }
    const run: FlowDetail = { ...loaded.flow, ...(preamble?.flow ?? {}) };
    const executor = new RunExecutor({
      store: this.o.store,
      registry: this.o.registry,
      flow,
      run,
      details,
      subSteps: loaded.subSteps,
      maxParallel: flow.definition.options?.maxParallel ?? this.o.maxParallel ?? 32,
      holdTimersUpToMs: this.o.holdTimersUpToMs ?? Number.POSITIVE_INFINITY,
      now: this.now,
      baseUrl: this.baseUrl,
      emit: (events) => this.publish(events),
      ...(stopAfter !== undefined ? { stopAfter } : {}),
      ...(preamble ? { preamble } : {}),
      ...(this.fence ? { fence: this.fence } : {}),
    });
    this.active.set(runId, executor);
    const execution = executor.execute();
    this.executions.set(runId, execution);
    try {
      return await execution;
    } finally {
      this.active.delete(runId);
      this.executions.delete(runId);
    }
  }

  private publish(events: readonly RunEvent[]): void {
    for (const e of events)
      for (const l of this.listeners) {
        try {
          l(e);
        } catch (error) {
          // a broken listener must not break the run; surface it where it can be seen
          queueMicrotask(() => {
            throw error;
          });
        }
      }
  }

  private async load(runId: string): Promise<LoadedRun> {
    const loaded = await this.o.store.loadRun(runId);
    if (!loaded) throw new RunNotFoundError(runId);
    return loaded;
  }

  private async flowOf(run: FlowDetail): Promise<CompiledFlow> {
    const key = `${run.flowId}@${run.revision}`;
    const cached = this.compiled.get(key);
    if (cached) return cached;
    const rev = await this.o.store.getRevision(run.flowId, run.revision);
    if (!rev) throw new RevisionNotFoundError(run.flowId, run.revision);
    const flow = this.compile(rev.definition, Object.keys(run.inputs));
    this.compiled.set(key, flow);
    return flow;
  }
}
