import { isFlowNode, type FlowDefinition, type FlowNode } from '@atomflow/model';

import type { Change } from './changes';
import { ancestors } from './tree';

/**
 * The change that connects `from` → `to` (an edge of the graph flow holding both), or why it
 * cannot be made. Edges of a graph flow connect its children or atoms inside them.
 */
export function connectChange(def: FlowDefinition, from: string, to: string): { change: Change } | { error: string } {
  if (from === to) return { error: `"${from}" cannot run after itself` };
  const a = [...ancestors(def, from)];
  const b = [...ancestors(def, to)];
  if (a.length === 0 || b.length === 0) return { error: 'unknown atom' };
  // the innermost flow containing both, whose different children they are (or sit in)
  let common: FlowNode | undefined;
  for (let i = 0; i < Math.min(a.length, b.length) && a[i] === b[i]; i++) common = a[i];
  if (!common) return { error: 'unknown atom' };
  const childOf = (chain: FlowNode[], name: string): string =>
    chain.indexOf(common) + 1 < chain.length ? chain[chain.indexOf(common) + 1]!.name : name;
  if (childOf(a, from) === childOf(b, to)) return { error: `"${from}" and "${to}" are in the same group: connect them inside it` };
  if (common.kind === 'linear')
    return {
      error: `"${common.name}" is a linear flow: its children run in their drawn order, left to right. Make it a graph flow to connect them by hand.`,
    };
  if (common.kind === 'unordered')
    return { error: `"${common.name}" is an unordered flow: its children run independently. Make it a graph flow to connect them.` };
  if (common.edges.some((e) => e.from === from && e.to === to)) return { error: `"${to}" already runs after "${from}"` };
  return { change: { type: 'addEdge', flow: common.name, edge: { from, to } } };
}

/** Names a node can be connected to (for the keyboard path), in definition order. */
export function connectTargets(def: FlowDefinition, from: string): string[] {
  const out: string[] = [];
  const visit = (flow: FlowNode): void => {
    for (const c of flow.children) {
      if (c.name !== from && 'change' in connectChange(def, from, c.name)) out.push(c.name);
      if (isFlowNode(c)) visit(c);
    }
  };
  visit(def.root);
  return out;
}
