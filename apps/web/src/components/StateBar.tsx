import { countFinished, stateLook } from '../lib/states';

/** Drawing order: finished outcomes first (left), then work in flight; PENDING is the empty track. */
const ORDER = ['SUCCESS', 'IGNORE', 'REVERTED', 'REVERT_FAILURE', 'FAILURE', 'REVERTING', 'RETRYING', 'RUNNING', 'WAITING'] as const;

export interface StateBarProps {
  /** How many atoms are in each state (or give `states`, each atom's state, to have them counted). */
  readonly counts?: Readonly<Record<string, number>>;
  readonly states?: Readonly<Record<string, string>>;
  readonly className?: string;
}

/**
 * A run's progress as one bar split by atom state, in the state palette: a reverted run reads
 * purple, a failing one shows its red slice, at a glance (a plain green bar said "5/5 done"
 * for a run that was entirely compensated).
 */
export function StateBar({ counts: given, states, className }: StateBarProps) {
  const counts: Record<string, number> = { ...given };
  if (states) for (const s of Object.values(states)) counts[s] = (counts[s] ?? 0) + 1;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const parts = ORDER.filter((s) => (counts[s] ?? 0) > 0).map((s) => ({ state: s, n: counts[s]!, look: stateLook(s) }));
  const summary = parts.map((p) => `${p.n} ${p.look.label.toLowerCase()}`).join(', ') || 'nothing finished yet';
  const done = countFinished(counts);
  return (
    <div
      className={`progress state-bar${className ? ` ${className}` : ''}`}
      role="progressbar"
      aria-label="Atoms finished"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done}
      title={`${total} atoms: ${summary}`}
    >
      {parts.map((p) => (
        <div
          key={p.state}
          className={`state-bar-seg ${p.look.className}`}
          data-state={p.state}
          style={{ width: `${total ? (100 * p.n) / total : 0}%` }}
        />
      ))}
    </div>
  );
}
