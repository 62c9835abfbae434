'use client';

import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  useStoreApi,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type OnNodeDrag,
  type ReactFlowState,
  type Viewport,
} from '@xyflow/react';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type MouseEvent,
  type MutableRefObject,
  type PointerEvent,
} from 'react';

import { stateLook } from '../../lib/states';
import type { CanvasEdge, CanvasNode } from '../doc/to-canvas';
import { FAR_ZOOM, FarCanvas, type FarDrag } from './FarCanvas';
import { boxesInside, hitTest, type FarAtom, type FarGroup, type FarScene } from './far-scene';
import { FIT_MAX_ZOOM, FIT_PADDING, fittedViewport, hiddenNodes, MAX_ZOOM, MIN_ZOOM, outermost, paneRectToFlow } from './far-view';
import { keepUnchanged } from './keep-unchanged';
import { nodeTypes } from './node-types';

export const DRAG_MIME = 'application/x-atomflow';

const EDGE_OPTIONS = { type: 'smoothstep', markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 } } as const;
// constant props: a new object on every render would be a React Flow store update (every node's
// and edge's selector runs again) or re-render every node
const FIT_VIEW_OPTIONS = { padding: FIT_PADDING, maxZoom: FIT_MAX_ZOOM };
const NO_EDGES: CanvasEdge[] = [];
const START: Viewport = { x: 0, y: 0, zoom: 1 };
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
const PRO_OPTIONS = { hideAttribution: true };

export interface CanvasProps {
  readonly nodes: CanvasNode[];
  readonly edges: CanvasEdge[];
  readonly readOnly: boolean;
  /** Selection changed on the canvas (names of nodes, ids of edges). */
  readonly onSelect?: (update: (prev: ReadonlySet<string>) => Set<string>) => void;
  readonly onConnect?: (from: string, to: string) => void;
  /** Nodes dropped after a drag, with their new absolute positions. */
  readonly onMoved?: (moved: ReadonlyArray<{ id: string; x: number; y: number }>) => void;
  /** Something from the palette dropped at a flow position. */
  readonly onDropItem?: (payload: string, at: { x: number; y: number }) => void;
  readonly emptyHint?: string;
  /** Run view: an atom clicked / right-clicked (screen position of the pointer). */
  readonly onNodeClick?: (id: string) => void;
  readonly onNodeMenu?: (id: string, at: { x: number; y: number }) => void;
}

/** React Flow's select changes (of nodes or edges) applied to the designer's set of selected names. */
function reportSelection(changes: readonly (NodeChange<CanvasNode> | EdgeChange<CanvasEdge>)[], onSelect: CanvasProps['onSelect']): void {
  const sel = changes.filter((c) => c.type === 'select');
  if (sel.length && onSelect)
    onSelect((prev) => {
      const next = new Set(prev);
      for (const c of sel)
        if (c.selected) next.add(c.id);
        else next.delete(c.id);
      return next;
    });
}

/** What the pointer is over on the zoomed-out canvas: a tooltip says what the box is. */
interface FarHover {
  readonly target: FarAtom | FarGroup;
  /** pointer position in the canvas element */
  readonly x: number;
  readonly y: number;
}

/** Hit slack in screen pixels: a box a few pixels wide is still easy to click. */
const FAR_HIT_SLACK_PX = 3;
/** How far (screen pixels) the pointer moves before a press on a box is a drag, not a click. */
const FAR_DRAG_THRESHOLD_PX = 3;

/**
 * The React Flow canvas; the doc stays the source of truth, positions move locally only while dragging.
 *
 * Zoomed out below FAR_ZOOM, atoms are unreadable boxes and a big flow would be ~1,000 DOM nodes to
 * lay out, paint and hit-test on every frame: there FarCanvas draws nodes, edges and the minimap into
 * canvases while React Flow holds every node hidden (and no edges), so it renders none. Clicks, the
 * context menu, hovering and Shift-drag selection are hit-tested against FarCanvas's scene and end in
 * the same handlers as on nodes. The first viewport (fitting the flow) is computed before React Flow
 * renders, so a flow that opens zoomed out never mounts a node.
 */
