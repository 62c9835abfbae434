'use client';

import { diffRevisions, type AtomNode, type FlowDefinition } from '@atomflow/model';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';

import { useTRPC } from '../lib/trpc';
import { Canvas } from './canvas/Canvas';
import { toDoc } from './doc/changes';
import { rects } from './doc/place';
import { toCanvas, type CanvasNode, type DiffMark } from './doc/to-canvas';

interface Props {
  readonly flowId: string;
  readonly from: number;
  readonly to: number;
  readonly categories: ReadonlyMap<string, string | null>;
  readonly onChange: (d: { from: number; to: number }) => void;
  readonly onClose: () => void;
}

/** Revision `to` drawn with what changed since `from`: added, version-changed, config-changed, and removed atoms as ghosts where they were. */
export function diffCanvas(a: FlowDefinition, b: FlowDefinition, categories: ReadonlyMap<string, string | null>) {
  const d = diffRevisions(a, b);
  const marks = new Map<string, DiffMark>();
  for (const x of d.added) marks.set(x.name, 'added');
  for (const x of d.versionChanged) marks.set(x.name, 'changed');
  for (const n of d.configChanged) marks.set(n, 'config');
  const docB = toDoc(b);
  const { nodes, edges } = toCanvas(docB, { diff: marks, categories, readOnly: true });
  const docA = toDoc(a);
  const where = new Map(rects(docA).map((r) => [r.name, r]));
  const ghosts: CanvasNode[] = [];
  for (const x of d.removed) {
    const r = where.get(x.name);
    const atom = [...walkAtoms(a.root)].find((n) => n.name === x.name);
    if (!r || !atom) continue;
    ghosts.push({
      id: `removed:${x.name}`,
      type: 'atom',
      position: { x: r.x, y: r.y },
      width: r.width,
      height: r.height,
      draggable: false,
      connectable: false,
      data: { atom, category: categories.get(atom.type) ?? null, problems: [], diff: 'removed' },
    });
  }
  return { nodes: [...nodes, ...ghosts], edges, diff: d };
}

function* walkAtoms(node: FlowDefinition['root']): Generator<AtomNode> {
  for (const c of node.children) {
    if ('kind' in c) yield* walkAtoms(c);
    else yield c;
  }
}

export function DiffView({ flowId, from, to, categories, onChange, onClose }: Props) {
  const trpc = useTRPC();
  const revisions = useQuery(trpc.flows.revisions.queryOptions({ flowId }));
  const a = useQuery(trpc.flows.get.queryOptions({ flowId, revision: from }));
  const b = useQuery(trpc.flows.get.queryOptions({ flowId, revision: to }));
  const view = useMemo(
    () => (a.data && b.data ? diffCanvas(a.data.revision.definition, b.data.revision.definition, categories) : undefined),
    [a.data, b.data, categories],
  );
  const numbers = (revisions.data ?? []).map((r) => r.revision);
  return (
    <div className="diff-view" data-testid="diff-view">
      <div className="diff-bar">
        <strong>Compare</strong>
        <select aria-label="From revision" value={from} onChange={(e) => onChange({ from: Number(e.target.value), to })}>
          {numbers.map((n) => (
            <option key={n} value={n}>
              r{n}
            </option>
          ))}
        </select>
        →
        <select aria-label="To revision" value={to} onChange={(e) => onChange({ from, to: Number(e.target.value) })}>
          {numbers.map((n) => (
            <option key={n} value={n}>
              r{n}
            </option>
          ))}
        </select>
        {view ? (
          <span className="legend">
            <span className="diff-tag diff-tag-added">+{view.diff.added.length} added</span>
            <span className="diff-tag diff-tag-removed">−{view.diff.removed.length} removed</span>
            <span className="diff-tag diff-tag-changed">{view.diff.versionChanged.length} version changed</span>
            <span className="diff-tag diff-tag-config">{view.diff.configChanged.length} config changed</span>
          </span>
        ) : null}
        <button className="primary" onClick={onClose}>
          Back to editing
        </button>
      </div>
      {view ? (
        <Canvas key={`${from}-${to}`} nodes={view.nodes} edges={view.edges} readOnly />
      ) : (
        <p className="muted centered">Loading revisions…</p>
      )}
    </div>
  );
}
