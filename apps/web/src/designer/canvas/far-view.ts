import { getViewportForBounds, type Viewport } from '@xyflow/react';

/** Options of every "fit the flow" of the canvas: at most 120 %, 20 % padding. */
export const FIT_PADDING = 0.2;
export const FIT_MAX_ZOOM = 1.2;
export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 2;

interface Placed {
  readonly id: string;
  readonly hidden?: boolean | undefined;
  readonly parentId?: string | undefined;
  readonly position: { readonly x: number; readonly y: number };
  readonly width?: number | undefined;
  readonly height?: number | undefined;
}

/**
 * The viewport that fits the flow in a pane of `width` × `height`, computed before React Flow
 * renders anything: it then starts there (no frame at 100 % first) and, when that is zoomed far
 * out, never mounts a node. Root nodes bound the flow (groups are sized around their children).
 * Null when there is nothing to fit or no pane yet.
 */
export function fittedViewport(nodes: readonly Placed[], width: number, height: number): Viewport | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const n of nodes) {
    if (n.parentId !== undefined || n.hidden) continue;
    x0 = Math.min(x0, n.position.x);
    y0 = Math.min(y0, n.position.y);
    x1 = Math.max(x1, n.position.x + (n.width ?? 0));
    y1 = Math.max(y1, n.position.y + (n.height ?? 0));
  }
  if (!Number.isFinite(x0) || width <= 0 || height <= 0) return null;
  return getViewportForBounds({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, width, height, MIN_ZOOM, FIT_MAX_ZOOM, FIT_PADDING);
}

/**
 * The nodes as React Flow gets them while FarCanvas draws: every one hidden, so React Flow renders
 * (and hit-tests, lays out, paints) none. A node keeps its hidden copy across calls (`cache`), so an
 * unchanged node is not adopted again by React Flow.
 */
export function hiddenNodes<T extends { readonly hidden?: boolean | undefined }>(nodes: readonly T[], cache: WeakMap<T, T>): T[] {
  return nodes.map((n) => {
    if (n.hidden) return n;
    let copy = cache.get(n);
    if (!copy) cache.set(n, (copy = { ...n, hidden: true }));
    return copy;
  });
}

/** React Flow's selection rectangle (pane pixels) in flow coordinates. */
export function paneRectToFlow(
  rect: { readonly x: number; readonly y: number; readonly width: number; readonly height: number },
  [tx, ty, zoom]: readonly [number, number, number],
): { x: number; y: number; width: number; height: number } {
  return { x: (rect.x - tx) / zoom, y: (rect.y - ty) / zoom, width: rect.width / zoom, height: rect.height / zoom };
}

/** The outermost of some nodes: those none of whose ancestors is among them (a group moves its children). */
export function outermost(
  ids: ReadonlySet<string>,
  nodes: ReadonlyArray<{ readonly id: string; readonly parentId?: string | undefined }>,
): string[] {
  const parent = new Map(nodes.map((n) => [n.id, n.parentId]));
  const covered = (id: string): boolean => {
    // back at itself: a parent cycle (a broken doc), not an ancestor
    for (let p = parent.get(id), k = 0; p !== undefined && p !== id && k < nodes.length; p = parent.get(p), k++)
      if (ids.has(p)) return true;
    return false;
  };
  return [...ids].filter((id) => !covered(id));
}
