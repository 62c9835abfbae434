import {
  ATOM_STATE_LIST,
  FLOW_STATE_LIST,
  INTENTIONS,
  type AtomKind,
  type AtomState,
  type EventKind,
  type FlowState,
  type Intention,
  type SubStepState,
} from '@atomflow/model';

/*
 * The model's enum-like values, stored as plain text: a new state must not need a migration.
 * They are checked on the way in (validate.ts) and on the way out (mappers.ts) instead.
 */

/** A set of allowed strings that narrows what it accepts to its element type. */
export class TextEnum<T extends string> {
  private readonly values: ReadonlySet<string>;
  constructor(
    readonly what: string,
    values: readonly T[],
  ) {
    this.values = new Set(values);
  }
  has(value: unknown): value is T {
    return typeof value === 'string' && this.values.has(value);
  }
}

export const FLOW_STATE = new TextEnum<FlowState>('run state', FLOW_STATE_LIST);
export const ATOM_STATE = new TextEnum<AtomState>('atom state', ATOM_STATE_LIST);
export const INTENTION = new TextEnum<Intention>('intention', Object.values(INTENTIONS));
export const ATOM_KIND = new TextEnum<AtomKind>('atom kind', ['task', 'retry']);
export const SUB_STEP_STATE = new TextEnum<SubStepState>('sub-step state', ['SUCCESS', 'FAILURE', 'RETRY_LATER']);
export const EVENT_KIND = new TextEnum<EventKind>('event kind', ['flow', 'atom', 'substep', 'operation', 'migration']);
