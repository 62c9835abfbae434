'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';

import { AppHeader } from '../components/AppHeader';
import { StateBadge } from '../components/StateBadge';
import { StateBar } from '../components/StateBar';
import { RunFlowLabel } from './RunFlowLabel';
import { countFinished } from '../lib/states';
import { duration, exactTime, relativeTime } from '../lib/time';
import { errorMessage, useTRPC, useTRPCClient } from '../lib/trpc';
import { clickSelect, toggleAll } from './bulk';
import { BulkBar } from './BulkBar';
import { applySummaries } from './run-list';
import {
  filterSearch,
  fromLocalInput,
  parseFilter,
  PRESET_LABEL,
  toLocalInput,
  toQuery,
  type RunsFilter,
  type RunsQuery,
  type TimePreset,
} from './runs-filter';

const STATES = ['PENDING', 'RUNNING', 'WAITING', 'SUCCESS', 'FAILURE', 'REVERTED', 'SUSPENDED', 'CANCELLED'] as const;
type RunStateFilter = (typeof STATES)[number];

/**
 * Runs, newest first, live over `live.runs`, filtered by state, flow and start time (kept in the
 * URL), a page at a time; rows can be selected (click, shift-click for a range, all on the page)
 * to retry or cancel them together.
 */
export function RunsList() {
  const trpc = useTRPC();
  const params = useSearchParams();
  const router = useRouter();
  const path = usePathname();
  const current = useMemo(() => parseFilter(new URLSearchParams(params.toString()), STATES), [params]);
  const [flowText, setFlowText] = useState(current.flowId);
  const setFilter = (patch: Partial<RunsFilter>) => router.replace(`${path}${filterSearch({ ...current, ...patch })}`, { scroll: false });
  // a preset is resolved against the time the filter was chosen (to the minute), not on every render
  const [chosenAt, setChosenAt] = useState(() => Date.now());
  // parseFilter only keeps states from STATES
  const filter = useMemo(
    () => toQuery(current, chosenAt) as Omit<RunsQuery, 'states'> & { states?: RunStateFilter[] },
    [current, chosenAt],
  );
  const [custom, setCustom] = useState(current.after !== '' || current.before !== '');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [anchor, setAnchor] = useState<string | undefined>();
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
    trpc.live.runs.subscriptionOptions(current.flowId ? { flowId: current.flowId } : {}, {
      onData: (t) => setLive((prev) => [...prev.filter((x) => x.id !== t.data.id), t.data].slice(-500)),
    }),
  );
  const rows = useMemo(() => applySummaries(pages.data?.pages.flatMap((p) => p.items) ?? [], live, filter), [pages.data, live, filter]);
  const ids = useMemo(() => rows.map((r) => r.id), [rows]);
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
            <select aria-label="Filter by state" value={current.state} onChange={(e) => setFilter({ state: e.target.value })}>
              <option value="">any</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Flow{' '}
            <input
              aria-label="Filter by flow"
              placeholder="flow id"
              value={flowText}
              onChange={(e) => {
                setFlowText(e.target.value);
                setFilter({ flowId: e.target.value.trim() });
              }}
            />
          </label>
          <label>
            Started{' '}
            <select
              aria-label="Filter by start time"
              value={current.since || (custom ? 'custom' : '')}
              onChange={(e) => {
                const v = e.target.value;
                setChosenAt(Date.now());
                setCustom(v === 'custom');
                setFilter(
                  v === 'custom' || v === ''
                    ? { since: '', ...(v === '' ? { after: '', before: '' } : {}) }
                    : { since: v as TimePreset, after: '', before: '' },
                );
              }}
            >
              <option value="">any time</option>
              {(Object.keys(PRESET_LABEL) as TimePreset[]).map((p) => (
                <option key={p} value={p}>
                  {PRESET_LABEL[p]}
                </option>
              ))}
              <option value="custom">between…</option>
            </select>
          </label>
          {custom && !current.since ? (
            <>
              <label>
                after{' '}
                <input
                  type="datetime-local"
                  aria-label="Started after"
                  value={toLocalInput(current.after)}
                  onChange={(e) => setFilter({ after: fromLocalInput(e.target.value) })}
                />
              </label>
              <label>
                before{' '}
                <input
                  type="datetime-local"
                  aria-label="Started before"
                  value={toLocalInput(current.before)}
                  onChange={(e) => setFilter({ before: fromLocalInput(e.target.value) })}
                />
              </label>
            </>
          ) : null}
        </div>
        <BulkBar selected={rows.filter((r) => selected.has(r.id))} onClear={() => setSelected(new Set())} />
        {pages.isError ? <p className="error">Could not load runs: {errorMessage(pages.error)}</p> : null}
        {pages.isPending ? <p className="muted">Loading runs…</p> : null}
        {!pages.isPending && rows.length === 0 ? (
          <div className="empty-state" data-testid="runs-empty">
            {current.state || current.flowId || current.since || current.after || current.before ? (
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
                <th className="select-cell">
                  <input
                    type="checkbox"
                    aria-label="Select all runs shown"
                    data-testid="select-all"
                    checked={rows.length > 0 && rows.every((r) => selected.has(r.id))}
                    onChange={() => setSelected(toggleAll(selected, ids))}
                  />
                </th>
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
                const done = countFinished(r.atomStates);
                return (
                  <tr key={r.id} data-run={r.id} data-state={r.state} className={selected.has(r.id) ? 'selected' : undefined}>
                    <td className="select-cell">
                      <input
                        type="checkbox"
                        aria-label={`Select run ${r.id.slice(0, 8)}`}
                        checked={selected.has(r.id)}
                        onChange={() => undefined}
                        onClick={(e) => {
                          const next = clickSelect(selected, ids, r.id, e.shiftKey, anchor);
                          setSelected(next.selected);
                          setAnchor(next.anchor);
                        }}
                      />
                    </td>
                    <td>
                      <StateBadge state={r.state} />
                      {r.awaitingApproval > 0 ? (
                        <span
                          className="approval-chip"
                          data-testid="awaiting-approval"
                          title="An atom waits for a person to approve or reject it"
                        >
                          ◔ awaiting approval{r.awaitingApproval > 1 ? ` (${r.awaitingApproval})` : ''}
                        </span>
                      ) : null}
                    </td>
                    <td>
                      <Link href={`/runs/${r.id}`}>
                        <code>{r.id.slice(0, 8)}</code>
                      </Link>
                    </td>
                    <td>
                      <RunFlowLabel run={r} />
                    </td>
                    <td>
                      <StateBar counts={r.atomStates} className="small-progress" />
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
