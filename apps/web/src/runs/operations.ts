export type OpType =
  | 'retryAtom'
  | 'revertAtom'
  | 'retryFromFailure'
  | 'revertRun'
  | 'markSuccess'
  | 'skip'
  | 'suspend'
  | 'resume'
  | 'cancel'
  | 'approve'
  | 'reject';

export interface OpSpec {
  readonly type: OpType;
  readonly label: string;
  readonly scope: 'atom' | 'run';
}

export const ATOM_OPS: readonly OpSpec[] = [
  { type: 'retryAtom', label: 'Retry atom', scope: 'atom' },
  { type: 'revertAtom', label: 'Revert atom', scope: 'atom' },
  { type: 'markSuccess', label: 'Mark success…', scope: 'atom' },
  { type: 'skip', label: 'Skip', scope: 'atom' },
];

/** The decisions on an atom waiting for approval (shown in its drawer while it waits). */
export const APPROVAL_OPS: readonly OpSpec[] = [
  { type: 'approve', label: 'Approve…', scope: 'atom' },
  { type: 'reject', label: 'Reject…', scope: 'atom' },
];

export const RUN_OPS: readonly OpSpec[] = [
  { type: 'retryFromFailure', label: 'Retry from failure', scope: 'run' },
  { type: 'revertRun', label: 'Revert run', scope: 'run' },
  { type: 'suspend', label: 'Suspend', scope: 'run' },
  { type: 'resume', label: 'Resume', scope: 'run' },
  { type: 'cancel', label: 'Cancel', scope: 'run' },
];

/** What the API's preview says of an operation now. */
export interface PreviewVerdict {
  readonly allowed: boolean;
  readonly reason?: string | undefined;
}

/**
 * Why an operation's button is disabled, or undefined when it can be used: the user's role first,
 * then the API's own preview (the engine's rules for the run's and the atom's state).
 */
export function opBlocker(ctx: { canRun: boolean; role: string; preview: PreviewVerdict | undefined }): string | undefined {
  if (!ctx.canRun) return `your role (${ctx.role}) can only watch runs`;
  if (!ctx.preview) return 'checking…';
  return ctx.preview.allowed ? undefined : (ctx.preview.reason ?? 'not allowed now');
}

/** The operation object the API takes. */
export function toOperation(type: OpType, atom: string | undefined, result?: unknown): Record<string, unknown> {
  if (type === 'markSuccess') return { type, atom, result };
  return [...ATOM_OPS, ...APPROVAL_OPS].some((o) => o.type === type) ? { type, atom } : { type };
}
