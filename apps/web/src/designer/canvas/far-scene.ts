import type { AtomMark, DiffMark } from '../doc/to-canvas';

/**
 * The canvas zoomed far out, as data: what FarCanvas draws into one `<canvas>` instead of a DOM
 * node per atom (a 1,000-atom flow as 1,000 nodes costs Chromium ~10 ms of layerize, raster and
 * hit testing per frame; one canvas of rectangles costs ~2 ms). Pure: built from the canvas's nodes
 * and edges and the live states, hit-tested in flow coordinates; painting is in far-paint.ts.
 */

export interface FarBox {
  readonly id: string;
  /** absolute flow coordinates of the top-left corner */
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly selected: boolean;
  readonly problems: number;
  readonly diff: DiffMark | undefined;
}

export interface FarAtom extends FarBox {
  readonly kind: 'atom';
  readonly type: string;
  readonly state: string | undefined;
  readonly mark: AtomMark | undefined;
}

export interface FarGroup extends FarBox {
  readonly kind: 'flow';
  readonly flowKind: string;
  readonly collapsed: boolean;
  /** nesting depth: 0 for a group at the root */
  readonly depth: number;
  readonly retryState: string | undefined;
  /** its retry controller's attempt k of n, in a run */
  readonly retryNote: string | undefined;
  /** it has a retry controller */
  readonly retry: boolean;
}

export interface FarEdge {
  /** from the source's right middle to the target's left middle, flow coordinates */
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  /** the drawn order of a linear flow (dashed), not a graph edge */
  readonly order: boolean;
  readonly selected: boolean;
}

export interface FarScene {
  /** parents before children (the order they are drawn in) */
  readonly groups: readonly FarGroup[];
  readonly atoms: readonly FarAtom[];
  readonly edges: readonly FarEdge[];
  /** some atom is running or reverting: its halo pulses, so the scene is repainted over time */
  readonly animating: boolean;
}

/** States whose atoms pulse, as their DOM nodes do zoomed in. */
export const PULSING: ReadonlySet<string> = new Set(['RUNNING', 'REVERTING']);

/** What the scene needs of a canvas node (structural: tests build these by hand). */
export interface SceneNode {
  readonly id: string;
  readonly type?: string | undefined;
  /** hidden inside a collapsed group */
  readonly hidden?: boolean | undefined;
  readonly selected?: boolean | undefined;
  readonly parentId?: string | undefined;
  /** relative to the parent group, as React Flow has it */
  readonly position: { readonly x: number; readonly y: number };
  readonly width?: number | undefined;
  readonly height?: number | undefined;
  readonly measured?: { readonly width?: number | undefined; readonly height?: number | undefined } | undefined;
  readonly data: Record<string, unknown>;
}

export interface SceneEdge {
  readonly source: string;
  readonly target: string;
  readonly hidden?: boolean | undefined;
  readonly selected?: boolean | undefined;
  readonly className?: string | undefined;
}

export interface LiveLook {
  readonly state: string | undefined;
  readonly mark: AtomMark | undefined;
}

const size = (n: SceneNode): { w: number; h: number } => ({
  w: n.measured?.width ?? n.width ?? 0,
  h: n.measured?.height ?? n.height ?? 0,
});

