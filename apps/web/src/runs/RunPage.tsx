'use client';

import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import Link from 'next/link';
import { useCallback, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';

import { AppHeader } from '../components/AppHeader';
import { StateBadge } from '../components/StateBadge';
import { StateBar } from '../components/StateBar';
import { runFlow } from './run-flow';
import { RunFlowLabel } from './RunFlowLabel';
import { Canvas } from '../designer/canvas/Canvas';
import { toDoc } from '../designer/doc/changes';
import { LiveNodes, LiveNodesContext } from '../designer/canvas/live-nodes';
import { toCanvas } from '../designer/doc/to-canvas';
import { isStopped } from '../lib/states';
import { duration, exactTime, relativeTime } from '../lib/time';
import { errorMessage, useTRPC } from '../lib/trpc';
import { approvalAsk, isAwaitingApproval } from './approval';
import { AtomDrawer } from './AtomDrawer';
import { AtomList } from './AtomListRow';
import { ConfirmOp } from './ConfirmOp';
import { EventLog } from './EventLog';
import { MigrateAction } from './MigrateAction';
import { LIVE_LABEL } from './live-connection';
import { liveStates, progress, rootFailure } from './live-state';
import { atomMarks, retryLimits } from './marks';
import { OpButton } from './OpButton';
import { APPROVAL_OPS, ATOM_OPS, RUN_OPS, toOperation, type OpType } from './operations';
import { Timeline } from './Timeline';
import { useRunEvents } from './use-run-events';

type Tab = 'timeline' | 'events';

/**
 * A run, live: the flow's canvas with each atom's own state (over the `live.run` subscription),
 * a progress bar, the Gantt timeline and the event log, the atom drawer, and manual operations
 * that preview on the canvas what they touch before they are confirmed.
 */
export function RunPage({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const run = useQuery({ ...trpc.runs.get.queryOptions({ runId }), staleTime: 0 });
  const { events, connection } = useRunEvents(runId);
  const [selected, setSelected] = useState<string | undefined>();
  const [tab, setTab] = useState<Tab>('timeline');
  const [pending, setPending] = useState<{ type: OpType; atom: string | undefined } | undefined>();
  const [resultText, setResultText] = useState('null');
  const [menu, setMenu] = useState<{ atom: string; x: number; y: number } | undefined>();

  const data = run.data;
  const live = useMemo(
    () =>
      data
        ? liveStates(
            { run: data.run.state, atoms: Object.fromEntries(data.atoms.map((a) => [a.name, a.state])), seq: data.lastSeq },
            events,
          )
        : undefined,
    [data, events],
  );
  const root = useMemo(() => rootFailure(events), [events]);
  const limits = useMemo(() => (data ? retryLimits(data.definition.root) : {}), [data]);

  const pendingOp = pending
    ? toOperation(pending.type, pending.atom, pending.type === 'markSuccess' ? safeJson(resultText) : undefined)
    : undefined;
  const opPreview = useQuery({
    ...trpc.runs.preview.queryOptions({ runId, op: (pendingOp ?? { type: 'cancel' }) as never }),
    enabled: pendingOp !== undefined,
    staleTime: 0,
  });
  const previewMap = useMemo(
    () => new Map(pending && opPreview.data?.allowed ? opPreview.data.atoms.map((a) => [a.name, a.to] as const) : []),
    [pending, opPreview.data],
  );

  const marks = useMemo(
    () =>
      atomMarks({
        states: live?.atoms ?? {},
        facts: new Map(
          (data?.atoms ?? []).map((a) => [
            a.name,
            {
              attempts: a.attempts,
              wakeAt: a.wakeAt,
              waitReason: isAwaitingApproval(live?.atoms[a.name], a.waitReason, a.name, events) ? 'approval' : a.waitReason,
            },
          ]),
        ),
        limits,
        root,
        preview: previewMap,
      }),
    [live, data, limits, root, previewMap, events],
  );
  // atoms' live states and marks reach their nodes through `liveNodes` (only the changed node
  // re-renders); the canvas itself is rebuilt only for what group nodes show: retry controllers
  const retryKey = JSON.stringify(Object.keys(limits).map((n) => [n, live?.atoms[n], marks[n]?.note]));
  const definition = data?.definition; // keeps its identity across refetches (structural sharing)
  const canvas = useMemo(() => {
    if (!definition) return undefined;
    const retry = JSON.parse(retryKey) as Array<[string, string | undefined, string | undefined]>;
    return toCanvas(toDoc(definition), {
      states: Object.fromEntries(retry.filter(([, st]) => st !== undefined).map(([n, st]) => [n, st!])),
      marks: Object.fromEntries(retry.filter(([, , note]) => note !== undefined).map(([n, , note]) => [n, { note: note! }])),
      readOnly: true,
      ...(selected ? { selected: new Set([selected]) } : {}),
    });
  }, [definition, retryKey, selected]);
  const liveNodes = useMemo(() => new LiveNodes(), []);
  // stable canvas handlers (the canvas is memoised), reading the latest atoms and states
  const latest = useRef({ atoms: data?.atoms ?? [], live });
  latest.current = { atoms: data?.atoms ?? [], live };
  const onNodeClick = useCallback((id: string) => {
    const { atoms: all, live: now } = latest.current;
    if (all.some((a) => a.name === id) || now?.atoms[id]) setSelected(id);
  }, []);
  const onNodeMenu = useCallback((id: string, at: { x: number; y: number }) => {
    if (latest.current.live?.atoms[id] !== undefined) setMenu({ atom: id, ...at });
  }, []);
  // The canvas takes each live change at once (through liveNodes); the atom list, the timeline and
  // the event log — a 1,000-atom run's thousands of rows — follow in React's background renders,
  // which yield to the browser between frames, so a busy run never stalls the page.
  const listLive = useDeferredValue(live);
  const listMarks = useDeferredValue(marks);
  const listRoot = useDeferredValue(root);
  const listEvents = useDeferredValue(events);
  // before paint: a node never shows a state older than the page's
  useLayoutEffect(() => liveNodes.set(live?.atoms ?? {}, marks), [liveNodes, live, marks]);

  const pick = useCallback((type: OpType, atom: string | undefined) => {
    setMenu(undefined);
    setResultText('null');
    setPending({ type, atom });
  }, []);
  useEffect(() => {
    if (!menu) return;
    const close = () => setMenu(undefined);
    window.addEventListener('click', close);
    return () => window.removeEventListener('click', close);
  }, [menu]);

  const runState = live?.run ?? data?.run.state ?? 'PENDING';
  const { done, total } = progress(live?.atoms ?? {});
  const atoms = data?.atoms ?? [];
  const selectedAtom = selected ? atoms.find((a) => a.name === selected) : undefined;
  return (
    <div className="run-page">
      <AppHeader>
        <Link href="/">Flows</Link> <span className="muted">/</span> <Link href="/runs">Runs</Link> <span className="muted">/</span>{' '}
        {data ? (
          <Link href={`/flows/${encodeURIComponent(runFlow(data.run).flowId)}`}>{data.definition.name ?? data.run.flowId}</Link>
        ) : null}
      </AppHeader>
      {run.isError && !data ? (
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
            <span data-testid="run-state" data-state={runState}>
              <StateBadge state={runState} />
            </span>
            <span className="muted">
              <RunFlowLabel run={data.run} /> · started{' '}
              <span title={exactTime(data.run.createdAt)}>{relativeTime(data.run.createdAt)}</span>
              {typeof data.run.meta['startedBy'] === 'string' ? ` by ${data.run.meta['startedBy']}` : ''}
              {data.run.startedAt && data.run.finishedAt && isStopped(runState)
                ? ` · took ${duration(new Date(data.run.finishedAt).getTime() - new Date(data.run.startedAt).getTime())}`
                : ''}
            </span>
            <StateBar states={live?.atoms ?? {}} />
            <span className="muted small" data-testid="progress-text">
              {done}/{total} atoms finished
            </span>
            {atoms
              .filter((a) => a.kind === 'retry')
              .map((a) => (
                <span key={a.name} className="retry-chip" data-retry={a.name} title="Retry controller">
                  ↻ {a.name} <StateBadge state={live?.atoms[a.name] ?? a.state} compact /> {marks[a.name]?.note ?? ''}
                </span>
              ))}
            <span
              className={`live-dot ${connection}`}
              data-testid="live-status"
              data-live={connection}
              role="status"
              title={`live updates: ${connection}`}
            >
              {LIVE_LABEL[connection]}
            </span>
            <div className="run-ops" role="group" aria-label="Run operations">
              {RUN_OPS.map((spec) => (
                <OpButton key={spec.type} runId={runId} spec={spec} onPick={pick} />
              ))}
              <MigrateAction run={data} />
            </div>
          </div>
          {data.run.failure ? (
            <p className="error run-failure">
              {data.run.failure.type}: {data.run.failure.message}
              {root ? (
                <>
                  {' '}
                  — root failure in{' '}
                  <button className="link" onClick={() => setSelected(root)}>
                    {root}
                  </button>
                </>
              ) : null}
            </p>
          ) : null}
          <div className="run-main">
            <div className="run-canvas">
              <ReactFlowProvider>
                <LiveNodesContext.Provider value={liveNodes}>
                  <Canvas nodes={canvas.nodes} edges={canvas.edges} readOnly onNodeClick={onNodeClick} onNodeMenu={onNodeMenu} />
                </LiveNodesContext.Provider>
              </ReactFlowProvider>
              {pending ? (
                <ConfirmOp
                  key={`${pending.type}:${pending.atom ?? ''}`}
                  runId={runId}
                  type={pending.type}
                  atom={pending.atom}
                  atomType={atoms.find((a) => a.name === pending.atom)}
                  approval={pending.atom ? approvalAsk(data.definition.root, pending.atom) : undefined}
                  preview={opPreview.data}
                  previewError={opPreview.isError ? errorMessage(opPreview.error) : undefined}
                  result={resultText}
                  onResult={setResultText}
                  onDone={() => setPending(undefined)}
                  onCancel={() => setPending(undefined)}
                />
              ) : null}
            </div>
            {selected ? (
              <AtomDrawer
                run={data}
                atom={selectedAtom}
                state={live?.atoms[selected]}
                events={events}
                onClose={() => setSelected(undefined)}
                onPick={pick}
              />
            ) : (
              <aside className="run-atoms" aria-label="Atoms">
                <h2>Atoms</h2>
                <AtomList atoms={atoms} states={listLive?.atoms} marks={listMarks} root={listRoot} onSelect={setSelected} />
              </aside>
            )}
          </div>
          <div className="run-tabs">
            <div role="tablist" className="tabs">
              <button role="tab" aria-selected={tab === 'timeline'} onClick={() => setTab('timeline')}>
                Timeline
              </button>
              <button role="tab" aria-selected={tab === 'events'} onClick={() => setTab('events')}>
                Events <span className="muted small">{events.length}</span>
              </button>
            </div>
            <div className="tab-panel" role="tabpanel">
              {tab === 'timeline' ? (
                <Timeline events={listEvents} live={!isStopped(runState)} />
              ) : (
                <EventLog events={listEvents} onAtom={setSelected} />
              )}
            </div>
          </div>
          {menu ? (
            <div
              className="context-menu"
              role="menu"
              style={{ left: menu.x, top: menu.y }}
              data-testid="context-menu"
              onClick={(e) => e.stopPropagation()}
            >
              <div className="muted small context-title">{menu.atom}</div>
              <button role="menuitem" onClick={() => (setSelected(menu.atom), setMenu(undefined))}>
                Details
              </button>
              {ATOM_OPS.map((spec) => (
                <OpButton key={spec.type} runId={runId} spec={spec} atom={menu.atom} onPick={pick} />
              ))}
              {isAwaitingApproval(live?.atoms[menu.atom], atoms.find((a) => a.name === menu.atom)?.waitReason, menu.atom, events)
                ? APPROVAL_OPS.map((spec) => <OpButton key={spec.type} runId={runId} spec={spec} atom={menu.atom} onPick={pick} />)
                : null}
            </div>
          ) : null}
        </div>
      )}
    </div>
  );
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
