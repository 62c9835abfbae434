import { stateLook } from '../lib/states';

/** A state as colour + icon + label (never colour alone). */
export function StateBadge({ state, compact = false }: { state: string; compact?: boolean }) {
  const look = stateLook(state);
  return (
    <span className={`state-badge ${look.className}`} data-state={state} title={look.label}>
      <span className="state-icon" aria-hidden>
        {look.icon}
      </span>
      {compact ? <span className="sr-only">{look.label}</span> : look.label}
    </span>
  );
}

export function StateDot({ state }: { state: string }) {
  const look = stateLook(state);
  return (
    <span className={`state-dot-wrap ${look.className}`} data-state={state}>
      <span className="state-dot" aria-hidden />
      {look.label}
    </span>
  );
}
