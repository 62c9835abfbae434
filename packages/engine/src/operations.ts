import {
  assertNever,
  canTransitionAtom,
  canTransitionFlow,
  isStoppedFlowState,
  subgraphOf,
  type AtomDetail,
  type AtomState,
  type CompiledFlow,
  type Failure,
  type FlowState,
  type Intention,
  type NewRunEvent,
} from '@atomflow/model';

import { APPROVAL_REJECTED, APPROVAL_WAIT_REASON } from './errors.js';
import { resolveFailure } from './resolution.js';
import type { LoadedRun, RunChange } from './store.js';

/** A manual operation on a run (recorded as an event, applied by the run's owner). */
export type Operation =
  | { readonly type: 'retryAtom'; readonly atom: string; readonly by?: string }
  | { readonly type: 'revertAtom'; readonly atom: string; readonly by?: string }
  | { readonly type: 'retryFromFailure'; readonly by?: string }
  | { readonly type: 'revertRun'; readonly by?: string }
  | { readonly type: 'markSuccess'; readonly atom: string; readonly result: unknown; readonly by?: string }
  | { readonly type: 'skip'; readonly atom: string; readonly by?: string }
  | { readonly type: 'suspend'; readonly by?: string }
  | { readonly type: 'resume'; readonly by?: string }
  | { readonly type: 'cancel'; readonly by?: string }
  | { readonly type: 'approve'; readonly atom: string; readonly value?: unknown; readonly by?: string }
  | { readonly type: 'reject'; readonly atom: string; readonly reason?: string; readonly by?: string };

/** The operations that answer an atom waiting for approval. */
export type DecisionOperation = Extract<Operation, { type: 'approve' | 'reject' }>;

export function isDecision(op: Operation): op is DecisionOperation {
  return op.type === 'approve' || op.type === 'reject';
}

/** What a decision does to its atom: the result it succeeds with, or the failure it fails with. */
export type Decision =
  { readonly result: unknown; readonly failure?: undefined } | { readonly failure: Failure; readonly result?: undefined };

/** Whether an atom is parked waiting for a person's decision (see `AwaitApproval`). */
export function awaitsApproval(d: Pick<AtomDetail, 'state' | 'waitReason' | 'intention'>): boolean {
  return d.state === 'WAITING' && d.waitReason === APPROVAL_WAIT_REASON && d.intention === 'EXECUTE';
}

export type OperationType = Operation['type'];

export interface TouchedAtom {
  readonly name: string;
  readonly from: AtomState;
  /** The state it is put in now (same as `from` when only its intention changes). */
  readonly to: AtomState;
  /** What the engine will then do with it. */
  readonly intention: Intention;
}

export interface OperationPreview {
  readonly allowed: boolean;
  /** Why not, when not allowed. */
  readonly reason?: string;
  /** Atoms the operation touches, in the order it touches them. */
  readonly atoms: readonly TouchedAtom[];
  /** Whether the run executes again after the operation. */
  readonly resumes: boolean;
  /** The run's state right after the operation is recorded (before executing again). */
  readonly flowTo?: FlowState;
}

export interface OperationPlan {
  readonly preview: OperationPreview;
}

const REPAIRABLE_RUN: readonly FlowState[] = ['SUCCESS', 'FAILURE', 'REVERTED', 'SUSPENDED', 'CANCELLED', 'WAITING'];
/** Runs in which an atom's approval can be decided (an executing run takes it mid-way). */
const DECIDABLE_RUN: readonly FlowState[] = ['WAITING', 'SUSPENDED', 'RUNNING', 'RESUMING', 'SUSPENDING', 'PENDING'];

function refuse(reason: string): OperationPlan {
  return { preview: { allowed: false, reason, atoms: [], resumes: false } };
}

