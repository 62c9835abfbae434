'use client';

import type { AtomTypeInfo } from '@atomflow/api';
import { isFlowNode, type Problem } from '@atomflow/model';

import type { Change, Doc } from '../doc/changes';
import { locate } from '../doc/tree';
import { AtomInspector } from './AtomInspector';
import { FlowInspector } from './FlowInspector';

interface Props {
  readonly doc: Doc;
  readonly atoms: readonly AtomTypeInfo[];
  readonly selected: readonly string[];
  readonly problems: readonly Problem[];
  readonly apply: (changes: readonly Change[]) => void;
  readonly readOnly: boolean;
  readonly onRemove: () => void;
}

/** The right-hand panel: the selected atom or group, or the flow's own settings when nothing is selected. */
export function Inspector({ doc, atoms, selected, problems, apply, readOnly, onRemove }: Props) {
  const one = selected.length === 1 ? locate(doc, selected[0]!) : undefined;
  const mine = (name: string) => problems.filter((p) => p.node === name);
  let body;
  if (selected.length > 1)
    body = (
      <div className="inspector-body">
        <h2>{selected.length} selected</h2>
        <p className="muted">Ctrl+C copies them, Ctrl+D duplicates them, Delete removes them.</p>
        {!readOnly ? (
          <button className="danger-text" onClick={onRemove}>
            Delete {selected.length} nodes
          </button>
        ) : null}
      </div>
    );
  else if (one && isFlowNode(one.node))
    body = (
      <FlowInspector
        key={one.node.name}
        flow={one.node}
        def={doc}
        isRoot={false}
        problems={mine(one.node.name)}
        apply={apply}
        readOnly={readOnly}
        onRemove={onRemove}
      />
    );
  else if (one && !isFlowNode(one.node))
    body = (
      <AtomInspector
        key={one.node.name}
        atom={one.node}
        def={doc}
        atoms={atoms}
        problems={mine(one.node.name)}
        apply={apply}
        readOnly={readOnly}
        onRemove={onRemove}
      />
    );
  else body = <FlowInspector flow={doc.root} def={doc} isRoot problems={mine(doc.root.name)} apply={apply} readOnly={readOnly} />;
  return (
    <aside className="inspector" aria-label="Inspector">
      {body}
    </aside>
  );
}