export const Canvas = memo(function Canvas({
  nodes,
  edges,
  readOnly,
  onSelect,
  onConnect,
  onMoved,
  onDropItem,
  emptyHint,
  onNodeClick,
  onNodeMenu,
}: CanvasProps) {
  const [rfNodes, setRfNodes] = useState(nodes);
  const [rfEdges, setRfEdges] = useState(edges);
  // fit once to what is there at first; an empty canvas must not jump when its first node arrives
  const [fitOnInit] = useState(nodes.length > 0);
  // the first viewport, measured before the first paint; null until then (React Flow waits for it)
  const [start, setStart] = useState<{ viewport: Viewport; fitLater: boolean } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const r = box.current?.getBoundingClientRect();
    const fitted = fitOnInit && r ? fittedViewport(nodes, r.width, r.height) : null;
    // no size yet (a pane laid out later): React Flow fits once it has one
    setStart({ viewport: fitted ?? START, fitLater: fitOnInit && !fitted });
    // once, for the first nodes
  }, []);
  // unchanged nodes/edges keep the objects React Flow holds: only what changed re-renders
  const shown = useRef({ nodes: rfNodes, edges: rfEdges });
  shown.current = { nodes: rfNodes, edges: rfEdges };
  const nodeSources = useRef(new Map<string, CanvasNode>());
  const edgeSources = useRef(new Map<string, CanvasEdge>());
  useEffect(() => setRfNodes(keepUnchanged(shown.current.nodes, nodes, nodeSources.current)), [nodes]);
  useEffect(() => setRfEdges(keepUnchanged(shown.current.edges, edges, edgeSources.current)), [edges]);
  const flow = useReactFlow<CanvasNode, CanvasEdge>();
  const store = useStoreApi<CanvasNode, CanvasEdge>();
  // before React Flow has applied the first viewport (its pan-zoom is not up yet) the zoom is that viewport's
  const startZoom = start?.viewport.zoom ?? 1;
  const isFar = useCallback((s: ReactFlowState) => (s.panZoom ? s.transform[2] : startZoom) < FAR_ZOOM, [startZoom]);
  const far = useStore(isFar);
  const farScene = useRef<FarScene | null>(null);
  // the tooltip keeps its own state: hovering re-renders it alone, never the canvas
  const showTip = useRef<(hover: FarHover | null) => void>(() => undefined);
  const hiddenCache = useRef(new WeakMap<CanvasNode, CanvasNode>());
  const flowNodes = useMemo(() => (far ? hiddenNodes(rfNodes, hiddenCache.current) : rfNodes), [far, rfNodes]);

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasNode>[]) => {
      const local = changes.filter((c) => c.type !== 'remove');
      setRfNodes((nds) => applyNodeChanges(local, nds));
      reportSelection(changes, onSelect);
    },
    [onSelect],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<CanvasEdge>[]) => {
      setRfEdges((eds) =>
        applyEdgeChanges(
          changes.filter((c) => c.type !== 'remove'),
          eds,
        ),
      );
      reportSelection(changes, onSelect);
    },
    [onSelect],
  );
  const onNodeDragStop: OnNodeDrag<CanvasNode> = useCallback(
    (_e, _node, dragged) => {
      if (!onMoved) return;
      const ids = new Set(dragged.map((n) => n.id));
      // a group moves its children along: only the outermost dragged nodes change
      const moved = dragged
        .filter((n) => !(n.parentId && ids.has(n.parentId)))
        .map((n) => {
          const abs = flow.getInternalNode(n.id)?.internals.positionAbsolute ?? n.position;
          return { id: n.id, x: abs.x, y: abs.y };
        });
      onMoved(moved);
    },
    [flow, onMoved],
  );
  // "fit" from the controls: the nodes React Flow holds hidden while zoomed out count too (not those in collapsed groups)
  const fitAllOptions = useMemo(() => fitOptions(rfNodes), [rfNodes]);
  const handleConnect = useCallback((c: Connection) => onConnect?.(c.source, c.target), [onConnect]);
  // stable node handlers (every node re-renders when they change), calling the latest props
  const handlers = useRef({ onNodeClick, onNodeMenu, onSelect, onMoved });
  handlers.current = { onNodeClick, onNodeMenu, onSelect, onMoved };
  const handleNodeClick = useCallback((_e: MouseEvent, n: CanvasNode) => handlers.current.onNodeClick?.(n.id), []);
  const handleNodeMenu = useCallback((e: MouseEvent, n: CanvasNode) => {
    e.preventDefault();
    handlers.current.onNodeMenu?.(n.id, { x: e.clientX, y: e.clientY });
  }, []);
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
      const before = new Set<string>();
      if (multi) {
        for (const n of nodeLookup.values()) if (n.selected) before.add(n.id);
        for (const ed of storeEdges) if (ed.selected) before.add(ed.id);
      }
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
  // Dragging boxes on the zoomed-out canvas (the designer): a press on a box is caught before React
  // Flow's pane (which would pan), followed on the window, painted moved by FarCanvas, and ends in
  // onMoved as a node drag does. A press that does not move is left to be a click.
  const farDrag = useRef<FarDrag | null>(null);
  const farRepaint = useRef<() => void>(() => undefined);
  const farPress = useRef(false);
  const farDragged = useRef(false);
  const latestNodes = useRef(rfNodes);
  latestNodes.current = rfNodes;
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
      const picked = wasSelected ? new Set([...nodeLookup.values()].filter((n) => n.selected).map((n) => n.id)) : new Set([hit.id]);
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
  }, [rfNodes]);

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

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(DRAG_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);
  const onDrop = useCallback(
    (e: DragEvent) => {
      const payload = e.dataTransfer.getData(DRAG_MIME);
      if (!payload || !onDropItem) return;
      e.preventDefault();
      onDropItem(payload, flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [flow, onDropItem],
  );

  return (
    <div
      ref={box}
      className={far ? 'canvas zoom-far' : 'canvas'}
      data-testid="canvas"
      data-zoom-far={far ? 'true' : undefined}
      onDragOver={readOnly ? undefined : onDragOver}
      onDrop={readOnly ? undefined : onDrop}
      onPointerDownCapture={far && !readOnly ? onFarPointerDown : undefined}
      onMouseDownCapture={far && !readOnly ? onFarMouseDown : undefined}
    >
      {start ? (
        <ReactFlow<CanvasNode, CanvasEdge>
          nodes={flowNodes}
          edges={far ? NO_EDGES : rfEdges}
          nodeTypes={nodeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onNodeDragStop={readOnly ? undefined : onNodeDragStop}
          onNodeClick={onNodeClick ? handleNodeClick : undefined}
          onNodeContextMenu={onNodeMenu ? handleNodeMenu : undefined}
          onConnect={readOnly ? undefined : handleConnect}
          onPaneClick={far ? onFarClick : undefined}
          onPaneContextMenu={far ? onFarMenu : undefined}
          onPaneMouseMove={far ? onFarMove : undefined}
          onPaneMouseLeave={far ? onFarLeave : undefined}
          onSelectionEnd={far ? onFarSelectionEnd : undefined}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          deleteKeyCode={null}
          multiSelectionKeyCode={MULTI_SELECT_KEYS}
          selectionKeyCode="Shift"
          defaultViewport={start.viewport}
          fitView={start.fitLater}
          fitViewOptions={FIT_VIEW_OPTIONS}
          minZoom={MIN_ZOOM}
          maxZoom={MAX_ZOOM}
          defaultEdgeOptions={EDGE_OPTIONS}
          proOptions={PRO_OPTIONS}
          // a big flow zoomed in: only the nodes and edges on screen are in the DOM (less to lay out, hit-test and paint)
          onlyRenderVisibleElements
        >
          <Background gap={20} size={1} />
          <Controls showInteractive={false} fitViewOptions={fitAllOptions} />
          {far ? (
            <FarCanvas nodes={rfNodes} edges={rfEdges} scene={farScene} drag={farDrag} repaint={farRepaint} />
          ) : (
            <MiniMap pannable zoomable nodeStrokeWidth={3} />
          )}
        </ReactFlow>
      ) : null}
      {far ? <FarTip show={showTip} /> : null}
      {emptyHint && nodes.length === 0 ? (
        <div className="canvas-empty" data-testid="canvas-empty">
          {emptyHint}
        </div>
      ) : null}
    </div>
  );
});

function FarTip({ show }: { readonly show: MutableRefObject<(hover: FarHover | null) => void> }) {
  const [hover, setHover] = useState<FarHover | null>(null);
  useEffect(() => {
    show.current = setHover;
    return () => {
      show.current = () => undefined;
    };
  }, [show]);
  if (!hover) return null;
  const t = hover.target;
  const detail =
    t.kind === 'atom'
      ? [t.type, t.state ? stateLook(t.state).label : undefined, t.mark?.note]
      : [
          `${t.flowKind} group`,
          t.retry ? 'retry controller' : undefined,
          t.retryState ? stateLook(t.retryState).label : undefined,
          t.retryNote,
        ];
  return (
    <div className="far-tip" data-testid="far-tip" style={{ left: hover.x + 14, top: hover.y + 14 }}>
      <strong>{t.id}</strong>
      <span className="muted"> · {detail.filter(Boolean).join(' · ')}</span>
    </div>
  );
}

/**
 * Options for React Flow's fitView that fit every node the canvas shows, also while they are handed to
 * React Flow hidden (zoomed out); not what collapsed groups hide.
 */
export function fitOptions(
  nodes: ReadonlyArray<{ readonly id: string; readonly hidden?: boolean | undefined }>,
  extra: { readonly duration?: number } = {},
): { padding: number; maxZoom: number; includeHiddenNodes: true; nodes: Array<{ id: string }>; duration?: number } {
  return { ...FIT_VIEW_OPTIONS, ...extra, includeHiddenNodes: true, nodes: nodes.filter((n) => !n.hidden).map((n) => ({ id: n.id })) };
}
