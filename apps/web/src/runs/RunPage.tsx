'use client';

import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import Link from 'next/link';
import { useMemo } from 'react';

import { AppHeader } from '../components/AppHeader';
import { StateBadge } from '../components/StateBadge';
import { Canvas } from '../designer/canvas/Canvas';
import { toDoc } from '../designer/doc/changes';
import { toCanvas } from '../designer/doc/to-canvas';
import { isStopped } from '../lib/states';
import { duration, exactTime, relativeTime } from '../lib/time';
import { errorMessage, useTRPC } from '../lib/trpc';

const DONE = new Set(['SUCCESS', 'FAILURE', 'REVERTED', 'REVERT_FAILURE', 'IGNORE']);

function preview(v: unknown): string {
  if (v === undefined) return '';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

/** A run: the flow's canvas with each atom's own state, a progress bar and the atom list (polled until the run stops). */
export function RunPage({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const run = useQuery({
    ...trpc.runs.get.queryOptions({ runId }),
    refetchInterval: (q) => (q.state.data && isStopped(q.state.data.run.state) ? false : 1000),
  });
  const states = useMemo(() => Object.fromEntries((run.data?.atoms ?? []).map((a) => [a.name, a.state])), [run.data]);
  const canvas = useMemo(
    () => (run.data ? toCanvas(toDoc(run.data.definition), { states, readOnly: true }) : undefined),
    [run.data, states],
  );
  const data = run.data;
  const atoms = data?.atoms ?? [];
  const done = atoms.filter((a) => DONE.has(a.state)).length;
  return (
    <div className="run-page">
      <AppHeader>
        <Link href="/">Flows</Link> <span className="muted">/</span>{' '}
        {data ? <Link href={`/flows/${encodeURIComponent(data.run.flowId)}`}>{data.definition.name ?? data.run.flowId}</Link> : null}{' '}
        <span className="muted">/</span> <span>run</span>
      </AppHeader>
      {run.isError ? (
        <main className="page">
          <p className="error">
            Could not load run {runId}: {errorMessage(run.error)}
          </p>
        </main>
      ) : !data || !canvas ? (
        <main className="page" aria-busy="true">
          <p className="muted">Loading run…</p>
        </main>
      ) : (
        <div className="run-body">
          <div className="run-head">
            <h1>
              Run <code>{data.run.id.slice(0, 8)}</code>
            </h1>
            <span data-testid="run-state">
              <StateBadge state={data.run.state} />
            </span>
            <span className="muted">
              {data.run.flowId} r{data.run.revision} · started{' '}
              <span title={exactTime(data.run.createdAt)}>{relativeTime(data.run.createdAt)}</span>
              {data.run.startedAt && data.run.finishedAt
                ? ` · took ${duration(new Date(data.run.finishedAt).getTime() - new Date(data.run.startedAt).getTime())}`
                : ''}
            </span>
            <div
              className="progress"
              role="progressbar"
              aria-valuemin={0}
              aria-valuemax={atoms.length}
              aria-valuenow={done}
              title={`${done} of ${atoms.length} atoms finished`}
            >
              <div className="progress-fill" style={{ width: `${atoms.length ? (100 * done) / atoms.length : 0}%` }} />
            </div>
            <span className="muted small">
              {done}/{atoms.length} atoms finished
            </span>
          </div>
          {data.run.failure ? (
            <p className="error">
              {data.run.failure.type}: {data.run.failure.message}
            </p>
          ) : null}
          <div className="run-main">
            <ReactFlowProvider>
              <Canvas nodes={canvas.nodes} edges={canvas.edges} readOnly />
            </ReactFlowProvider>
            <aside className="run-atoms" aria-label="Atoms">
              <h2>Atoms</h2>
              <ul data-testid="run-atoms">
                {atoms.map((a) => (
                  <li key={a.name} data-atom={a.name} data-state={a.state}>
                    <div className="run-atom-head">
                      <strong>{a.name}</strong>
                      <StateBadge state={a.state} />
                    </div>
                    <div className="muted small">
                      {a.kind === 'retry' ? 'retry controller' : a.type} · attempt {a.attempts}
                      {a.startedAt && a.finishedAt
                        ? ` · ${duration(new Date(a.finishedAt).getTime() - new Date(a.startedAt).getTime())}`
                        : ''}
                    </div>
                    {a.failure ? <div className="error small">{a.failure.message}</div> : null}
                    {a.result !== undefined && a.result !== null ? <code className="small">{preview(a.result)}</code> : null}
                  </li>
                ))}
              </ul>
            </aside>
          </div>
        </div>
      )}
    </div>
  );
}
