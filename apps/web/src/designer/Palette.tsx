'use client';

import type { AtomTypeInfo } from '@atomflow/api';
import { FLOW_KINDS, type FlowKind } from '@atomflow/model';
import { forwardRef, useMemo, useState, type DragEvent } from 'react';

import { DRAG_MIME } from './canvas/Canvas';
import { atomIcon, FLOW_HELP, FLOW_ICONS } from './canvas/icons';

/** What a palette item adds. */
export type PaletteItem =
  { readonly kind: 'atom'; readonly type: string; readonly version: number } | { readonly kind: 'flow'; readonly flowKind: FlowKind };

export function encodeItem(item: PaletteItem): string {
  return JSON.stringify(item);
}

export function decodeItem(text: string): PaletteItem | undefined {
  try {
    const v = JSON.parse(text) as PaletteItem;
    return v && (v.kind === 'atom' || v.kind === 'flow') ? v : undefined;
  } catch {
    return undefined;
  }
}

interface Props {
  readonly atoms: readonly AtomTypeInfo[];
  /** Enter / click adds the item next to the selection (the keyboard path). */
  readonly onAdd: (item: PaletteItem) => void;
}

function onDragStart(e: DragEvent, item: PaletteItem) {
  e.dataTransfer.setData(DRAG_MIME, encodeItem(item));
  e.dataTransfer.effectAllowed = 'copy';
}

/** Atom types from atoms.list, searchable and grouped by category, plus the group kinds. */
export const Palette = forwardRef<HTMLInputElement, Props>(function Palette({ atoms, onAdd }, searchRef) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    // the newest version of each type
    const latest = new Map<string, AtomTypeInfo>();
    for (const a of atoms) if ((latest.get(a.type)?.version ?? 0) < a.version) latest.set(a.type, a);
    const byCategory = new Map<string, AtomTypeInfo[]>();
    for (const a of latest.values()) {
      if (
        q &&
        !a.type.toLowerCase().includes(q) &&
        !(a.description ?? '').toLowerCase().includes(q) &&
        !(a.category ?? '').toLowerCase().includes(q)
      )
        continue;
      const c = a.category ?? 'Other';
      byCategory.set(c, [...(byCategory.get(c) ?? []), a]);
    }
    return [...byCategory.entries()];
  }, [atoms, query]);
  const flows = FLOW_KINDS.filter((k) => !query.trim() || `${k} group`.includes(query.trim().toLowerCase()));
  return (
    <aside className="palette" aria-label="Atom palette">
      <input
        ref={searchRef}
        className="search"
        type="search"
        placeholder="Search atoms  ( / )"
        aria-label="Search atoms"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          const first = groups[0]?.[1][0];
          if (e.key === 'Enter' && first) onAdd({ kind: 'atom', type: first.type, version: first.version });
        }}
      />
      <p className="hint">Drag onto the canvas, or press Enter on one to add it.</p>
      {flows.length ? (
        <section>
          <h3>Groups</h3>
          {flows.map((k) => (
            <button
              key={k}
              className="palette-item"
              draggable
              data-testid={`palette-flow-${k}`}
              onDragStart={(e) => onDragStart(e, { kind: 'flow', flowKind: k })}
              onClick={() => onAdd({ kind: 'flow', flowKind: k })}
              title={`${k} group: ${FLOW_HELP[k]}`}
            >
              <span className="palette-icon" aria-hidden>
                {FLOW_ICONS[k]}
              </span>
              <span className="palette-text">
                <span className="palette-name">{k} group</span>
                <span className="palette-desc">{FLOW_HELP[k]}</span>
              </span>
            </button>
          ))}
        </section>
      ) : null}
      {groups.map(([category, list]) => (
        <section key={category}>
          <h3>{category}</h3>
          {list.map((a) => (
            <button
              key={a.type}
              className="palette-item"
              draggable
              data-testid={`palette-atom-${a.type}`}
              onDragStart={(e) => onDragStart(e, { kind: 'atom', type: a.type, version: a.version })}
              onClick={() => onAdd({ kind: 'atom', type: a.type, version: a.version })}
              title={a.description ?? a.type}
            >
              <span className="palette-icon" aria-hidden>
                {atomIcon(a.type, a.category)}
              </span>
              <span className="palette-text">
                <span className="palette-name">{a.type}</span>
                {a.description ? <span className="palette-desc">{a.description}</span> : null}
              </span>
            </button>
          ))}
        </section>
      ))}
      {groups.length === 0 && flows.length === 0 ? <p className="muted">No atom matches “{query}”.</p> : null}
    </aside>
  );
});
