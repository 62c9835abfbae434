'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';

import { Modal } from '../components/Modal';
import { StateBadge } from '../components/StateBadge';
import { Canvas } from '../designer/canvas/Canvas';
import { diffCanvas } from '../designer/DiffView';
import { useSession } from '../lib/session';
import { errorMessage, useTRPC } from '../lib/trpc';
import { FATE_LABEL, migrationRows } from './migrate-plan';
import type { RunData } from './run-types';

/** Where the dialog migrates to: a revision of the run's flow, or (`source`) of the flow its expansion came from. */
interface Target {
  readonly revision: number;
  readonly source: boolean;
  /** "revision 3", or "orders r3 · with subflows" */
  readonly label: string;
}

/**
 * "Migrate to revision N": offered when the run's flow has a newer revision — for a run of a flow
 * with subflows, when the flow itself has one ("Migrate to orders r3 · with subflows": that
 * revision with its subflows' latest revisions, expanded as a run started now would be). Opens the
 * diff (the designer's visual diff of what the run runs and the newer one) with what happens to
 * each atom, then queues the migration, which continues the run. Disabled, with the reason, for
 * viewers and for runs in a state that cannot be migrated.
 */
export function MigrateAction({ run }: { run: RunData }) {
  const trpc = useTRPC();
  const session = useSession();
  // the revision the open dialog migrates to: it stays open after the run has moved there
  const [openTo, setOpenTo] = useState<Target | undefined>();
  // (fetched again once the dialog has migrated the run)
  const targets = useQuery(trpc.runs.migrateTargets.queryOptions({ runId: run.run.id }, { staleTime: 5_000 }));
  const latest = targets.data?.revisions[0]?.revision;
  const newer: Target | undefined =
    latest !== undefined && targets.data
      ? {
          revision: latest,
          source: targets.data.subflows,
          // the revision the run came from is offered again when its subflows have newer revisions
          label: !targets.data.subflows
            ? `revision ${latest}`
            : `${targets.data.flowId} r${latest} · with ${latest === targets.data.from ? 'newer ' : ''}subflows`,
        }
      : undefined;
  const check = useQuery({
    ...trpc.runs.migratePreview.queryOptions({ runId: run.run.id, revision: newer?.revision ?? 1, source: newer?.source ?? false }),
    enabled: newer !== undefined && session.canRun,
    staleTime: 0,
  });
  const dialog = openTo !== undefined ? <MigrateDialog run={run} to={openTo} onClose={() => setOpenTo(undefined)} /> : null;
  const why = !session.canRun
    ? `your role (${session.user.role}) can only watch runs`
    : !check.data
      ? 'checking…'
      : check.data.allowed
        ? undefined
        : (check.data.reason ?? 'not allowed now');
  // one tree whether or not the button shows: once the run has moved to the new revision the button
  // goes, and a different tree would remount the open dialog and lose its "Migrated" state
  return (
    <>
      {newer !== undefined ? (
        <button
          className="op"
          data-op="migrate"
          disabled={why !== undefined}
          title={why ?? `See what changes in ${newer.label}, then migrate and continue the run`}
          onClick={() => setOpenTo(newer)}
        >
          Migrate to {newer.label}
          {why && why !== 'checking…' ? <span className="sr-only">{why}</span> : null}
        </button>
      ) : null}
      {dialog}
    </>
  );
}

