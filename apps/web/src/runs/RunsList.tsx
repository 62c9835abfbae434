'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import Link from 'next/link';
import { useMemo, useState } from 'react';

import { AppHeader } from '../components/AppHeader';
import { StateBadge } from '../components/StateBadge';
import { duration, exactTime, relativeTime } from '../lib/time';
import { errorMessage, useTRPC, useTRPCClient } from '../lib/trpc';
import { applySummaries } from './run-list';

const STATES = ['PENDING', 'RUNNING', 'WAITING', 'SUCCESS', 'FAILURE', 'REVERTED', 'SUSPENDED', 'CANCELLED'] as const;
type RunStateFilter = (typeof STATES)[number];

const FINISHED = ['SUCCESS', 'FAILURE', 'REVERTED', 'REVERT_FAILURE', 'IGNORE'] as const;

/** Runs, newest first, live over `live.runs`, filtered by state and flow, a page at a time. */
export function RunsList() {
  const trpc = useTRPC();
  const [state, setState] = useState<RunStateFilter | ''>('');
  const [flowId, setFlowId] = useState('');
  const filter = useMemo(
    () => ({ ...(state ? { states: [state] } : {}), ...(flowId.trim() ? { flowId: flowId.trim() } : {}) }),
    [state, flowId],
  );
  const client = useTRPCClient();
  // runs.list takes a strict input: the infinite-query helper's extra `direction` key would be refused
  const pages = useInfiniteQuery({
    queryKey: [...trpc.runs.list.queryKey({ ...filter, limit: 25 }), 'pages'],
    queryFn: ({ pageParam }) => client.runs.list.query({ ...filter, limit: 25, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: 0,
  });
  type Summary = NonNullable<typeof pages.data>['pages'][number]['items'][number];
  const [live, setLive] = useState<Summary[]>([]);
  useSubscription(
    trpc.live.runs.subscriptionOptions(flowId.trim() ? { flowId: flowId.trim() } : {}, {
      onData: (t) => setLive((prev) => [...prev.filter((x) => x.id !== t.data.id), t.data].slice(-500)),
    }),
  );
  const rows = useMemo(() => applySummaries(pages.data?.pages.flatMap((p) => p.items) ?? [], live, filter), [pages.data, live, filter]);
  return (
    <div className="runs-page">
      <AppHeader>
        <Link href="/">Flows</Link> <span className="muted">/</span> <span>Runs</span>
      </AppHeader>
      <main className="page">
        <div className="list-toolbar">
          <h1>Runs</h1>
          <label>
            State{' '}
            <select aria-label="Filter by state" value={state} onChange={(e) => setState(e.target.value as RunStateFilter | '')}>
              <option value="">any</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Flow <input aria-label="Filter by flow" placeholder="flow id" value={flowId} onChange={(e) => setFlowId(e.target.value)} />
          </label>
        </div>
        {pages.isError ? <p className="error">Could not load runs: {errorMessage(pages.error)}</p> : null}
        {pages.isPending ? <p className="muted">Loading runs…</p> : null}
        {!pages.isPending && rows.length === 0 ? (
          <div className="empty-state" data-testid="runs-empty">
            {state || flowId ? (
              <p>No runs match these filters.</p>
            ) : (
              <>
                <h2>No runs yet</h2>
                <p>
                  Open a flow from the <Link href="/">flows list</Link> (the examples are ready to run) and press ▶ Run in the designer; its
                  runs appear here, live.
                </p>
              </>
            )}
          </div>
        ) : null}
        {rows.length ? (
          <table className="list runs-list" data-testid="runs-list">
            <thead>
              <tr>
                <th>State</th>
                <th>Run</th>
                <th>Flow</th>
                <th>Progress</th>
                <th>Started</th>
                <th>Duration</th>
                <th>By</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const done = FINISHED.reduce((n, s) => n + (r.atomStates[s] ?? 0), 0);
                return (
                  <tr key={r.id} data-run={r.id} data-state={r.state}>
                    <td>
                      <StateBadge state={r.state} />
                    </td>
                    <td>
                      <Link href={`/runs/${r.id}`}>
                        <code>{r.id.slice(0, 8)}</code>
                      </Link>
                    </td>
                    <td>
                      {r.flowId} <span className="muted">r{r.revision}</span>
                    </td>
                    <td>
                      <div
                        className="progress small-progress"
                        role="progressbar"
                        aria-valuemin={0}
                        aria-valuemax={r.atomTotal}
                        aria-valuenow={done}
                      >
                        <div className="progress-fill" style={{ width: `${r.atomTotal ? (100 * done) / r.atomTotal : 0}%` }} />
                      </div>
                      <span className="muted small">
                        {done}/{r.atomTotal}
                      </span>
                    </td>
                    <td title={exactTime(r.createdAt)}>{relativeTime(r.createdAt)}</td>
                    <td>
                      {r.startedAt && r.finishedAt
                        ? duration(Date.parse(r.finishedAt) - Date.parse(r.startedAt))
                        : r.startedAt
                          ? 'running'
                          : '—'}
                    </td>
                    <td className="muted">{typeof r.meta['startedBy'] === 'string' ? r.meta['startedBy'] : ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : null}
        {pages.hasNextPage ? (
          <button onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
            {pages.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        ) : null}
      </main>
    </div>
  );
}
