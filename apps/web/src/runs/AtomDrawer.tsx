'use client';

import { StateBadge } from '../components/StateBadge';
import { duration, exactTime, relativeTime } from '../lib/time';
import { ApprovalSection } from './ApprovalSection';
import type { MonitorEvent } from './live-state';
import { OpButton } from './OpButton';
import { ATOM_OPS, type OpType } from './operations';
import type { AtomData, RunData } from './run-types';

type FailureLike = { type?: string; message?: string; stack?: string | null; cause?: unknown } | null | undefined;

function FailureView({ failure, label }: { failure: FailureLike; label: string }) {
  if (!failure) return null;
  const chain: FailureLike[] = [];
  let f: FailureLike = failure;
  while (f && chain.length < 10) {
    chain.push(f);
    f = f.cause as FailureLike;
  }
  return (
    <section className="drawer-section" data-testid={`${label}-section`}>
      <h3>{label === 'failure' ? 'Failure' : 'Revert failure'}</h3>
      {chain.map((c, i) => (
        <div key={i} className="failure-entry">
          <div className="error">
            {i > 0 ? <span className="muted">caused by </span> : null}
            <strong>{c?.type}</strong>: {c?.message}
          </div>
          {c?.stack ? (
            <details>
              <summary className="muted small">stack</summary>
              <pre className="stack">{c.stack}</pre>
            </details>
          ) : null}
        </div>
      ))}
    </section>
  );
}

/** The failure an event carries (FAILURE events record `{failure: {type, message}}`). */
function failureText(data: Record<string, unknown> | null): string | undefined {
  const f = data?.['failure'] as { type?: unknown; message?: unknown } | undefined;
  return f && typeof f.message === 'string' ? `${typeof f.type === 'string' ? `${f.type}: ` : ''}${f.message}` : undefined;
}

function Json({ value }: { value: unknown }) {
  return <pre className="json">{value === undefined ? '—' : JSON.stringify(value, null, 2)}</pre>;
}

/** Everything about one atom of the run, and its operations. */
export function AtomDrawer({
  run,
  atom,
  state,
  events,
  onClose,
  onPick,
}: {
  run: RunData;
  atom: AtomData | undefined;
  state: string | undefined;
  events: readonly MonitorEvent[];
  onClose: () => void;
  onPick: (type: OpType, atom: string | undefined) => void;
}) {
  if (!atom)
    return (
      <aside className="drawer">
        <p className="muted">This atom has not been recorded in the run yet.</p>
        <button onClick={onClose}>Close</button>
      </aside>
    );
  // in the order they ran (first recorded; a retried one keeps its place): the store gives that order
  const subSteps = run.subSteps.filter((s) => s.atom === atom.name);
  const mine = events.filter((e) => e.atom === atom.name);
  const attempts = mine.filter((e) => e.to === 'RUNNING');
  return (
    <aside className="drawer" data-testid="atom-drawer" data-drawer-atom={atom.name} aria-label={`Atom ${atom.name}`}>
      <header className="drawer-head">
        <h2>{atom.name}</h2>
        <StateBadge state={state ?? atom.state} />
        <button className="icon" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="muted small">
        {atom.kind === 'retry' ? 'retry controller' : atom.type} v{atom.version} · intention {atom.intention} · {atom.attempts} attempt
        {atom.attempts === 1 ? '' : 's'}
        {atom.wakeAt ? (
          <>
            {' '}
            · wakes <span title={exactTime(atom.wakeAt)}>{relativeTime(atom.wakeAt)}</span>
            {atom.waitReason ? ` (${atom.waitReason})` : ''}
          </>
        ) : null}
      </div>
      <div className="drawer-ops" role="group" aria-label="Atom operations">
        {ATOM_OPS.map((spec) => (
          <OpButton key={spec.type} runId={run.run.id} spec={spec} atom={atom.name} onPick={onPick} />
        ))}
      </div>
      <ApprovalSection run={run} atom={atom} state={state ?? atom.state} events={events} onPick={onPick} />
      <section className="drawer-section">
        <h3>Inputs</h3>
        <Json value={atom.inputs ?? undefined} />
      </section>
      <section className="drawer-section" data-testid="result-section">
        <h3>Result</h3>
        <Json value={atom.result} />
      </section>
      <FailureView failure={atom.failure} label="failure" />
      {atom.revertResult !== undefined && atom.revertResult !== null ? (
        <section className="drawer-section">
          <h3>Revert result</h3>
          <Json value={atom.revertResult} />
        </section>
      ) : null}
      <FailureView failure={atom.revertFailure} label="revert-failure" />
      <section className="drawer-section">
        <h3>Attempts</h3>
        {attempts.length === 0 ? <p className="muted small">Not executed yet.</p> : null}
        <ol className="attempts">
          {attempts.map((e) => {
            const endEvent = mine.find((x) => x.seq > e.seq && x.from === 'RUNNING');
            return (
              <li key={e.seq}>
                started <span title={exactTime(e.at)}>{new Date(e.at).toLocaleTimeString()}</span>
                {endEvent ? (
                  <>
                    {' '}
                    → <StateBadge state={endEvent.to ?? ''} /> after {duration(Date.parse(endEvent.at) - Date.parse(e.at))}
                    {failureText(endEvent.data) ? <div className="error small">{failureText(endEvent.data)}</div> : null}
                  </>
                ) : (
                  ' · running'
                )}
              </li>
            );
          })}
        </ol>
      </section>
      {subSteps.length ? (
        <section className="drawer-section" data-testid="substeps">
          <h3>Sub-steps</h3>
          <ul className="substeps">
            {subSteps.map((s) => (
              <li key={s.name} data-substep={s.name} data-state={s.state}>
                <strong>{s.name}</strong> <StateBadge state={s.state === 'RETRY_LATER' ? 'WAITING' : s.state} /> · {s.attempts} attempt
                {s.attempts === 1 ? '' : 's'}
                {s.failure ? <div className="error small">{s.failure.message}</div> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="drawer-section">
        <h3>Events</h3>
        <ul className="atom-events small">
          {mine.map((e) => (
            <li key={e.seq}>
              #{e.seq} {e.from} → {e.to} <span className="muted">{new Date(e.at).toLocaleTimeString()}</span>
            </li>
          ))}
        </ul>
      </section>
    </aside>
  );
}
