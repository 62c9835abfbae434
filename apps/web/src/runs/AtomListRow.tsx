'use client';

import { memo } from 'react';

import { StateBadge } from '../components/StateBadge';
import { duration } from '../lib/time';
import type { AtomData } from './run-types';

function preview(v: unknown): string {
  if (v === undefined) return '';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

/**
 * One atom in the run page's list. Memoised: a live event re-renders only the rows whose state
 * or note changed (the atom's details keep their identity across refetches: structural sharing).
 */
export const AtomListRow = memo(function AtomListRow({
  atom: a,
  state,
  note,
  isRoot,
  onSelect,
}: {
  atom: AtomData;
  state: string;
  note: string | undefined;
  isRoot: boolean;
  onSelect: (name: string) => void;
}) {
  return (
    <li data-atom={a.name} data-state={state} className={isRoot ? 'is-root' : undefined}>
      <button className="run-atom-head link-row" onClick={() => onSelect(a.name)}>
        <strong>{a.name}</strong>
        <StateBadge state={state} />
      </button>
      <div className="muted small">
        {a.kind === 'retry' ? 'retry controller' : a.type} · {note ?? `attempt ${a.attempts}`}
        {a.startedAt && a.finishedAt ? ` · ${duration(new Date(a.finishedAt).getTime() - new Date(a.startedAt).getTime())}` : ''}
      </div>
      {isRoot ? <div className="error small">✕ root failure</div> : null}
      {a.failure ? <div className="error small">{a.failure.message}</div> : null}
      {a.result !== undefined && a.result !== null ? <code className="small">{preview(a.result)}</code> : null}
    </li>
  );
});

/**
 * The run page's list of atoms. Memoised as a whole: the run page hands it the live state at a
 * lower priority (useDeferredValue), so an urgent render of the page skips it entirely.
 */
export const AtomList = memo(function AtomList({
  atoms,
  states,
  marks,
  root,
  onSelect,
}: {
  atoms: readonly AtomData[];
  states: Readonly<Record<string, string>> | undefined;
  marks: Readonly<Record<string, { readonly note?: string }>>;
  root: string | undefined;
  onSelect: (name: string) => void;
}) {
  return (
    <ul data-testid="run-atoms">
      {atoms.map((a) => (
        <AtomListRow
          key={a.name}
          atom={a}
          state={states?.[a.name] ?? a.state}
          note={marks[a.name]?.note}
          isRoot={root === a.name}
          onSelect={onSelect}
        />
      ))}
    </ul>
  );
});