function MigrateDialog({ run: current, to: target, onClose }: { run: RunData; to: Target; onClose: () => void }) {
  // the run as it was when the dialog opened: the diff stays readable after the run has moved on
  const [run] = useState(current);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const runId = run.run.id;
  // fetched once: after the migration the run is on the target and a fresh preview would refuse it
  const preview = useQuery({
    ...trpc.runs.migratePreview.queryOptions({ runId, revision: target.revision, source: target.source }),
    staleTime: Infinity,
  });
  // the definition the run moves to (for a run with subflows: the expansion of the target revision)
  const to = preview.data?.to;
  const definition = preview.data?.definition;
  const registry = useQuery(trpc.atoms.list.queryOptions(undefined, { staleTime: Infinity }));
  const categories = useMemo(() => new Map((registry.data ?? []).map((a) => [a.type, a.category ?? null])), [registry.data]);
  const view = useMemo(
    () => (definition ? diffCanvas(run.definition, definition, categories) : undefined),
    [run.definition, definition, categories],
  );
  const states = useMemo(() => Object.fromEntries(run.atoms.map((a) => [a.name, a.state])), [run.atoms]);
  const rows = useMemo(() => (preview.data ? migrationRows(preview.data.diff, states) : []), [preview.data, states]);
  const migrate = useMutation(trpc.runs.migrate.mutationOptions());
  const commandId = migrate.data?.command.id;
  const command = useQuery({
    ...trpc.runs.command.queryOptions({ id: commandId ?? 1 }),
    enabled: commandId !== undefined,
    refetchInterval: (q) => (q.state.data?.appliedAt ? false : 300),
  });
  const outcome = command.data?.appliedAt ? (command.data.outcome as { ok?: boolean; error?: string } | null) : undefined;
  const applied = outcome?.ok === true;
  useEffect(() => {
    // the run now runs the new revision: its canvas and atoms come from there
    if (!applied) return;
    void queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ runId }) });
    void queryClient.invalidateQueries({ queryKey: trpc.runs.migrateTargets.queryKey({ runId }) });
  }, [applied, queryClient, trpc, runId]);
  const kept = rows.filter((r) => r.fate === 'keeps').length;
  const willRun = rows.filter((r) => r.fate === 'reruns' || r.fate === 'new' || r.fate === 'version').length;
  return (
    <Modal title={`Migrate run to ${target.label}`} onClose={onClose} wide>
      <div className="modal-body migrate-dialog" data-testid="migrate-dialog">
        <p className="small">
          The run moves from <strong>r{run.run.revision}</strong> to <strong>r{to ?? '…'}</strong>
          {target.source ? ` (${target.label}, its subflows expanded)` : ''}: atoms are matched by name. {kept} keep their result, {willRun}{' '}
          will run when it continues.
        </p>
        <div className="migrate-canvas" data-testid="diff-view">
          {view ? (
            <ReactFlowProvider>
              <Canvas nodes={view.nodes} edges={view.edges} readOnly />
            </ReactFlowProvider>
          ) : (
            <p className="muted centered">Loading {target.label}…</p>
          )}
        </div>
        {preview.isError ? <p className="error">{errorMessage(preview.error)}</p> : null}
        {preview.data && !preview.data.allowed ? <p className="error">Not allowed now: {preview.data.reason}</p> : null}
        {preview.data?.problems.length ? (
          <ul className="problem-list">
            {preview.data.problems.map((p, i) => (
              <li key={i} className="error small">
                {p.message}
              </li>
            ))}
          </ul>
        ) : null}
        <ul className="migrate-rows" data-testid="migrate-rows">
          {rows.map((r) => (
            <li key={`${r.fate}:${r.name}`} data-migrate-atom={r.name} data-fate={r.fate} className={`fate-${r.fate}`}>
              <strong>{r.name}</strong> {r.state ? <StateBadge state={r.state} compact /> : null}{' '}
              <span className="small">{FATE_LABEL[r.fate]}</span>
              {r.detail ? <span className="muted small"> · {r.detail}</span> : null}
              {r.configChanged ? <span className="muted small"> · configuration changed</span> : null}
            </li>
          ))}
        </ul>
        {migrate.isError ? <p className="error">{errorMessage(migrate.error)}</p> : null}
        {migrate.data && !command.data?.appliedAt ? (
          <p className="muted" data-testid="migrate-status">
            Queued for the run’s worker…
          </p>
        ) : null}
        {outcome && !applied ? (
          <p className="error" data-testid="migrate-status">
            The worker could not migrate the run: {outcome.error ?? 'unknown error'}
          </p>
        ) : null}
        {applied ? (
          <p className="small" data-testid="migrate-status">
            Migrated to r{to}; the run continues.
          </p>
        ) : null}
        <footer>
          <button onClick={onClose}>{applied ? 'Close' : 'Cancel'}</button>
          {applied ? null : (
            <button
              className="primary"
              disabled={!preview.data?.allowed || migrate.isPending || migrate.isSuccess}
              onClick={() => migrate.mutate({ runId, revision: target.revision, source: target.source })}
            >
              {migrate.isPending || migrate.isSuccess ? 'Migrating…' : `Migrate and continue`}
            </button>
          )}
        </footer>
      </div>
    </Modal>
  );
}
