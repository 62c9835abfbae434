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
  type Connection,
  type EdgeChange,
  type NodeChange,
  type OnNodeDrag,
} from '@xyflow/react';
import { useCallback, useEffect, useRef, useState, type DragEvent, type MouseEvent } from 'react';

import type { CanvasEdge, CanvasNode } from '../doc/to-canvas';
import { keepUnchanged } from './keep-unchanged';
import { nodeTypes } from './node-types';

export const DRAG_MIME = 'application/x-atomflow';

const EDGE_OPTIONS = { type: 'smoothstep', markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 } } as const;
// constant props: a new object on every render would be a React Flow store update (every node's
// and edge's selector runs again) or re-render every node
const FIT_VIEW_OPTIONS = { padding: 0.2, maxZoom: 1.2 };
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

/** The React Flow canvas; the doc stays the source of truth, positions move locally only while dragging. */
export function Canvas({
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
  // unchanged nodes/edges keep the objects React Flow holds: only what changed re-renders
  const shown = useRef({ nodes: rfNodes, edges: rfEdges });
  shown.current = { nodes: rfNodes, edges: rfEdges };
  const nodeSources = useRef(new Map<string, CanvasNode>());
  const edgeSources = useRef(new Map<string, CanvasEdge>());
  useEffect(() => setRfNodes(keepUnchanged(shown.current.nodes, nodes, nodeSources.current)), [nodes]);
  useEffect(() => setRfEdges(keepUnchanged(shown.current.edges, edges, edgeSources.current)), [edges]);
  const flow = useReactFlow<CanvasNode, CanvasEdge>();

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
  const handleConnect = useCallback((c: Connection) => onConnect?.(c.source, c.target), [onConnect]);
  // stable node handlers (every node re-renders when they change), calling the latest props
  const handlers = useRef({ onNodeClick, onNodeMenu });
  handlers.current = { onNodeClick, onNodeMenu };
  const handleNodeClick = useCallback((_e: MouseEvent, n: CanvasNode) => handlers.current.onNodeClick?.(n.id), []);
  const handleNodeMenu = useCallback((e: MouseEvent, n: CanvasNode) => {
    e.preventDefault();
    handlers.current.onNodeMenu?.(n.id, { x: e.clientX, y: e.clientY });
  }, []);
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
    <div className="canvas" data-testid="canvas" onDragOver={readOnly ? undefined : onDragOver} onDrop={readOnly ? undefined : onDrop}>
      <ReactFlow<CanvasNode, CanvasEdge>
        nodes={rfNodes}
        edges={rfEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={readOnly ? undefined : onNodeDragStop}
        onNodeClick={onNodeClick ? handleNodeClick : undefined}
        onNodeContextMenu={onNodeMenu ? handleNodeMenu : undefined}
        onConnect={readOnly ? undefined : handleConnect}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={null}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        selectionKeyCode="Shift"
        fitView={fitOnInit}
        fitViewOptions={FIT_VIEW_OPTIONS}
        minZoom={0.1}
        maxZoom={2}
        defaultEdgeOptions={EDGE_OPTIONS}
        proOptions={PRO_OPTIONS}
        // a big flow zoomed in: only the nodes and edges on screen are in the DOM (less to lay out, hit-test and paint)
        onlyRenderVisibleElements
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable nodeStrokeWidth={3} />
      </ReactFlow>
      {emptyHint && nodes.length === 0 ? (
        <div className="canvas-empty" data-testid="canvas-empty">
          {emptyHint}
        </div>
      ) : null}
    </div>
  );
}
