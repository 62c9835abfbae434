import type { AtomNode, FlowNode } from '@atomflow/model';

import { toDoc, type Doc } from './changes';

export const atom = (name: string, extra: Partial<AtomNode> = {}): AtomNode => ({
  name,
  type: 'test.echo',
  version: 1,
  config: {},
  requires: [],
  rebind: {},
  inject: {},
  ...extra,
});

export const flow = (kind: FlowNode['kind'], name: string, children: FlowNode['children'], extra: Partial<FlowNode> = {}): FlowNode => ({
  kind,
  name,
  children,
  edges: [],
  ...extra,
});

/** root (graph): a, group (linear: b, c), d; edge a → group */
export function sample(): Doc {
  return toDoc({
    id: 'sample',
    revision: 1,
    root: flow('graph', 'root', [atom('a'), flow('linear', 'group', [atom('b'), atom('c')]), atom('d')], {
      edges: [{ from: 'a', to: 'group' }],
    }),
    ui: {
      positions: { a: { x: 0, y: 0 }, group: { x: 300, y: 0 }, b: { x: 24, y: 72 }, c: { x: 300, y: 72 }, d: { x: 900, y: 0 } },
      collapsed: [],
    },
  });
}
