'use client';

import { FLOW_KINDS, type FlowDefinition, type FlowKind, type FlowNode, type Problem } from '@atomflow/model';

import { FLOW_HELP } from '../canvas/icons';
import type { Change } from '../doc/changes';
import { CommitInput } from './inputs';
import { InlineProblems, NameField } from './NameField';
import { fieldErrors, otherProblems } from './problem-paths';
import { RetryForm } from './RetryForm';

interface Props {
  readonly flow: FlowNode;
  readonly def: FlowDefinition;
  readonly isRoot: boolean;
  readonly problems: readonly Problem[];
  readonly apply: (changes: readonly Change[]) => void;
  readonly readOnly: boolean;
  readonly onRemove?: () => void;
}

/** A group (or, with isRoot, the whole flow): kind, retry controller, edges. */
export function FlowInspector({ flow, def, isRoot, problems, apply, readOnly, onRemove }: Props) {
  const setKind = (kind: FlowKind) => apply([{ type: 'updateFlow', name: flow.name, patch: { kind } }]);
  const rest = otherProblems(problems, ['retry']);
  return (
    <div className="inspector-body" data-testid={isRoot ? 'flow-settings' : 'group-inspector'}>
      <h2>
        <span className="muted">{isRoot ? 'Flow' : 'Group'}</span> {isRoot ? (def.name ?? def.id) : flow.name}
      </h2>
      <InlineProblems problems={rest} />
      <fieldset disabled={readOnly} className="plain">
        {isRoot ? (
          <>
            <div className="field">
              <span className="field-label">Id</span>
              <code className="readonly">{def.id}</code>
            </div>
            <div className="field">
              <label htmlFor="flow-title" className="field-label">
                Name
              </label>
              <CommitInput id="flow-title" value={def.name ?? ''} onCommit={(t) => apply([{ type: 'meta', patch: { name: t.trim() } }])} />
            </div>
            <div className="field">
              <label htmlFor="flow-description" className="field-label">
                Description
              </label>
              <CommitInput
                id="flow-description"
                value={def.description ?? ''}
                onCommit={(t) => apply([{ type: 'meta', patch: { description: t.trim() } }])}
              />
            </div>
          </>
        ) : (
          <NameField id="group-name" name={flow.name} def={def} apply={apply} />
        )}
        <div className="field">
          <label htmlFor="group-kind" className="field-label">
            {isRoot ? 'Top-level order' : 'Kind'}
          </label>
          <select id="group-kind" value={flow.kind} onChange={(e) => setKind(e.target.value as FlowKind)}>
            {FLOW_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}: {FLOW_HELP[k]}
              </option>
            ))}
          </select>
          {flow.kind !== 'graph' && flow.edges.length ? <p className="field-hint">Changing to {flow.kind} drops its connections.</p> : null}
        </div>
        <RetryForm
          retry={flow.retry}
          errors={fieldErrors(problems, 'retry')}
          readOnly={readOnly}
          onChange={(retry) => apply([{ type: 'updateFlow', name: flow.name, patch: { retry } }])}
        />
        {flow.kind === 'graph' && flow.edges.length ? (
          <>
            <h3>Connections</h3>
            <ul className="edge-list">
              {flow.edges.map((e) => (
                <li key={`${e.from}->${e.to}`}>
                  {e.from} → {e.to}{' '}
                  <button className="link" onClick={() => apply([{ type: 'removeEdge', flow: flow.name, edge: e }])}>
                    remove
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {!isRoot && !readOnly && onRemove ? (
          <button className="danger-text" onClick={onRemove}>
            Delete group and its {flow.children.length} child{flow.children.length === 1 ? '' : 'ren'}
          </button>
        ) : null}
      </fieldset>
    </div>
  );
}
