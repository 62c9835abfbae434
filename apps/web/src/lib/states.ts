/** One palette for every state, everywhere (UX.md): colour, icon and label together. */
export interface StateLook {
  readonly label: string;
  readonly icon: string;
  /** CSS class carrying the colour (globals.css) */
  readonly className: string;
}

const LOOKS: Record<string, StateLook> = {
  PENDING: { label: 'Pending', icon: '○', className: 'st-pending' },
  RUNNING: { label: 'Running', icon: '▶', className: 'st-running' },
  WAITING: { label: 'Waiting', icon: '◔', className: 'st-waiting' },
  SUCCESS: { label: 'Success', icon: '✓', className: 'st-success' },
  FAILURE: { label: 'Failure', icon: '✕', className: 'st-failure' },
  RETRYING: { label: 'Retrying', icon: '↻', className: 'st-retrying' },
  REVERTING: { label: 'Reverting', icon: '↶', className: 'st-reverting' },
  REVERTED: { label: 'Reverted', icon: '↺', className: 'st-reverted' },
  REVERT_FAILURE: { label: 'Revert failed', icon: '⚠', className: 'st-revert-failure' },
  IGNORE: { label: 'Ignored', icon: '⊘', className: 'st-ignore' },
  SUSPENDING: { label: 'Suspending', icon: '‖', className: 'st-waiting' },
  SUSPENDED: { label: 'Suspended', icon: '‖', className: 'st-pending' },
  RESUMING: { label: 'Resuming', icon: '▶', className: 'st-running' },
  CANCELLED: { label: 'Cancelled', icon: '⊘', className: 'st-ignore' },
};

export function stateLook(state: string): StateLook {
  return LOOKS[state] ?? { label: state, icon: '?', className: 'st-pending' };
}

/** Atom states after which an atom does nothing more by itself: progress counts these as done. */
export const FINISHED_ATOM_STATES: ReadonlySet<string> = new Set(['SUCCESS', 'FAILURE', 'REVERTED', 'REVERT_FAILURE', 'IGNORE']);

/** How many atoms are finished, from counts by state. */
export function countFinished(counts: Readonly<Record<string, number | undefined>>): number {
  let n = 0;
  for (const [state, k] of Object.entries(counts)) if (FINISHED_ATOM_STATES.has(state)) n += k ?? 0;
  return n;
}

const STOPPED = new Set(['SUCCESS', 'FAILURE', 'REVERTED', 'SUSPENDED', 'CANCELLED']);

export function isStopped(state: string): boolean {
  return STOPPED.has(state);
}
