import type { AtomDetail, FlowDefinition, FlowDetail, LogBook, RunEvent, SubStep } from '@atomflow/model';

import { LeaseLostError, RevisionConflictError, RunNotFoundError } from './errors.js';
import type { LoadedRun, NewRun, RunChange, RunFilter, StoredRevision, Timer } from './store.js';
import type { Command, Fence, WorkStore } from './work-store.js';

interface MemoryRun {
  flow: FlowDetail;
  atoms: Map<string, AtomDetail>;
  subSteps: Map<string, SubStep>;
  events: RunEvent[];
}

/** structuredClone keeps `undefined` fields; JSON round-trips as a database would. */
const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

/**
 * A Store in process memory, for unit tests and headless in-memory runs. It copies what it is
 * given and what it returns, so callers cannot mutate "committed" state behind its back.
 */
export class InMemoryStore implements WorkStore {
  private readonly logbooks = new Map<string, LogBook>();
  private readonly revisions = new Map<string, StoredRevision>();
  private readonly runs = new Map<string, MemoryRun>();
  private readonly timers = new Map<string, Timer>();
  private readonly leases = new Map<string, { owner: string; expiresAt: number }>();
  private readonly commands: Command[] = [];
  /** Test hook: called before each commit; throwing aborts it (nothing is applied). */
  beforeCommit?: (runId: string, change: RunChange) => void;

  constructor(private readonly now: () => Date = () => new Date()) {}

  ensureLogBook(id: string, name: string): Promise<LogBook> {
    let lb = this.logbooks.get(id);
    if (!lb) this.logbooks.set(id, (lb = { id, name, createdAt: this.now().toISOString() }));
    return Promise.resolve(lb);
  }

  saveRevision(def: FlowDefinition): Promise<StoredRevision> {
    const key = `${def.id}@${def.revision}`;
    const existing = this.revisions.get(key);
    if (existing) {
      if (JSON.stringify(existing.definition) !== JSON.stringify(def))
        return Promise.reject(new RevisionConflictError(def.id, def.revision));
      return Promise.resolve(existing);
    }
    const rev: StoredRevision = { flowId: def.id, revision: def.revision, definition: clone(def), createdAt: this.now().toISOString() };
    this.revisions.set(key, rev);
    return Promise.resolve(rev);
  }

  getRevision(flowId: string, revision: number): Promise<StoredRevision | undefined> {
    return Promise.resolve(this.revisions.get(`${flowId}@${revision}`));
  }

  latestRevision(flowId: string): Promise<StoredRevision | undefined> {
    let best: StoredRevision | undefined;
    for (const r of this.revisions.values()) if (r.flowId === flowId && (!best || r.revision > best.revision)) best = r;
    return Promise.resolve(best);
  }

  createRun(run: NewRun): Promise<FlowDetail> {
    if (this.runs.has(run.id)) return Promise.reject(new Error(`run ${run.id} already exists`));
    const now = this.now().toISOString();
    const flow: FlowDetail = {
      id: run.id,
      logbookId: run.logbookId,
      flowId: run.flowId,
      revision: run.revision,
      rootName: run.rootName,
      state: 'PENDING',
      inputs: clone(run.inputs),
      failure: null,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
      meta: clone(run.meta),
    };
    this.runs.set(run.id, { flow, atoms: new Map(run.atoms.map((a) => [a.name, { ...a }])), subSteps: new Map(), events: [] });
    if (run.lease) this.leases.set(run.id, { owner: run.lease.owner, expiresAt: this.now().getTime() + run.lease.ttlMs });
    return Promise.resolve(clone(flow));
  }

  loadRun(runId: string): Promise<LoadedRun | undefined> {
    const r = this.runs.get(runId);
    if (!r) return Promise.resolve(undefined);
    return Promise.resolve({
      flow: clone(r.flow),
      // shallow copies: committed records are never mutated in place (see commit)
      atoms: [...r.atoms.values()].map((a) => ({ ...a })),
      subSteps: [...r.subSteps.values()].map(clone),
      lastSeq: r.events.length,
    });
  }

  listRuns(filter: RunFilter = {}): Promise<FlowDetail[]> {
    let out = [...this.runs.values()].map((r) => r.flow);
    if (filter.states) out = out.filter((f) => filter.states!.includes(f.state));
    if (filter.flowId) out = out.filter((f) => f.flowId === filter.flowId);
    out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    return Promise.resolve(out.slice(0, filter.limit ?? out.length).map(clone));
  }