/** Decides what an operation would do to a run, without changing anything. */
export function planOperation(flow: CompiledFlow, run: LoadedRun, op: Operation, executing: boolean): OperationPlan {
  const state = run.flow.state;
  const byName = new Map(run.atoms.map((a) => [a.name, a]));
  const detail = (i: number): AtomDetail =>
    byName.get(flow.atoms[i]!.name) ?? {
      name: flow.atoms[i]!.name,
      type: flow.atoms[i]!.type,
      version: flow.atoms[i]!.version,
      kind: flow.atoms[i]!.kind,
      state: 'PENDING',
      intention: 'EXECUTE',
      attempts: 0,
    };
  const touched: TouchedAtom[] = [];
  const touch = (i: number, to: AtomState | undefined, intention: Intention): void => {
    const d = detail(i);
    const target = to ?? d.state;
    if (target === d.state && intention === d.intention) return;
    touched.push({ name: d.name, from: d.state, to: target, intention });
  };
  const atomIndex = (name: string): number | undefined => flow.byName.get(name)?.index;
  const needsStopped = (): OperationPlan | undefined => {
    if (executing) return refuse(`the run is executing; suspend it first`);
    if (!REPAIRABLE_RUN.includes(state)) return refuse(`the run is ${state}`);
    return undefined;
  };
  const ok = (resumes: boolean, flowTo?: FlowState): OperationPlan => ({
    preview: { allowed: true, atoms: touched, resumes, ...(flowTo ? { flowTo } : {}) },
  });

  switch (op.type) {
    case 'retryAtom': {
      const stop = needsStopped();
      if (stop) return stop;
      const idx = atomIndex(op.atom);
      if (idx === undefined) return refuse(`no atom named "${op.atom}" in this run's revision`);
      const d = detail(idx);
      if (d.state === 'RUNNING' || d.state === 'REVERTING' || d.state === 'RETRYING') return refuse(`"${op.atom}" is ${d.state}`);
      // upstream atoms that did not succeed must run first
      const ancestors = ancestorsOf(flow, idx).filter(
        (a) => !['SUCCESS', 'IGNORE'].includes(detail(a).state) || detail(a).intention !== 'EXECUTE',
      );
      for (const a of ancestors) touch(a, resetState(detail(a)), 'EXECUTE');
      touch(idx, resetState(d), 'EXECUTE');
      for (const s of subgraphOf(flow, idx)) touch(s, resetState(detail(s)), 'EXECUTE');
      return ok(true);
    }
    case 'revertAtom': {
      const stop = needsStopped();
      if (stop) return stop;
      const idx = atomIndex(op.atom);
      if (idx === undefined) return refuse(`no atom named "${op.atom}" in this run's revision`);
      const d = detail(idx);
      if (!['SUCCESS', 'FAILURE', 'WAITING'].includes(d.state))
        return refuse(`"${op.atom}" is ${d.state}: only a SUCCESS, FAILURE or WAITING atom can be reverted`);
      touch(idx, undefined, 'REVERT');
      for (const s of subgraphOf(flow, idx)) if (['SUCCESS', 'FAILURE', 'WAITING'].includes(detail(s).state)) touch(s, undefined, 'REVERT');
      return ok(true);
    }
    case 'retryFromFailure': {
      if (executing) return refuse(`the run is executing`);
      if (!['FAILURE', 'REVERTED', 'CANCELLED'].includes(state))
        return refuse(`the run is ${state}: only a FAILURE, REVERTED or CANCELLED run can be retried`);
      flow.atoms.forEach((_, i) => {
        const d = detail(i);
        if (d.state === 'SUCCESS' || d.state === 'IGNORE') {
          if (d.intention !== 'EXECUTE' && d.state === 'SUCCESS') touch(i, undefined, 'EXECUTE');
          return;
        }
        touch(i, resetState(d), 'EXECUTE');
      });
      return ok(true);
    }
    case 'revertRun': {
      const stop = needsStopped();
      if (stop) return stop;
      flow.atoms.forEach((_, i) => {
        const d = detail(i);
        if (d.state === 'REVERT_FAILURE') touch(i, 'REVERTING', 'REVERT');
        else if (['SUCCESS', 'FAILURE', 'WAITING', 'PENDING'].includes(d.state)) touch(i, undefined, 'REVERT');
      });
      return ok(true);
    }
    case 'markSuccess': {
      const stop = needsStopped();
      if (stop) return stop;
      const idx = atomIndex(op.atom);
      if (idx === undefined) return refuse(`no atom named "${op.atom}" in this run's revision`);
      const d = detail(idx);
      if (!canTransitionAtom(d.state, 'SUCCESS') || d.state === 'RUNNING')
        return refuse(`"${op.atom}" is ${d.state}: it cannot be marked SUCCESS`);
      touch(idx, 'SUCCESS', 'EXECUTE');
      return ok(state === 'WAITING');
    }
    case 'skip': {
      const stop = needsStopped();
      if (stop) return stop;
      const idx = atomIndex(op.atom);
      if (idx === undefined) return refuse(`no atom named "${op.atom}" in this run's revision`);
      const d = detail(idx);
      if (!canTransitionAtom(d.state, 'IGNORE')) return refuse(`"${op.atom}" is ${d.state}: it cannot be skipped`);
      touch(idx, 'IGNORE', 'IGNORE');
      return ok(state === 'WAITING');
    }
    case 'resume':
      if (executing) return refuse(`the run is already executing`);
      if (!['SUSPENDED', 'WAITING', 'RUNNING', 'SUSPENDING', 'RESUMING', 'PENDING'].includes(state))
        return refuse(`the run is ${state}: only a SUSPENDED or WAITING run (or one whose worker died) can be resumed`);
      return ok(true);
    case 'suspend':
      if (executing) return ok(false, 'SUSPENDING');
      if (state !== 'WAITING') return refuse(`the run is ${state}: only a running or WAITING run can be suspended`);
      return ok(false, 'SUSPENDED');
    case 'cancel':
      if (executing) return ok(false, 'CANCELLED');
      if (!canTransitionFlow(state, 'CANCELLED')) return refuse(`the run is ${state}: it cannot be cancelled`);
      flow.atoms.forEach((_, i) => {
        if (detail(i).state === 'WAITING') touch(i, 'PENDING', detail(i).intention);
      });
      return ok(false, 'CANCELLED');
    case 'approve':
    case 'reject': {
      const idx = atomIndex(op.atom);
      if (idx === undefined) return refuse(`no atom named "${op.atom}" in this run's revision`);
      const d = detail(idx);
      if (!awaitsApproval(d)) return refuse(`"${op.atom}" is not waiting for approval (it is ${d.state})`);
      if (!DECIDABLE_RUN.includes(state)) return refuse(`the run is ${state}`);
      if (op.type === 'approve') touch(idx, 'SUCCESS', 'EXECUTE');
      else {
        touch(idx, 'FAILURE', 'EXECUTE');
        touched.push(...rejectionConsequences(flow, run, idx, detail));
      }
      return ok(state === 'WAITING' && !executing);
    }
    default:
      return assertNever('operation', op);
  }
}

