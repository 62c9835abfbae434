'use client';

import { providedNames } from '@atomflow/model';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';

import { stateLook } from '../../lib/states';
import type { AtomCanvasNode } from '../doc/to-canvas';
import { atomIcon } from './icons';
import { useLiveNode } from './live-nodes';

const DIFF_LABEL = { added: 'added', removed: 'removed', changed: 'version changed', config: 'config changed' } as const;

function AtomNodeViewImpl({ data, selected }: NodeProps<AtomCanvasNode>) {
  const { atom, problems, diff, category } = data;
  // a run view's live state comes from its own store, not through React Flow's nodes
  const live = useLiveNode(atom.name);
  const state = live ? live.state : data.state;
  const mark = live ? live.mark : data.mark;
  const provides = providedNames(atom.provides);
  const look = state ? stateLook(state) : undefined;
  const classes = [
    'atom-node',
    problems.length ? 'has-problems' : '',
    diff ? `diff-${diff}` : '',
    look ? look.className : '',
    selected ? 'is-selected' : '',
    mark?.root ? 'is-root-failure' : '',
    mark?.preview ? 'is-previewed' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div
      className={classes}
      data-testid="atom-node"
      data-name={atom.name}
      data-state={state}
      data-root-failure={mark?.root ? 'true' : undefined}
      data-preview={mark?.preview}
    >
      <Handle type="target" position={Position.Left} />
      <div className="atom-icon" aria-hidden>
        {look ? look.icon : atomIcon(atom.type, category)}
      </div>
      <div className="atom-body">
        <div className="atom-name" title={atom.name}>
          {atom.name}
        </div>
        <div className="atom-type">
          {atom.type} <span className="muted">v{atom.version}</span>
        </div>
        {provides.length ? (
          <div className="atom-provides" title={`provides ${provides.join(', ')}`}>
            → {provides.join(', ')}
          </div>
        ) : null}
      </div>
      {look ? (
        <div className="atom-state">
          {look.label}
          {mark?.note ? <span className="atom-note"> · {mark.note}</span> : null}
        </div>
      ) : null}
      {mark?.root ? (
        <span className="root-failure-tag" title="The failure that set the revert going">
          ✕ root failure
        </span>
      ) : null}
      {mark?.preview ? (
        <span className="preview-tag" data-testid="preview-tag">
          → {stateLook(mark.preview).label}
        </span>
      ) : null}
      {diff ? <div className={`diff-tag diff-tag-${diff}`}>{DIFF_LABEL[diff]}</div> : null}
      {problems.length ? (
        <span className="problem-badge" title={problems.map((p) => p.message).join('\n')} data-testid="problem-badge">
          ⚠ {problems.length}
        </span>
      ) : null}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export const AtomNodeView = memo(AtomNodeViewImpl);
