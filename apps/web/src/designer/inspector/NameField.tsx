'use client';

import type { FlowDefinition, Problem } from '@atomflow/model';
import { useState } from 'react';

import type { Change } from '../doc/changes';
import { usedNames } from '../doc/tree';
import { CommitInput } from './inputs';

/** The name of an atom or group: renames it, refusing an empty name or one already used in the flow. */
export function NameField({
  id,
  name: current,
  def,
  apply,
}: {
  id: string;
  name: string;
  def: FlowDefinition;
  apply: (changes: readonly Change[]) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const rename = (to: string) => {
    const name = to.trim();
    if (!name) return setError('a name is required');
    if (name !== current && usedNames(def).has(name)) return setError(`"${name}" is already used: names are unique in a flow`);
    setError(null);
    apply([{ type: 'rename', from: current, to: name }]);
  };
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        Name
      </label>
      <CommitInput id={id} value={current} onCommit={rename} aria-invalid={error !== null} />
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  );
}

/** A node's problems that no form field shows. */
export function InlineProblems({ problems }: { problems: readonly Problem[] }) {
  return problems.length ? (
    <ul className="problem-list inline">
      {problems.map((p, i) => (
        <li key={i}>{p.message}</li>
      ))}
    </ul>
  ) : null;
}