/**
 * What the failure of a rejected atom will make the engine do (its retry controller's decision):
 * the atoms whose intention changes, for the preview. Computed on copies; nothing is changed.
 */
function rejectionConsequences(flow: CompiledFlow, run: LoadedRun, idx: number, detail: (i: number) => AtomDetail): TouchedAtom[] {
  const copies = flow.atoms.map((_, i) => ({ ...detail(i) }));
  copies[idx] = { ...copies[idx]!, state: 'FAILURE' };
  const failure: Failure = { type: APPROVAL_REJECTED, message: 'rejected' };
  const strategy = resolveFailure(flow, copies, idx, failure, run.flow.inputs, flow.definition.options?.deferReverts ?? false);
  const intentions = new Map<number, Intention>();
  switch (strategy.kind) {
    case 'retry':
      intentions.set(strategy.retry, 'RETRY');
      for (const s of subgraphOf(flow, strategy.retry)) intentions.set(s, 'REVERT');
      break;
    case 'revert':
      intentions.set(strategy.atom, 'REVERT');
      for (const s of subgraphOf(flow, strategy.atom)) intentions.set(s, 'REVERT');
      break;
    case 'revert-all':
      flow.atoms.forEach((_, i) => intentions.set(i, 'REVERT'));
      break;
    default:
      return assertNever('strategy', strategy);
  }
  const out: TouchedAtom[] = [];
  for (const [i, intention] of [...intentions].sort((a, b) => a[0] - b[0])) {
    const d = copies[i]!;
    if (i === idx || d.intention === intention || d.state === 'PENDING') continue;
    out.push({ name: d.name, from: d.state, to: d.state, intention });
  }
  return out;
}

/** The state an atom is reset to for re-execution. */
function resetState(d: AtomDetail): AtomState {
  return d.state === 'WAITING' ? 'WAITING' : 'PENDING';
}

function ancestorsOf(flow: CompiledFlow, idx: number): number[] {
  const seen = new Uint8Array(flow.atoms.length);
  const out: number[] = [];
  const stack = [...flow.atoms[idx]!.preds];
  while (stack.length) {
    const v = stack.pop()!;
    if (seen[v]) continue;
    seen[v] = 1;
    out.push(v);
    stack.push(...flow.atoms[v]!.preds);
  }
  return out.sort((a, b) => a - b);
}

