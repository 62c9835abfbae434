import type { Fence, RunChange, Timer } from '@atomflow/engine';
import type { AtomDetail, SubStep } from '@atomflow/model';

import { InvalidRunChangeError } from './errors.js';
import type { SqlValue } from './runner.js';
import { checkAtom, checkEvent, checkFlowState, checkSubStep } from './validate.js';

/** A RunChange checked and normalised: what one run contributes to a commit statement. */
export interface RunCommit {
  readonly runId: string;
  readonly owner: string | null;
  /** The events as they will be stored (JSON), to return them without reading them back. */
  readonly eventsJson: string;
  readonly eventCount: number;
  readonly flow: RunChange['flow'] & object;
  readonly atoms: readonly AtomDetail[];
  readonly subSteps: readonly SubStep[];
  readonly clearSubSteps: readonly string[];
  readonly timersSet: readonly Timer[];
  readonly timersClear: readonly string[];
}

/** Checks a RunChange (InvalidRunChangeError before anything is sent) and normalises it. */
export function runCommit(runId: string, change: RunChange, fence?: Fence): RunCommit {
  for (const e of change.events) checkEvent(e);
  const eventsJson = JSON.stringify(change.events.map((e) => ({ kind: e.kind, atom: e.atom, from: e.from, to: e.to, data: e.data })));

  const atoms = lastByKey(change.atoms ?? [], (a) => a.name);
  for (const a of atoms) checkAtom(a);
  // first place, last value: a sub-step recorded twice in one commit (retried) keeps the place it was first recorded in
  const subSteps = lastByKey(change.subSteps ?? [], (s: SubStep) => `${s.atom}\u0000${s.name}`, 'first');
  for (const s of subSteps) checkSubStep(s);

  const set = lastByKey(change.timers?.set ?? [], (t) => t.atom);
  for (const t of set) {
    if (t.runId !== runId) throw new InvalidRunChangeError(`timer of atom ${t.atom} names run ${t.runId} in a commit to run ${runId}`);
  }
  // Setting replaces: an atom both cleared and set keeps the new timer (and one statement must
  // not both delete and insert the same row).
  const setAtoms = new Set(set.map((t) => t.atom));
  const clear = [...new Set(change.timers?.clear ?? [])].filter((a) => !setAtoms.has(a));

  const flow = change.flow ?? {};
  if (flow.state !== undefined) checkFlowState(flow.state);
  return {
    runId,
    owner: fence?.owner ?? null,
    eventsJson,
    eventCount: change.events.length,
    flow,
    atoms,
    subSteps,
    clearSubSteps: [...new Set(change.clearSubSteps ?? [])],
    timersSet: set,
    timersClear: clear,
  };
}

/** The parameters of statements.COMMIT (one run), in order. */
export function singleRunValues(c: RunCommit): SqlValue[] {
  const flow = c.flow;
  // Nullable fields: a key present with null/undefined clears, as in the in-memory store.
  return [
    c.runId,
    c.eventCount,
    flow.state ?? null,
    flow.revision ?? null,
    flow.meta === undefined ? null : JSON.stringify(flow.meta),
    'failure' in flow,
    flow.failure == null ? null : JSON.stringify(flow.failure),
    'startedAt' in flow,
    flow.startedAt ?? null,
    'finishedAt' in flow,
    flow.finishedAt ?? null,
    JSON.stringify(c.atoms),
    JSON.stringify(c.subSteps),
    JSON.stringify(c.timersClear),
    JSON.stringify(c.timersSet.map((t) => ({ atom: t.atom, wakeAt: t.wakeAt }))),
    c.eventsJson,
    c.owner,
    JSON.stringify(c.clearSubSteps),
  ];
}

/**
 * The parameters of statements.COMMIT_MANY: one JSON array per table, each row naming its run.
 * The events are spliced in as the JSON text they will be stored as (RunCommit.eventsJson),
 * each tagged with its run and its position in that run's commit.
 */
export function manyRunValues(commits: readonly RunCommit[]): SqlValue[] {
  const runs = commits.map((c) => {
    const f = c.flow;
    // keys left out (undefined) read as SQL NULL through jsonb_to_recordset
    return {
      run: c.runId,
      n: c.eventCount,
      state: f.state ?? undefined,
      revision: f.revision ?? undefined,
      meta: f.meta === undefined ? undefined : f.meta,
      setFailure: 'failure' in f,
      failure: f.failure ?? undefined,
      setStarted: 'startedAt' in f,
      startedAt: f.startedAt ?? undefined,
      setFinished: 'finishedAt' in f,
      finishedAt: f.finishedAt ?? undefined,
      owner: c.owner ?? undefined,
    };
  });
  const atoms: unknown[] = [];
  const subSteps: unknown[] = [];
  const clearSubSteps: unknown[] = [];
  const timersClear: unknown[] = [];
  const timersSet: unknown[] = [];
  const events: string[] = [];
  for (const c of commits) {
    for (const a of c.atoms) atoms.push({ ...a, run: c.runId });
    for (const s of c.subSteps) subSteps.push({ ...s, run: c.runId });
    for (const atom of c.clearSubSteps) clearSubSteps.push({ run: c.runId, atom });
    for (const atom of c.timersClear) timersClear.push({ run: c.runId, atom });
    for (const t of c.timersSet) timersSet.push({ run: c.runId, atom: t.atom, wakeAt: t.wakeAt });
    if (c.eventCount > 0) events.push(`{"run":${JSON.stringify(c.runId)},"events":${c.eventsJson}}`);
  }
  return [
    JSON.stringify(runs),
    JSON.stringify(atoms),
    JSON.stringify(subSteps),
    JSON.stringify(clearSubSteps),
    JSON.stringify(timersClear),
    JSON.stringify(timersSet),
    `[${events.join(',')}]`,
  ];
}

/** One row per key, the last one given winning: an upsert may not touch a row twice. */
function lastByKey<T>(items: readonly T[], key: (item: T) => string, place: 'first' | 'last' = 'last'): readonly T[] {
  if (items.length < 2) return items;
  const byKey = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (place === 'last') byKey.delete(k); // keep the order of last occurrence (else of the first)
    byKey.set(k, item);
  }
  return byKey.size === items.length ? items : [...byKey.values()];
}
