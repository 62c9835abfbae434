import type { AtomDetail, NewRunEvent, SubStep } from '@atomflow/model';

import { ATOM_KIND, ATOM_STATE, EVENT_KIND, FLOW_STATE, INTENTION, SUB_STEP_STATE, type TextEnum } from './enums.js';
import { InvalidRunChangeError } from './errors.js';

/* Checks before writing, so that every stored row reads back as a model value. */

function check<T extends string>(e: TextEnum<T>, value: unknown, where: string): void {
  if (!e.has(value)) throw new InvalidRunChangeError(`${where}unknown ${e.what} ${JSON.stringify(value)}`);
}

export function checkFlowState(state: unknown): void {
  check(FLOW_STATE, state, '');
}

export function checkAtom(a: AtomDetail): void {
  check(ATOM_STATE, a.state, `atom ${a.name}: `);
  check(INTENTION, a.intention, `atom ${a.name}: `);
  check(ATOM_KIND, a.kind, `atom ${a.name}: `);
}

export function checkEvent(e: NewRunEvent): void {
  check(EVENT_KIND, e.kind, 'event: ');
}

export function checkSubStep(s: SubStep): void {
  check(SUB_STEP_STATE, s.state, `sub-step ${s.atom}/${s.name}: `);
}