  commit(runId: string, change: RunChange, fence?: Fence): Promise<RunEvent[]> {
    const r = this.runs.get(runId);
    if (!r) return Promise.reject(new RunNotFoundError(runId));
    if (fence && !this.holds(runId, fence.owner)) return Promise.reject(new LeaseLostError(runId, fence.owner));
    try {
      this.beforeCommit?.(runId, change);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    const at = this.now().toISOString();
    // Shallow copies: the engine replaces (never mutates) nested values of the records it commits,
    // and a deep clone per transition would dominate in-memory runs.
    for (const a of change.atoms ?? []) r.atoms.set(a.name, { ...a });
    if (change.flow) Object.assign(r.flow, clone(change.flow), { updatedAt: at });
    // Sub-steps in the order first recorded (Map insertion order; replacing one keeps its place),
    // as DbStore's created_seq: a cleared atom's sub-steps written anew in the same change keep theirs.
    const written = new Set((change.subSteps ?? []).map((s) => `${s.atom}\u0000${s.name}`));
    for (const atom of change.clearSubSteps ?? [])
      for (const [k, s] of r.subSteps) if (s.atom === atom && !written.has(k)) r.subSteps.delete(k);
    for (const s of change.subSteps ?? []) r.subSteps.set(`${s.atom}\u0000${s.name}`, clone(s));
    for (const name of change.timers?.clear ?? []) this.timers.delete(`${runId}\u0000${name}`);
    for (const t of change.timers?.set ?? []) this.timers.set(`${t.runId}\u0000${t.atom}`, { ...t });
    const base = r.events.length;
    // one literal shape for every event (fast in V8); frozen, so handing them out is safe
    const events = change.events.map((e, i): RunEvent =>
      Object.freeze({ runId, seq: base + i + 1, kind: e.kind, atom: e.atom, from: e.from, to: e.to, data: e.data, at }),
    );
    for (const e of events) r.events.push(e);
    return Promise.resolve(events);
  }

  events(runId: string, afterSeq = 0, limit = Number.MAX_SAFE_INTEGER): Promise<RunEvent[]> {
    const r = this.runs.get(runId);
    if (!r) return Promise.reject(new RunNotFoundError(runId));
    return Promise.resolve(r.events.slice(afterSeq, afterSeq + limit));
  }

  dueTimers(now: string, limit = 100): Promise<Timer[]> {
    const due = [...this.timers.values()].filter((t) => t.wakeAt <= now).sort((a, b) => (a.wakeAt < b.wakeAt ? -1 : 1));
    return Promise.resolve(due.slice(0, limit));
  }

  private holds(runId: string, owner: string): boolean {
    const l = this.leases.get(runId);
    return l !== undefined && l.owner === owner && l.expiresAt > this.now().getTime();
  }

  claimRuns(owner: string, ttlMs: number, limit: number): Promise<string[]> {
    const now = this.now();
    const iso = now.toISOString();
    const withCommands = new Set(this.commands.filter((c) => c.appliedAt === null).map((c) => c.runId));
    const dueRuns = new Set([...this.timers.values()].filter((t) => t.wakeAt <= iso).map((t) => t.runId));
    const out: string[] = [];
    for (const [id, r] of this.runs) {
      if (out.length >= limit) break;
      const l = this.leases.get(id);
      if (l && l.expiresAt > now.getTime()) continue;
      const st = r.flow.state;
      const needs =
        ['PENDING', 'RUNNING', 'SUSPENDING', 'RESUMING'].includes(st) || (st === 'WAITING' && dueRuns.has(id)) || withCommands.has(id);
      if (!needs) continue;
      this.leases.set(id, { owner, expiresAt: now.getTime() + ttlMs });
      out.push(id);
    }
    return Promise.resolve(out);
  }

  claimRun(runId: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.now().getTime();
    const l = this.leases.get(runId);
    if (!this.runs.has(runId) || (l && l.owner !== owner && l.expiresAt > now)) return Promise.resolve(false);
    this.leases.set(runId, { owner, expiresAt: now + ttlMs });
    return Promise.resolve(true);
  }

  renewLeases(owner: string, runIds: readonly string[], ttlMs: number): Promise<string[]> {
    const now = this.now().getTime();
    const held = runIds.filter((id) => this.holds(id, owner));
    for (const id of held) this.leases.set(id, { owner, expiresAt: now + ttlMs });
    return Promise.resolve(held);
  }

  releaseRun(runId: string, owner: string): Promise<void> {
    if (this.leases.get(runId)?.owner === owner) this.leases.delete(runId);
    return Promise.resolve();
  }

  leaseOf(runId: string): Promise<{ owner: string; expiresAt: string } | undefined> {
    const l = this.leases.get(runId);
    return Promise.resolve(l && { owner: l.owner, expiresAt: new Date(l.expiresAt).toISOString() });
  }

  enqueueCommand(runId: string, op: Record<string, unknown>): Promise<Command> {
    if (!this.runs.has(runId)) return Promise.reject(new RunNotFoundError(runId));
    const c: Command = {
      id: this.commands.length + 1,
      runId,
      op: clone(op),
      createdAt: this.now().toISOString(),
      appliedAt: null,
      outcome: null,
    };
    this.commands.push(c);
    return Promise.resolve({ ...c });
  }

  pendingCommands(runIds?: readonly string[]): Promise<Command[]> {
    return Promise.resolve(
      this.commands.filter((c) => c.appliedAt === null && (!runIds || runIds.includes(c.runId))).map((c) => ({ ...c })),
    );
  }

  completeCommand(id: number, outcome: Record<string, unknown>): Promise<void> {
    const i = this.commands.findIndex((c) => c.id === id);
    if (i >= 0) this.commands[i] = { ...this.commands[i]!, appliedAt: this.now().toISOString(), outcome: clone(outcome) };
    return Promise.resolve();
  }

  getCommand(id: number): Promise<Command | undefined> {
    const c = this.commands.find((x) => x.id === id);
    return Promise.resolve(c && { ...c });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
