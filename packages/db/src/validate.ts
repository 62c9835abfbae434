import { ATOM_STATE_LIST, FLOW_STATE_LIST, INTENTIONS, type AtomDetail, type NewRunEvent } from '@atomflow/model';

import { InvalidRunChangeError } from './errors.js';

/*
 * Enum-like text columns are checked before they are written, so that every stored row can be
 * read back as a model value (mappers.ts checks again on the way out). The database is not asked
 * to do it: a new state in the model must not need a migration.
 */

const FLOW_STATES = new Set<string>(FLOW_STATE_LIST);
const ATOM_STATES = new Set<string>(ATOM_STATE_LIST);
const INTENTION_SET = new Set<string>(Object.values(INTENTIONS));
const EVENT_KINDS = new Set<string>(['flow', 'atom', 'substep', 'operation', 'migration']);

export function checkFlowState(state: string): void {
  if (!FLOW_STATES.has(state)) throw new InvalidRunChangeError(`unknown run state ${JSON.stringify(state)}`);
}

export function checkAtom(a: AtomDetail): void {
  if (!ATOM_STATES.has(a.state)) throw new InvalidRunChangeError(`atom ${a.name}: unknown state ${JSON.stringify(a.state)}`);
  if (!INTENTION_SET.has(a.intention)) throw new InvalidRunChangeError(`atom ${a.name}: unknown intention ${JSON.stringify(a.intention)}`);
}

export function checkEvent(e: NewRunEvent): void {
  if (!EVENT_KINDS.has(e.kind)) throw new InvalidRunChangeError(`unknown event kind ${JSON.stringify(e.kind)}`);
}
