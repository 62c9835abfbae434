'use client';

import type { AtomTypeInfo } from '@atomflow/api';
import { providedNames, type AtomNode, type FlowDefinition, type Problem } from '@atomflow/model';

import type { AtomPatch, Change } from '../doc/changes';
import { connectChange, connectTargets } from '../doc/connect';
import { ancestors } from '../doc/tree';
import { ConfigForm } from './ConfigForm';
import { CommitInput, KeyValueEditor, splitList } from './inputs';
import { InlineProblems, NameField } from './NameField';
import { fieldErrors, otherProblems } from './problem-paths';

interface Props {
  readonly atom: AtomNode;
  readonly def: FlowDefinition;
  readonly atoms: readonly AtomTypeInfo[];
  readonly problems: readonly Problem[];
  readonly apply: (changes: readonly Change[]) => void;
  readonly readOnly: boolean;
  readonly onRemove: () => void;
}

export function AtomInspector({ atom, def, atoms, problems, apply, readOnly, onRemove }: Props) {
  const info = atoms.find((a) => a.type === atom.type && a.version === atom.version);
  const versions = atoms.filter((a) => a.type === atom.type).map((a) => a.version);
  const update = (patch: AtomPatch) => apply([{ type: 'updateAtom', name: atom.name, patch }]);
  const parent = ancestors(def, atom.name).at(-1);
  const incoming = parent?.kind === 'graph' ? parent.edges.filter((e) => e.to === atom.name) : [];
  const outgoing = parent?.kind === 'graph' ? parent.edges.filter((e) => e.from === atom.name) : [];
  const targets = readOnly ? [] : connectTargets(def, atom.name);
  const rest = otherProblems(problems, ['config']);
  return (
    <div className="inspector-body" data-testid="atom-inspector" data-atom={atom.name}>
      <h2>
        <span className="muted">Atom</span> {atom.name}
      </h2>
      <InlineProblems problems={rest} />
      <fieldset disabled={readOnly} className="plain">
        <NameField id="atom-name" name={atom.name} def={def} apply={apply} />
        <div className="field-row">
          <div className="field">
            <span className="field-label">Type</span>
            <code className="readonly">{atom.type}</code>
          </div>
          <div className="field">
            <label htmlFor="atom-version" className="field-label">
              Version
            </label>
            <select id="atom-version" value={atom.version} onChange={(e) => update({ version: Number(e.target.value) })}>
              {(versions.includes(atom.version) ? versions : [atom.version, ...versions]).map((v) => (
                <option key={v} value={v}>
                  v{v}
                </option>
              ))}
            </select>
          </div>
        </div>
        {info?.description ? <p className="field-hint">{info.description}</p> : null}
        <div className="field">
          <label htmlFor="atom-requires" className="field-label">
            Requires <span className="muted">(input names, comma separated)</span>
          </label>
          <CommitInput
            id="atom-requires"
            value={atom.requires.join(', ')}
            placeholder="e.g. order, customer"
            onCommit={(t) => update({ requires: splitList(t) })}
          />
        </div>
        <div className="field">
          <label htmlFor="atom-provides" className="field-label">
            Provides <span className="muted">(result name; several split an array)</span>
          </label>
          <CommitInput
            id="atom-provides"
            value={providedNames(atom.provides).join(', ')}
            placeholder="e.g. reservation"
            onCommit={(t) => {
              const list = splitList(t);
              update({ provides: list.length === 0 ? undefined : list.length === 1 ? list[0] : list });
            }}
          />
        </div>
        <KeyValueEditor
          label="Rebind"
          keyPlaceholder="input"
          valuePlaceholder="stored name"
          value={atom.rebind}
          onChange={(v) => update({ rebind: v as Record<string, string> })}
        />
        <KeyValueEditor
          label="Inject"
          json
          keyPlaceholder="input"
          valuePlaceholder="constant (JSON)"
          value={atom.inject}
          onChange={(v) => update({ inject: v })}
        />
        <h3>Configuration</h3>
        <ConfigForm
          schema={info?.config ?? null}
          value={atom.config}
          errors={fieldErrors(problems, 'config')}
          readOnly={readOnly}
          onChange={(config) => update({ config })}
        />
        {parent?.kind === 'graph' ? (
          <>
            <h3>Connections</h3>
            <ul className="edge-list">
              {incoming.map((e) => (
                <li key={`in:${e.from}`}>
                  runs after <strong>{e.from}</strong>{' '}
                  <button className="link" onClick={() => apply([{ type: 'removeEdge', flow: parent.name, edge: e }])}>
                    remove
                  </button>
                </li>
              ))}
              {outgoing.map((e) => (
                <li key={`out:${e.to}`}>
                  then <strong>{e.to}</strong>{' '}
                  <button className="link" onClick={() => apply([{ type: 'removeEdge', flow: parent.name, edge: e }])}>
                    remove
                  </button>
                </li>
              ))}
              {incoming.length + outgoing.length === 0 ? (
                <li className="muted">No connections: it runs as soon as its inputs are there.</li>
              ) : null}
            </ul>
            {targets.length ? (
              <div className="field">
                <label htmlFor="connect-to" className="field-label">
                  Connect to (runs after this one)
                </label>
                <select
                  id="connect-to"
                  value=""
                  onChange={(e) => {
                    const r = connectChange(def, atom.name, e.target.value);
                    if ('change' in r) apply([r.change]);
                  }}
                >
                  <option value="">Choose an atom…</option>
                  {targets.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
          </>
        ) : null}
        {!readOnly ? (
          <button className="danger-text" onClick={onRemove}>
            Delete atom
          </button>
        ) : null}
      </fieldset>
    </div>
  );
}
