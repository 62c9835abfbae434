'use client';

import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback, useEffect, useRef, type MouseEvent, type MutableRefObject, type PointerEvent, type RefObject } from 'react';

import type { CanvasEdge, CanvasNode } from '../doc/to-canvas';
import type { FarDrag } from './FarCanvas';
import type { FarHover } from './FarTip';
import { boxesInside, hitTest, type FarScene } from './far-scene';
import { outermost, paneRectToFlow } from './far-view';

/** Hit slack in screen pixels: a box a few pixels wide is still easy to click. */
const FAR_HIT_SLACK_PX = 3;
/** How far (screen pixels) the pointer moves before a press on a box is a drag, not a click. */
const FAR_DRAG_THRESHOLD_PX = 3;

/** The ids of the selected ones of React Flow's nodes or edges. */
function selectedIds(items: Iterable<{ readonly id: string; readonly selected?: boolean | undefined }>): string[] {
  const ids: string[] = [];
  for (const item of items) if (item.selected) ids.push(item.id);
  return ids;
}

/** The canvas's handlers, read when an event comes (the latest props). */
export interface FarHandlers {
  readonly onNodeClick?: ((id: string) => void) | undefined;
  readonly onNodeMenu?: ((id: string, at: { x: number; y: number }) => void) | undefined;
  readonly onSelect?: ((update: (prev: ReadonlySet<string>) => Set<string>) => void) | undefined;
  readonly onMoved?: ((moved: ReadonlyArray<{ id: string; x: number; y: number }>) => void) | undefined;
}

/**
 * The pointer on the zoomed-out canvas, where there is no DOM node to click: every event is
 * hit-tested against the scene FarCanvas painted (`scene`) and ends in the handlers a node's event
 * would reach — click (select / open), context menu, hover (tooltip via `showTip`, pointer cursor),
 * Shift-drag selection, and dragging boxes (painted through `drag` + `repaint`, dropped via onMoved).
 */