/** The change that records an allowed operation: the operation event, then each atom's reset. */
export function applyOperation(
  flow: CompiledFlow,
  run: LoadedRun,
  op: Operation,
  plan: OperationPlan,
  now: Date,
  decision?: Decision,
): RunChange {
  if (isDecision(op)) {
    if (!decision) throw new Error(`${op.type} needs its decision (result or failure)`);
    const old = run.atoms.find((a) => a.name === op.atom)!;
    return { atoms: [decide(old, decision, now)], events: decisionEvents(op, old, decision, plan.preview) };
  }
  const byName = new Map(run.atoms.map((a) => [a.name, a]));
  const atoms: AtomDetail[] = [];
  const events: NewRunEvent[] = [operationEvent(op, plan.preview)];
  const clearSubSteps: string[] = [];
  const clearTimers: string[] = [];
  for (const t of plan.preview.atoms) {
    const compiled = flow.byName.get(t.name)!;
    const old = byName.get(t.name) ?? {
      name: t.name,
      type: compiled.type,
      version: compiled.version,
      kind: compiled.kind,
      state: 'PENDING' as const,
      intention: 'EXECUTE' as const,
      attempts: 0,
    };
    const next: AtomDetail = { ...old, state: t.to, intention: t.intention };
    if (t.to !== t.from) {
      events.push({
        kind: 'atom',
        atom: t.name,
        from: t.from,
        to: t.to,
        data: { operation: op.type, ...(op.type === 'markSuccess' ? { result: op.result } : {}) },
      });
      if (t.to === 'PENDING') {
        delete next.result;
        next.failure = null;
        next.wakeAt = null;
        next.waitReason = null;
        // a re-run after success or revert starts its sub-steps afresh; a failed one keeps its progress
        if (t.from === 'SUCCESS' || t.from === 'REVERTED' || t.from === 'REVERT_FAILURE') clearSubSteps.push(t.name);
        if (t.from === 'WAITING') clearTimers.push(t.name);
        if (compiled.kind === 'retry' && t.from !== 'FAILURE') next.history = [];
      }
      if (t.to === 'SUCCESS' && op.type === 'markSuccess') {
        next.result = op.result;
        next.failure = null;
        next.finishedAt = now.toISOString();
        if (t.from === 'WAITING') clearTimers.push(t.name);
      }
      if (t.to === 'IGNORE' && t.from === 'WAITING') clearTimers.push(t.name);
    }
    atoms.push(next);
  }
  const flowPatch: RunChange['flow'] =
    op.type === 'retryFromFailure' || op.type === 'retryAtom' ? { failure: null, finishedAt: null } : undefined;
  const change: RunChange = {
    atoms,
    events,
    ...(clearSubSteps.length ? { clearSubSteps } : {}),
    ...(clearTimers.length ? { timers: { clear: clearTimers } } : {}),
    ...(flowPatch ? { flow: flowPatch } : {}),
  };
  const flowTo = plan.preview.flowTo;
  if (flowTo && !plan.preview.resumes && flowTo !== run.flow.state) {
    return {
      ...change,
      flow: { ...(change.flow ?? {}), state: flowTo, ...(flowTo === 'CANCELLED' ? { finishedAt: now.toISOString() } : {}) },
      events: [...events, { kind: 'flow', atom: null, from: run.flow.state, to: flowTo, data: { operation: op.type } }],
    };
  }
  return change;
}

/** The event that records an operation (who asked, what it touches). */
export function operationEvent(op: Operation, preview: OperationPreview): NewRunEvent {
  return {
    kind: 'operation',
    atom: 'atom' in op ? op.atom : null,
    from: null,
    to: op.type,
    data: { ...op, atoms: preview.atoms.map((a) => a.name) },
  };
}

/** An atom record after an approve (SUCCESS with the result) or a reject (FAILURE, to be resolved by its controller). */
export function decide(old: AtomDetail, decision: Decision, now: Date): AtomDetail {
  const base = { ...old, intention: 'EXECUTE' as const, wakeAt: null, waitReason: null, finishedAt: now.toISOString() };
  return decision.failure
    ? { ...base, state: 'FAILURE', failure: decision.failure }
    : { ...base, state: 'SUCCESS', result: decision.result, failure: null };
}

/** The operation event and the atom's transition event of an approve / reject (who decided is in both). */
export function decisionEvents(op: DecisionOperation, old: AtomDetail, decision: Decision, preview: OperationPreview): NewRunEvent[] {
  const by = op.by === undefined ? {} : { by: op.by };
  return [
    operationEvent(op, preview),
    {
      kind: 'atom',
      atom: op.atom,
      from: old.state,
      to: decision.failure ? 'FAILURE' : 'SUCCESS',
      data: decision.failure
        ? { operation: op.type, ...by, failure: { type: decision.failure.type, message: decision.failure.message } }
        : { operation: op.type, ...by, result: decision.result },
    },
  ];
}

export { isStoppedFlowState };
