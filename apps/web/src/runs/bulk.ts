import { canTransitionFlow, type FlowState } from '@atomflow/model';

/** The bulk actions of the runs list. */
export type BulkOp = 'retryFromFailure' | 'cancel';

export const BULK_LABEL: Record<BulkOp, string> = { retryFromFailure: 'Retry from failure', cancel: 'Cancel' };

const RETRYABLE = ['FAILURE', 'REVERTED', 'CANCELLED'];
const EXECUTING = ['RUNNING', 'RESUMING', 'SUSPENDING'];

/** Why one run's state does not allow the action (the engine's rule, checked again by the API), or undefined. */
export function runBlocker(op: BulkOp, state: string): string | undefined {
  if (op === 'retryFromFailure')
    return RETRYABLE.includes(state) ? undefined : `is ${state}: only FAILURE, REVERTED or CANCELLED runs can be retried`;
  return EXECUTING.includes(state) || canTransitionFlow(state as FlowState, 'CANCELLED')
    ? undefined
    : `is ${state}: it cannot be cancelled`;
}

/** Why the action's button is disabled for this selection, or undefined: every selected run must allow it. */
export function bulkBlocker(
  op: BulkOp,
  selected: ReadonlyArray<{ id: string; state: string }>,
  canRun: boolean,
  role: string,
): string | undefined {
  if (!canRun) return `your role (${role}) can only watch runs`;
  if (selected.length === 0) return 'select runs first';
  const refused = selected.flatMap((r) => {
    const why = runBlocker(op, r.state);
    return why ? [`${r.id.slice(0, 8)} ${why}`] : [];
  });
  if (refused.length === 0) return undefined;
  const more = refused.length > 3 ? ` (and ${refused.length - 3} more)` : '';
  return `run ${refused.slice(0, 3).join('; run ')}${more}`;
}

/**
 * The selection after a click on a row's checkbox: a plain click toggles the row and makes it the
 * anchor; a shift-click sets every row between the anchor and this one (in the order shown) to
 * what the clicked row becomes.
 */
export function clickSelect(
  selected: ReadonlySet<string>,
  rows: readonly string[],
  id: string,
  shift: boolean,
  anchor: string | undefined,
): { selected: Set<string>; anchor: string } {
  const next = new Set(selected);
  const on = !selected.has(id);
  const from = anchor === undefined ? -1 : rows.indexOf(anchor);
  const to = rows.indexOf(id);
  if (shift && from >= 0 && to >= 0) {
    const [lo, hi] = from < to ? [from, to] : [to, from];
    for (const r of rows.slice(lo, hi + 1)) {
      if (on) next.add(r);
      else next.delete(r);
    }
  } else if (on) next.add(id);
  else next.delete(id);
  return { selected: next, anchor: id };
}

/** Select-all of the rows shown: selects them all, or clears them when they all are selected already. */
export function toggleAll(selected: ReadonlySet<string>, rows: readonly string[]): Set<string> {
  const all = rows.length > 0 && rows.every((r) => selected.has(r));
  const next = new Set(selected);
  for (const r of rows) {
    if (all) next.delete(r);
    else next.add(r);
  }
  return next;
}