export function useFarPointer({
  far,
  nodes,
  box,
  handlers,
}: {
  readonly far: boolean;
  readonly nodes: readonly CanvasNode[];
  readonly box: RefObject<HTMLDivElement | null>;
  readonly handlers: MutableRefObject<FarHandlers>;
}) {
  const flow = useReactFlow<CanvasNode, CanvasEdge>();
  const store = useStoreApi<CanvasNode, CanvasEdge>();
  const farScene = useRef<FarScene | null>(null);
  // the tooltip keeps its own state: hovering re-renders it alone, never the canvas
  const showTip = useRef<(hover: FarHover | null) => void>(() => undefined);
  // Dragging boxes on the zoomed-out canvas (the designer): a press on a box is caught before React
  // Flow's pane (which would pan), followed on the window, painted moved by FarCanvas, and ends in
  // onMoved as a node drag does. A press that does not move is left to be a click.
  const farDrag = useRef<FarDrag | null>(null);
  const farRepaint = useRef<() => void>(() => undefined);
  const farPress = useRef(false);
  const farDragged = useRef(false);
  const latestNodes = useRef(nodes);
  latestNodes.current = nodes;

  /** The atom (or group) drawn under the pointer on the zoomed-out canvas. */
  const farHit = useCallback(
    (e: MouseEvent | globalThis.MouseEvent) => {
      const scene = farScene.current;
      if (!scene) return undefined;
      const zoom = store.getState().transform[2];
      return hitTest(scene, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }), FAR_HIT_SLACK_PX / zoom);
    },
    [flow, store],
  );
  const onFarClick = useCallback(
    (e: MouseEvent) => {
      if (farDragged.current) {
        farDragged.current = false;
        return;
      }
      const hit = farHit(e);
      if (!hit) return;
      handlers.current.onNodeClick?.(hit.id);
      const onSelectNow = handlers.current.onSelect;
      if (!onSelectNow) return;
      // React Flow clears the selection right after this handler: what was selected is read now and
      // the new selection is set after the clearing (a microtask later, so its update comes last)
      const multi = e.shiftKey || e.metaKey || e.ctrlKey;
      const { nodeLookup, edges: storeEdges } = store.getState();
      const before = new Set(multi ? [...selectedIds(nodeLookup.values()), ...selectedIds(storeEdges)] : []);
      queueMicrotask(() =>
        onSelectNow(() => {
          const next = new Set(before);
          if (multi && next.has(hit.id)) next.delete(hit.id);
          else next.add(hit.id);
          return next;
        }),
      );
    },
    [farHit, store],
  );
  const onFarMenu = useCallback(
    (e: MouseEvent | globalThis.MouseEvent) => {
      const hit = farHit(e);
      if (!hit || !handlers.current.onNodeMenu) return;
      e.preventDefault();
      handlers.current.onNodeMenu(hit.id, { x: e.clientX, y: e.clientY });
    },
    [farHit],
  );
  const onFarMove = useCallback(
    (e: MouseEvent) => {
      const hit = farHit(e);
      const rect = box.current?.getBoundingClientRect();
      box.current?.classList.toggle('far-hot', hit !== undefined);
      showTip.current(hit && rect ? { target: hit, x: e.clientX - rect.left, y: e.clientY - rect.top } : null);
    },
    [farHit],
  );
  const onFarPointerDown = useCallback(
    (e: PointerEvent<HTMLDivElement>) => {
      // on the pane only: not on the minimap, the controls or a menu
      if (e.button !== 0 || e.shiftKey || !handlers.current.onMoved) return;
      if (!(e.target instanceof Element) || !e.target.classList.contains('react-flow__pane')) return;
      const hit = farHit(e);
      const scene = farScene.current;
      if (!hit || !scene) return;
      e.stopPropagation();
      farPress.current = true;
      const { nodeLookup, transform } = store.getState();
      const zoom = transform[2];
      // a selected box moves the whole selection, another one alone
      const wasSelected = nodeLookup.get(hit.id)?.selected === true;
      const picked = new Set(wasSelected ? selectedIds(nodeLookup.values()) : [hit.id]);
      const roots = outermost(picked, latestNodes.current);
      // where the roots are before the drag (absolute flow coordinates)
      const boxes = new Map([...scene.groups, ...scene.atoms].map((b) => [b.id, b]));
      const origin = roots.flatMap((id) => {
        const b = boxes.get(id);
        return b ? [{ id, x: b.x, y: b.y }] : [];
      });
      const start = { x: e.clientX, y: e.clientY };
      let moving = false;
      const move = (ev: globalThis.PointerEvent): void => {
        if (!moving && Math.hypot(ev.clientX - start.x, ev.clientY - start.y) < FAR_DRAG_THRESHOLD_PX) return;
        moving = true;
        farDrag.current = { roots: new Set(roots), dx: (ev.clientX - start.x) / zoom, dy: (ev.clientY - start.y) / zoom };
        farRepaint.current();
      };
      const up = (): void => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
        farPress.current = false;
        const d = farDrag.current;
        if (!moving || !d) return;
        farDragged.current = true;
        const moved = origin.map((o) => ({ id: o.id, x: o.x + d.dx, y: o.y + d.dy }));
        // as React Flow does on a node drag: the dragged box becomes the selection unless it was in it
        if (!wasSelected) handlers.current.onSelect?.(() => new Set([hit.id]));
        handlers.current.onMoved?.(moved);
        // keep painting the drop until the moved nodes come back (or did not move at all)
        setTimeout(() => {
          if (farDrag.current === d) {
            farDrag.current = null;
            farRepaint.current();
          }
        }, 1000);
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    },
    [farHit, store],
  );
  // React Flow's pane pans on mousedown (d3-zoom), which follows pointerdown: not when a box was pressed
  const onFarMouseDown = useCallback((e: MouseEvent) => {
    if (farPress.current) e.stopPropagation();
  }, []);
  // the nodes moved by a drop have arrived: paint them where they are now
  useEffect(() => {
    if (farDrag.current) {
      farDrag.current = null;
      farRepaint.current();
    }
  }, [nodes]);

  // Shift-drag selection: React Flow selects no hidden node and clears its rectangle before telling
  // the end, so the rectangle is followed while it is drawn
  const selectionRect = useRef<{ x: number; y: number; width: number; height: number } | null>(null);
  useEffect(() => {
    if (!far) return;
    return store.subscribe((s) => {
      if (s.userSelectionRect) selectionRect.current = paneRectToFlow(s.userSelectionRect, s.transform);
    });
  }, [far, store]);
  const onFarSelectionEnd = useCallback(() => {
    const rect = selectionRect.current;
    selectionRect.current = null;
    const scene = farScene.current;
    const onSelectNow = handlers.current.onSelect;
    if (!rect || !scene || !onSelectNow) return;
    const inside = boxesInside(scene, rect);
    onSelectNow(() => new Set(inside));
  }, []);
  const onFarLeave = useCallback(() => {
    box.current?.classList.remove('far-hot');
    showTip.current(null);
  }, []);
  useEffect(() => {
    if (!far) onFarLeave();
  }, [far, onFarLeave]);

  return {
    scene: farScene,
    drag: farDrag,
    repaint: farRepaint,
    showTip,
    onClick: onFarClick,
    onMenu: onFarMenu,
    onMove: onFarMove,
    onLeave: onFarLeave,
    onSelectionEnd: onFarSelectionEnd,
    onPointerDown: onFarPointerDown,
    onMouseDown: onFarMouseDown,
  };
}
