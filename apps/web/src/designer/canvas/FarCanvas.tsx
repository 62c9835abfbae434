'use client';

import { useReactFlow, useStoreApi, type ReactFlowState } from '@xyflow/react';
import { useContext, useEffect, useRef, type MutableRefObject, type PointerEvent } from 'react';

import type { CanvasEdge, CanvasNode } from '../doc/to-canvas';
import { farColours, paintFar, paintMinimap, type MinimapMapping } from './far-paint';
import { buildScene, type FarScene } from './far-scene';
import { LiveNodesContext } from './live-nodes';

/** Below this zoom atoms' text is unreadable: the canvas is drawn by FarCanvas instead of DOM nodes. */
export const FAR_ZOOM = 0.4;

/** How often a pulse of running atoms is repainted. */
const PULSE_FRAME_MS = 80;

/** The size of React Flow's minimap, which FarCanvas's own stands in for. */
const MINIMAP = { width: 200, height: 150 };

/** Nodes being dragged on the zoomed-out canvas: the outermost ones and how far (flow units); children follow. */
export interface FarDrag {
  readonly roots: ReadonlySet<string>;
  readonly dx: number;
  readonly dy: number;
}

export interface FarCanvasProps {
  /** the canvas's own nodes and edges (React Flow is given them hidden meanwhile) */
  readonly nodes: readonly CanvasNode[];
  readonly edges: readonly CanvasEdge[];
  /** the scene last painted, for Canvas's clicks and hovering */
  readonly scene: MutableRefObject<FarScene | null>;
  /** a drag in progress (Canvas moves it; painted where the pointer has them) */
  readonly drag: MutableRefObject<FarDrag | null>;
  /** set by FarCanvas: repaint with a new scene (after `drag` changed) */
  readonly repaint: MutableRefObject<() => void>;
}

/** The nodes with a drag's roots moved by its offset (positions are relative: their children follow). */
function dragged(nodes: readonly CanvasNode[], drag: FarDrag | null): readonly CanvasNode[] {
  if (!drag) return nodes;
  return nodes.map((n) => (drag.roots.has(n.id) ? { ...n, position: { x: n.position.x + drag.dx, y: n.position.y + drag.dy } } : n));
}

const sized = (canvas: HTMLCanvasElement, ctx: CanvasRenderingContext2D, width: number, height: number): void => {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(width * dpr);
  const h = Math.round(height * dpr);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
};

const viewportOf = (s: ReactFlowState<CanvasNode, CanvasEdge>) => ({
  x: s.transform[0],
  y: s.transform[1],
  zoom: s.transform[2],
  width: s.width,
  height: s.height,
});

/**
 * The zoomed-out canvas in one `<canvas>` and its minimap in another (Canvas mounts this only while
 * zoomed out). It repaints at most once per animation frame: on a pan or zoom (paint only), on a
 * change of nodes or edges and on a live state change (scene rebuilt, then paint).
 */
export function FarCanvas({ nodes, edges, scene, drag, repaint }: FarCanvasProps) {
  const store = useStoreApi<CanvasNode, CanvasEdge>();
  const flow = useReactFlow<CanvasNode, CanvasEdge>();
  const live = useContext(LiveNodesContext);
  const ref = useRef<HTMLCanvasElement>(null);
  const miniRef = useRef<HTMLCanvasElement>(null);
  const source = useRef({ nodes, edges });
  source.current = { nodes, edges };
  const mapping = useRef<MinimapMapping | null>(null);
  const atomCount = nodes.filter((n) => n.type === 'atom').length;

  useEffect(() => {
    const canvas = ref.current;
    const mini = miniRef.current;
    const ctx = canvas?.getContext('2d');
    const miniCtx = mini?.getContext('2d');
    if (!canvas || !ctx || !mini || !miniCtx) return;
    const style = getComputedStyle(canvas);
    const colours = farColours({ cssVar: (name, fallback) => style.getPropertyValue(name).trim() || fallback });
    let frame = 0;
    let pulse: ReturnType<typeof setTimeout> | undefined;
    let stale = true;
    let onScreen = -1;
    const draw = (): void => {
      frame = 0;
      if (stale || !scene.current) {
        scene.current = buildScene(
          dragged(source.current.nodes, drag.current),
          source.current.edges,
          live ? (name) => live.get(name) : undefined,
        );
        stale = false;
      }
      const v = viewportOf(store.getState());
      sized(canvas, ctx, v.width, v.height);
      const n = paintFar(ctx, scene.current, v, colours, performance.now());
      // running atoms pulse: repainted ~12 times a second while any runs (not every frame: a 1,000-atom paint is a few ms)
      if (scene.current.animating && pulse === undefined)
        pulse = setTimeout(() => {
          pulse = undefined;
          schedule();
        }, PULSE_FRAME_MS);
      sized(mini, miniCtx, MINIMAP.width, MINIMAP.height);
      mapping.current = paintMinimap(miniCtx, scene.current, v, MINIMAP, colours);
      // what is on screen, for tests and benchmarks to wait on (set only when it changes: no DOM write per frame)
      if (n !== onScreen) canvas.setAttribute('data-atoms', String((onScreen = n)));
    };
    const schedule = (): void => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    repaint.current = () => {
      stale = true;
      schedule();
    };
    const offStore = store.subscribe((s, prev) => {
      if (s.transform !== prev.transform || s.width !== prev.width || s.height !== prev.height) schedule();
    });
    const offLive = live?.subscribeAll(repaint.current);
    schedule();
    return () => {
      offStore();
      offLive?.();
      if (frame) cancelAnimationFrame(frame);
      if (pulse !== undefined) clearTimeout(pulse);
      repaint.current = () => undefined;
      scene.current = null;
    };
  }, [store, live, scene, drag, repaint]);

  useEffect(() => repaint.current(), [nodes, edges, repaint]);

  /** Click or drag on the minimap: the view centres there, at the same zoom. */
  const centreOnMinimap = (e: PointerEvent<HTMLCanvasElement>): void => {
    const m = mapping.current;
    if (!m || (e.type === 'pointermove' && e.buttons !== 1)) return;
    const r = e.currentTarget.getBoundingClientRect();
    const x = (e.clientX - r.left - m.offsetX) / m.scale;
    const y = (e.clientY - r.top - m.offsetY) / m.scale;
    void flow.setCenter(x, y, { zoom: store.getState().transform[2] });
  };

  return (
    <>
      <canvas
        ref={ref}
        className="far-canvas"
        data-testid="far-canvas"
        role="img"
        aria-label={`Zoomed-out view of ${atomCount} atom${atomCount === 1 ? '' : 's'}; zoom in to reach them one by one`}
      />
      <canvas
        ref={miniRef}
        className="far-minimap nopan nowheel"
        data-testid="far-minimap"
        style={MINIMAP}
        aria-label="Minimap: click or drag to move the view"
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          centreOnMinimap(e);
        }}
        onPointerMove={centreOnMinimap}
      />
    </>
  );
}