/** The scene of the nodes React Flow holds; `live` gives a run view's current state of an atom. */
export function buildScene(
  nodes: Iterable<SceneNode>,
  edges: readonly SceneEdge[],
  live: (name: string) => LiveLook | undefined = () => undefined,
): FarScene {
  const groups: FarGroup[] = [];
  const atoms: FarAtom[] = [];
  const byId = new Map<string, SceneNode>();
  for (const n of nodes) byId.set(n.id, n);
  const absolute = new Map<string, { x: number; y: number }>();
  const absoluteOf = (n: SceneNode, seen = 0): { x: number; y: number } => {
    let at = absolute.get(n.id);
    if (at) return at;
    const parent = n.parentId !== undefined ? byId.get(n.parentId) : undefined;
    // a parent chain longer than the node count is a cycle: placed as if at the root
    const base = parent && seen < byId.size ? absoluteOf(parent, seen + 1) : { x: 0, y: 0 };
    at = { x: base.x + n.position.x, y: base.y + n.position.y };
    absolute.set(n.id, at);
    return at;
  };
  const boxes = new Map<string, { x: number; y: number; w: number; h: number }>();
  const depthOf = new Map<string, number>();
  for (const n of byId.values()) {
    if (n.hidden) continue;
    const { w, h } = size(n);
    const { x, y } = absoluteOf(n);
    boxes.set(n.id, { x, y, w, h });
    const problems = Array.isArray(n.data['problems']) ? n.data['problems'].length : 0;
    const diff = n.data['diff'] as DiffMark | undefined;
    const common = { id: n.id, x, y, w, h, selected: n.selected ?? false, problems, diff };
    if (n.type === 'flow') {
      const depth = n.parentId !== undefined ? (depthOf.get(n.parentId) ?? 0) + 1 : 0;
      depthOf.set(n.id, depth);
      const flow = n.data['flow'] as { kind?: string; retry?: unknown } | undefined;
      groups.push({
        ...common,
        kind: 'flow',
        flowKind: flow?.kind ?? 'linear',
        collapsed: n.data['collapsed'] === true,
        depth,
        retryState: n.data['retryState'] as string | undefined,
        retryNote: n.data['retryNote'] as string | undefined,
        retry: flow?.retry !== undefined && flow.retry !== null,
      });
    } else {
      const atom = n.data['atom'] as { type?: string } | undefined;
      const look = live(n.id);
      atoms.push({
        ...common,
        kind: 'atom',
        type: atom?.type ?? '',
        state: look ? look.state : (n.data['state'] as string | undefined),
        mark: look ? look.mark : (n.data['mark'] as AtomMark | undefined),
      });
    }
  }
  // parents first whatever order React Flow keeps them in: a child group is drawn over its parent
  groups.sort((a, b) => a.depth - b.depth);
  const farEdges: FarEdge[] = [];
  for (const e of edges) {
    if (e.hidden) continue;
    const s = boxes.get(e.source);
    const t = boxes.get(e.target);
    if (!s || !t) continue;
    farEdges.push({
      x1: s.x + s.w,
      y1: s.y + s.h / 2,
      x2: t.x,
      y2: t.y + t.h / 2,
      order: (e.className ?? '').split(' ').includes('edge-order'),
      selected: e.selected ?? false,
    });
  }
  return { groups, atoms, edges: farEdges, animating: atoms.some((a) => a.state !== undefined && PULSING.has(a.state)) };
}

const inside = (b: FarBox, p: { x: number; y: number }, slack: number): boolean =>
  p.x >= b.x - slack && p.x <= b.x + b.w + slack && p.y >= b.y - slack && p.y <= b.y + b.h + slack;

/**
 * The atom or group under a flow point: atoms over groups, the innermost group over its parents
 * (the order they are drawn in). `slack` (flow units) widens every box a little, so a box a few
 * pixels wide on screen can still be hit.
 */
export function hitTest(scene: FarScene, p: { x: number; y: number }, slack = 0): FarAtom | FarGroup | undefined {
  for (let i = scene.atoms.length - 1; i >= 0; i--) if (inside(scene.atoms[i]!, p, slack)) return scene.atoms[i];
  for (let i = scene.groups.length - 1; i >= 0; i--) if (inside(scene.groups[i]!, p, 0)) return scene.groups[i];
  return undefined;
}

/** The atoms and groups entirely inside a flow rectangle (a selection dragged on the zoomed-out canvas). */
export function boxesInside(scene: FarScene, r: { x: number; y: number; width: number; height: number }): string[] {
  const inRect = (b: FarBox): boolean => b.x >= r.x && b.y >= r.y && b.x + b.w <= r.x + r.width && b.y + b.h <= r.y + r.height;
  return [...scene.groups, ...scene.atoms].filter(inRect).map((b) => b.id);
}
