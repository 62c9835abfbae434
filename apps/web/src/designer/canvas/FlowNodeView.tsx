'use client';

import type { RetryDefinition } from '@atomflow/model';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';

import type { FlowCanvasNode } from '../doc/to-canvas';
import { stateLook } from '../../lib/states';
import { useDesigner } from './designer-context';
import { FLOW_HELP, FLOW_ICONS } from './icons';

/** "times ×3, 500 ms ×2 backoff" — what a retry controller does, in a few words. */
export function retryLabel(r: RetryDefinition): string {
  switch (r.kind) {
    case 'times':
      return `retry ×${r.attempts}${r.delayMs ? `, ${r.delayMs} ms` : ''}${r.backoff ? ` ×${r.backoff.factor ?? 2} backoff` : ''}${r.revertAll ? ', revert all' : ''}`;
    case 'forEach':
      return `for each of ${r.values.length} value${r.values.length === 1 ? '' : 's'}`;
    case 'parameterizedForEach':
      return `for each in ${r.from}`;
    case 'alwaysRevert':
      return 'always revert';
    case 'alwaysRevertAll':
      return 'always revert all';
    default: {
      const never: never = r;
      return String(never);
    }
  }
}

function FlowNodeViewImpl({ data, selected }: NodeProps<FlowCanvasNode>) {
  const { flow, collapsed, problems, atoms, diff, retryState, retryNote } = data;
  const retryLook = retryState ? stateLook(retryState) : undefined;
  const { apply } = useDesigner();
  const classes = [
    'flow-node',
    `flow-${flow.kind}`,
    collapsed ? 'is-collapsed' : '',
    problems.length ? 'has-problems' : '',
    diff ? `diff-${diff}` : '',
    selected ? 'is-selected' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} data-testid="flow-node" data-name={flow.name}>
      <Handle type="target" position={Position.Left} />
      <div className="flow-header">
        <span className="flow-kind" title={`${flow.kind}: ${FLOW_HELP[flow.kind]}`}>
          {FLOW_ICONS[flow.kind]} {flow.kind}
        </span>
        <span className="flow-name" title={flow.name}>
          {flow.name}
        </span>
        {flow.retry ? (
          <span
            className={`retry-badge${retryLook ? ` state-badge ${retryLook.className}` : ''}`}
            data-testid="retry-badge"
            data-state={retryState}
            title="Retry controller of this group"
          >
            ↻ {retryLabel(flow.retry)}
            {retryLook ? ` · ${retryLook.label}` : ''}
            {retryNote ? ` · ${retryNote}` : ''}
          </span>
        ) : null}
        {problems.length ? (
          <span className="problem-badge" title={problems.map((p) => p.message).join('\n')}>
            ⚠ {problems.length}
          </span>
        ) : null}
        <button
          className="collapse nodrag"
          aria-label={collapsed ? `Expand ${flow.name}` : `Collapse ${flow.name}`}
          title={collapsed ? 'Expand' : 'Collapse'}
          onClick={(e) => {
            e.stopPropagation();
            apply([{ type: 'collapse', name: flow.name, collapsed: !collapsed }]);
          }}
        >
          {collapsed ? '▸' : '▾'}
        </button>
      </div>
      {collapsed ? (
        <div className="flow-summary muted">
          {atoms} atom{atoms === 1 ? '' : 's'} inside
        </div>
      ) : flow.children.length === 0 ? (
        <div className="flow-empty">Drop atoms here</div>
      ) : null}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export const FlowNodeView = memo(FlowNodeViewImpl);
