import type { JsonSchema } from '@atomflow/api';
import { isFlowNode, type FlowNode } from '@atomflow/model';

import { fieldsOf } from '../designer/form/schema-form';
import type { MonitorEvent } from './live-state';

/** What an `approval` atom asks (its config): a title, instructions and the form the approver fills in. */
export interface ApprovalAsk {
  readonly title?: string;
  readonly instructions?: string;
  /** A JSON Schema object of the value entered (its value is the atom's result); none: a plain yes/no. */
  readonly form?: JsonSchema;
}

/** The config of the approval atom named `name` in a definition, or undefined when it is not an approval atom. */
export function approvalAsk(root: FlowNode, name: string): ApprovalAsk | undefined {
  for (const child of root.children) {
    if (isFlowNode(child)) {
      const found = approvalAsk(child, name);
      if (found) return found;
    } else if (child.name === name) {
      if (child.type !== 'approval') return undefined;
      const c = child.config;
      return {
        ...(typeof c['title'] === 'string' ? { title: c['title'] } : {}),
        ...(typeof c['instructions'] === 'string' ? { instructions: c['instructions'] } : {}),
        // the form's fields in the order written (definitions keep their key order)
        ...(c['form'] && typeof c['form'] === 'object' ? { form: c['form'] as JsonSchema } : {}),
      };
    }
  }
  return undefined;
}

/** Whether an atom waits for a person now: WAITING, and parked by an approval (its record or its last WAITING event says so). */
export function isAwaitingApproval(
  state: string | undefined,
  waitReason: string | null | undefined,
  atom: string,
  events: readonly MonitorEvent[],
): boolean {
  if (state !== 'WAITING') return false;
  if (waitReason === 'approval') return true;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind === 'atom' && e.atom === atom && e.to === 'WAITING') return e.data?.['reason'] === 'approval';
  }
  return false;
}

/** Field errors of a value against the form before it is sent: required fields left empty (the API checks the rest). */
export function missingFields(form: JsonSchema | undefined, value: Readonly<Record<string, unknown>>): Map<string, string> {
  const errors = new Map<string, string>();
  for (const f of fieldsOf(form ?? null))
    if (f.required && (value[f.key] === undefined || value[f.key] === '')) errors.set(f.key, 'required');
  return errors;
}

/** The API's problems (`value.amount`) as form field errors (`amount`); problems about the whole value under ''. */
export function fieldErrors(problems: ReadonlyArray<{ path: string; message: string }>): Map<string, string> {
  const errors = new Map<string, string>();
  for (const p of problems) {
    const key = p.path === 'value' ? '' : p.path.replace(/^value\./, '');
    if (!errors.has(key)) errors.set(key, p.message);
  }
  return errors;
}

/** Who approved or rejected an atom, when, and why (the last decision in its events). */
export interface ApprovalDecision {
  readonly operation: 'approve' | 'reject';
  readonly by?: string;
  readonly at: string;
  readonly reason?: string;
}

export function lastDecision(events: readonly MonitorEvent[], atom: string): ApprovalDecision | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind !== 'operation' || e.atom !== atom || (e.to !== 'approve' && e.to !== 'reject')) continue;
    const by = e.data?.['by'];
    const reason = e.data?.['reason'];
    return {
      operation: e.to,
      at: e.at,
      ...(typeof by === 'string' ? { by } : {}),
      ...(typeof reason === 'string' ? { reason } : {}),
    };
  }
  return undefined;
}
