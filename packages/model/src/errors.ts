/** Base of atomflow's typed errors; `name` is stable and safe to match on. */
export class AtomflowError extends Error {
  override readonly name: string = 'AtomflowError';
}

export interface Problem {
  /** Where in the definition, e.g. `root.children.2.config.url` or `root` */
  readonly path: string;
  /** The atom or flow the problem is about, when there is one (the designer selects it). */
  readonly node?: string;
  readonly code: ProblemCode;
  readonly message: string;
}

export type ProblemCode =
  | 'schema'
  | 'duplicate-name'
  | 'cycle'
  | 'missing-requirement'
  | 'unreachable-provider'
  | 'duplicate-provider'
  | 'unknown-edge-endpoint'
  | 'unknown-atom-type'
  | 'unknown-atom-version'
  | 'invalid-config'
  | 'invalid-retry'
  | 'unknown-subflow'
  | 'subflow-cycle'
  | 'invalid-subflow';

/** A definition (or input) that cannot be used; carries every problem found. */
export class ValidationError extends AtomflowError {
  override readonly name = 'ValidationError';
  constructor(readonly problems: readonly Problem[]) {
    super(
      problems.length === 1
        ? `${problems[0]!.path}: ${problems[0]!.message}`
        : `${problems.length} problems:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
    );
  }
}

export class IllegalTransitionError extends AtomflowError {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly subject: 'atom' | 'flow',
    readonly target: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`illegal ${subject} transition for ${target}: ${from} -> ${to}`);
  }
}
