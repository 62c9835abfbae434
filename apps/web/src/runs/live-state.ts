import { FINISHED_ATOM_STATES } from '../lib/states';

/** The subset of a RunEvent (model) the monitor reads. */
export interface MonitorEvent {
  readonly seq: number;
  readonly kind: string;
  readonly atom: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly data: Record<string, unknown> | null;
  readonly at: string;
}

/** Adds events to a list ordered by seq, each seq once (a resumed stream may overlap what is there). */
export function mergeEvents<E extends MonitorEvent>(prev: readonly E[], incoming: readonly E[]): E[] {
  if (!incoming.length) return prev as E[];
  const last = prev.length ? prev[prev.length - 1]!.seq : 0;
  const fresh = incoming.filter((e) => e.seq > last);
  if (fresh.length === incoming.length && fresh.every((e, i) => i === 0 || e.seq > fresh[i - 1]!.seq)) return [...prev, ...fresh];
  const bySeq = new Map<number, E>();
  for (const e of prev) bySeq.set(e.seq, e);
  for (const e of incoming) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export interface LiveStates {
  readonly run: string;
  readonly atoms: Record<string, string>;
}

/** The states of a snapshot (as of `snapshotSeq`) moved on by the events after it. */
export function liveStates(
  snapshot: { run: string; atoms: Readonly<Record<string, string>>; seq: number },
  events: readonly MonitorEvent[],
): LiveStates {
  let run = snapshot.run;
  const atoms: Record<string, string> = { ...snapshot.atoms };
  for (const e of events) {
    if (e.seq <= snapshot.seq || !e.to) continue;
    if (e.kind === 'flow') run = e.to;
    else if (e.kind === 'atom' && e.atom) atoms[e.atom] = e.to;
  }
  return { run, atoms };
}

/**
 * The atom whose failure set the current revert going: the last atom to enter FAILURE, unless the
 * run has since been retried and succeeded or is running again.
 */
export function rootFailure(events: readonly MonitorEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind === 'flow' && (e.to === 'SUCCESS' || e.to === 'RUNNING' || e.to === 'RESUMING')) return undefined;
    if (e.kind === 'atom' && e.to === 'FAILURE' && e.atom) return e.atom;
  }
  return undefined;
}

/** n of m atoms in a finished state. */
export function progress(states: Readonly<Record<string, string>>): { done: number; total: number } {
  const all = Object.values(states);
  return { done: all.filter((s) => FINISHED_ATOM_STATES.has(s)).length, total: all.length };
}
