import type { FlowDefinition } from '@atomflow/model';

/** `My Orders flow` → `my-orders-flow` (a valid flow id). */
export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-._]+|-+$/g, '')
      .slice(0, 60) || 'flow'
  );
}

export function emptyFlow(id: string, name: string): FlowDefinition {
  return {
    id,
    revision: 1,
    ...(name ? { name } : {}),
    root: { kind: 'graph', name: 'root', children: [], edges: [] },
    ui: { positions: {}, collapsed: [] },
  };
}

/** `base`, `base-copy`, `base-copy-2`… not in `taken`. */
export function copyId(base: string, taken: ReadonlySet<string>): string {
  let id = `${base}-copy`;
  for (let i = 2; taken.has(id); i++) id = `${base}-copy-${i}`;
  return id;
}
