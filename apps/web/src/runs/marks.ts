import { isFlowNode, retryName, type FlowNode } from '@atomflow/model';

import type { AtomMark } from '../designer/doc/to-canvas';

/** Retry controller name → how many attempts it allows ("times"; the number of values for forEach). */
export function retryLimits(root: FlowNode): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  const visit = (flow: FlowNode) => {
    const name = retryName(flow);
    if (name && flow.retry)
      out[name] = flow.retry.kind === 'times' ? flow.retry.attempts : flow.retry.kind === 'forEach' ? flow.retry.values.length : undefined;
    for (const c of flow.children) if (isFlowNode(c)) visit(c);
  };
  visit(root);
  return out;
}

export interface AtomFacts {
  readonly attempts: number;
  readonly wakeAt?: string | null | undefined;
  readonly waitReason?: string | null | undefined;
}

/** "attempt k of n" for retry controllers, "attempt k" for atoms run more than once, "wakes at …" / "awaiting approval" for WAITING ones. */
export function noteFor(
  name: string,
  state: string | undefined,
  facts: AtomFacts | undefined,
  limits: Record<string, number | undefined>,
): string | undefined {
  if (state === 'WAITING' && facts?.waitReason === 'approval') return 'awaiting approval';
  if (state === 'WAITING' && facts?.wakeAt) return `wakes ${new Date(facts.wakeAt).toLocaleTimeString()}`;
  if (!facts || facts.attempts < 1) return undefined;
  if (name in limits) return limits[name] !== undefined ? `attempt ${facts.attempts} of ${limits[name]}` : `attempt ${facts.attempts}`;
  return facts.attempts > 1 ? `attempt ${facts.attempts}` : undefined;
}

/** The canvas marks of a run view. */
export function atomMarks(opts: {
  states: Readonly<Record<string, string>>;
  facts: ReadonlyMap<string, AtomFacts>;
  limits: Record<string, number | undefined>;
  root: string | undefined;
  preview: ReadonlyMap<string, string>;
}): Record<string, AtomMark> {
  const marks: Record<string, AtomMark> = {};
  const names = new Set([...Object.keys(opts.states), ...opts.preview.keys()]);
  for (const name of names) {
    const note = noteFor(name, opts.states[name], opts.facts.get(name), opts.limits);
    const preview = opts.preview.get(name);
    const root = opts.root === name;
    if (note || preview || root) marks[name] = { ...(note ? { note } : {}), ...(preview ? { preview } : {}), ...(root ? { root } : {}) };
  }
  return marks;
}
