'use client';

import { useMutation, useQueries } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';

import { Modal } from '../components/Modal';
import { StateBadge } from '../components/StateBadge';
import { useSession } from '../lib/session';
import { errorMessage, useTRPC } from '../lib/trpc';
import { BULK_LABEL, bulkBlocker, type BulkOp } from './bulk';

export interface SelectedRun {
  readonly id: string;
  readonly state: string;
  readonly flowId: string;
  readonly revision: number;
}

type BulkResult = { runId: string; ok: true; commandId: number } | { runId: string; ok: false; code: string; error: string };

const OPS: readonly BulkOp[] = ['retryFromFailure', 'cancel'];

/**
 * Retry / cancel the selected runs: each button is enabled only when every selected run allows
 * it (the reason otherwise), asks to confirm with the list of runs, then shows what happened to
 * each run — queued then applied, or refused / failed with the reason.
 */
export function BulkBar({ selected, onClear }: { selected: readonly SelectedRun[]; onClear: () => void }) {
  const trpc = useTRPC();
  const session = useSession();
  const [confirm, setConfirm] = useState<{ op: BulkOp; runs: readonly SelectedRun[] } | undefined>();
  const [done, setDone] = useState<{ op: BulkOp; results: readonly BulkResult[] } | undefined>();
  const operate = useMutation(trpc.runs.operateMany.mutationOptions());
  const send = () => {
    if (!confirm) return;
    const { op, runs } = confirm;
    operate.mutate(
      { runIds: runs.map((r) => r.id), op: { type: op } },
      {
        onSuccess: (d) => {
          setDone({ op, results: d.results });
          setConfirm(undefined);
          onClear();
        },
      },
    );
  };
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Bulk actions" data-testid="bulk-bar">
      <span className="small">{selected.length ? `${selected.length} selected` : 'Select runs to retry or cancel them together'}</span>
      {OPS.map((op) => {
        const why = bulkBlocker(op, selected, session.canRun, session.user.role);
        return (
          <button
            key={op}
            className={op === 'cancel' ? 'op danger-outline' : 'op'}
            data-bulk={op}
            disabled={why !== undefined}
            title={why ?? `${BULK_LABEL[op]}: ${selected.length} run(s)`}
            onClick={() => (operate.reset(), setConfirm({ op, runs: selected }))}
          >
            {BULK_LABEL[op]}
            {why && selected.length ? <span className="sr-only">{why}</span> : null}
          </button>
        );
      })}
      {selected.length ? (
        <button className="link" onClick={onClear}>
          Clear selection
        </button>
      ) : null}
      {confirm ? (
        <Modal
          title={`${BULK_LABEL[confirm.op]}: ${confirm.runs.length} run${confirm.runs.length === 1 ? '' : 's'}`}
          onClose={() => setConfirm(undefined)}
        >
          <div className="modal-body" data-testid="bulk-confirm">
            <p className="small">Each run is checked again by the server; any it refuses are listed with the reason afterwards.</p>
            <ul className="bulk-runs">
              {confirm.runs.map((r) => (
                <li key={r.id} data-confirm-run={r.id}>
                  <code>{r.id.slice(0, 8)}</code> <StateBadge state={r.state} compact /> {r.flowId}{' '}
                  <span className="muted">r{r.revision}</span>
                </li>
              ))}
            </ul>
            {operate.isError ? <p className="error">{errorMessage(operate.error)}</p> : null}
            <footer>
              <button onClick={() => setConfirm(undefined)}>Cancel</button>
              <button className="primary" disabled={operate.isPending} onClick={send}>
                {operate.isPending
                  ? 'Sending…'
                  : `${BULK_LABEL[confirm.op]} ${confirm.runs.length} run${confirm.runs.length === 1 ? '' : 's'}`}
              </button>
            </footer>
          </div>
        </Modal>
      ) : null}
      {done ? <BulkResults op={done.op} results={done.results} onClose={() => setDone(undefined)} /> : null}
    </div>
  );
}

function BulkResults({ op, results, onClose }: { op: BulkOp; results: readonly BulkResult[]; onClose: () => void }) {
  const trpc = useTRPC();
  const commands = useQueries({
    queries: results.map((r) => ({
      ...trpc.runs.command.queryOptions({ id: r.ok ? r.commandId : 1 }),
      enabled: r.ok,
      refetchInterval: (q: { state: { data?: { appliedAt: string | null } | undefined } }) => (q.state.data?.appliedAt ? false : 500),
    })),
  });
  const outcomes = results.map((r, i) => {
    if (!r.ok) return { runId: r.runId, status: 'refused' as const, text: r.error };
    const c = commands[i]?.data;
    if (!c?.appliedAt) return { runId: r.runId, status: 'queued' as const, text: 'queued for the run’s worker…' };
    const outcome = c.outcome as { ok?: boolean; error?: string } | null;
    return outcome?.ok
      ? { runId: r.runId, status: 'applied' as const, text: 'done' }
      : { runId: r.runId, status: 'failed' as const, text: outcome?.error ?? 'failed' };
  });
  const bad = outcomes.filter((o) => o.status === 'refused' || o.status === 'failed').length;
  return (
    <section className={`bulk-results${bad ? ' has-errors' : ''}`} data-testid="bulk-results" aria-live="polite">
      <header>
        <strong>
          {BULK_LABEL[op]}: {results.length - bad} of {results.length} accepted
        </strong>
        {bad ? <span className="error small"> · {bad} not done (reasons below)</span> : null}
        <button className="icon" aria-label="Dismiss results" onClick={onClose}>
          ×
        </button>
      </header>
      <ul>
        {outcomes.map((o) => (
          <li
            key={o.runId}
            data-result-run={o.runId}
            data-outcome={o.status}
            className={o.status === 'refused' || o.status === 'failed' ? 'error' : undefined}
          >
            {o.status === 'refused' || o.status === 'failed' ? '✕' : o.status === 'applied' ? '✓' : '…'}{' '}
            <Link href={`/runs/${o.runId}`}>
              <code>{o.runId.slice(0, 8)}</code>
            </Link>{' '}
            <span className="small">{o.text}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
