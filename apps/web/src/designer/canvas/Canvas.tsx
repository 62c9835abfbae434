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
  type Connection,
  type EdgeChange,
  type NodeChange,
  type OnNodeDrag,
  type ReactFlowState,
  type Viewport,
} from '@xyflow/react';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent } from 'react';

import type { CanvasEdge, CanvasNode } from '../doc/to-canvas';
import { FAR_ZOOM, FarCanvas } from './FarCanvas';
import { FarTip } from './FarTip';
import { FIT_MAX_ZOOM, FIT_PADDING, fittedViewport, hiddenNodes, MAX_ZOOM, MIN_ZOOM } from './far-view';
import { useFarPointer } from './use-far-pointer';
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

/**
 * The React Flow canvas; the doc stays the source of truth, positions move locally only while dragging.
 *
 * Zoomed out below FAR_ZOOM, atoms are unreadable boxes and a big flow would be ~1,000 DOM nodes to
 * lay out, paint and hit-test on every frame: there FarCanvas draws nodes, edges and the minimap into
 * canvases while React Flow holds every node hidden (and no edges), so it renders none. Clicks, the
 * context menu, hovering, dragging and Shift-drag selection are hit-tested against FarCanvas's scene
 * (useFarPointer) and end in the same handlers as on nodes. The first viewport (fitting the flow) is
 * computed before React Flow renders, so a flow that opens zoomed out never mounts a node.
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
  // before React Flow has applied the first viewport (its pan-zoom is not up yet) the zoom is that viewport's
  const startZoom = start?.viewport.zoom ?? 1;
  const isFar = useCallback((s: ReactFlowState) => (s.panZoom ? s.transform[2] : startZoom) < FAR_ZOOM, [startZoom]);
  const far = useStore(isFar);
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
  const pointer = useFarPointer({ far, nodes: rfNodes, box, handlers });

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
      onPointerDownCapture={far && !readOnly ? pointer.onPointerDown : undefined}
      onMouseDownCapture={far && !readOnly ? pointer.onMouseDown : undefined}
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
          onPaneClick={far ? pointer.onClick : undefined}
          onPaneContextMenu={far ? pointer.onMenu : undefined}
          onPaneMouseMove={far ? pointer.onMove : undefined}
          onPaneMouseLeave={far ? pointer.onLeave : undefined}
          onSelectionEnd={far ? pointer.onSelectionEnd : undefined}
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
            <FarCanvas nodes={rfNodes} edges={rfEdges} scene={pointer.scene} drag={pointer.drag} repaint={pointer.repaint} />
          ) : (
            <MiniMap pannable zoomable nodeStrokeWidth={3} />
          )}
        </ReactFlow>
      ) : null}
      {far ? <FarTip show={pointer.showTip} /> : null}
      {emptyHint && nodes.length === 0 ? (
        <div className="canvas-empty" data-testid="canvas-empty">
          {emptyHint}
        </div>
      ) : null}
    </div>
  );
});

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
