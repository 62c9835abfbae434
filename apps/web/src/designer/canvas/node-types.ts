import type { NodeTypes } from '@xyflow/react';

import './canvas-perf.css';

import { AtomNodeView } from './AtomNodeView';
import { FlowNodeView } from './FlowNodeView';

/** Module-level so React Flow never re-registers the node types. */
export const nodeTypes = { atom: AtomNodeView, flow: FlowNodeView } satisfies NodeTypes;
