'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useDeferredValue, useState, type FormEvent } from 'react';

import { AppHeader } from '../components/AppHeader';
import { Modal } from '../components/Modal';
import { StateDot } from '../components/StateBadge';
import { useSession } from '../lib/session';
import { exactTime, relativeTime } from '../lib/time';
import { errorMessage, useTRPC } from '../lib/trpc';
import { ImportButton } from './ImportButton';
import { copyId, emptyFlow, slugify } from './new-flow';

function NewFlowDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const create = useMutation(
    trpc.flows.create.mutationOptions({ onSuccess: (r) => router.push(`/flows/${encodeURIComponent(r.revision.flowId)}`) }),
  );
  const flowId = id || slugify(name);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ definition: emptyFlow(flowId, name.trim()) });
  };
  return (
    <Modal title="New flow" onClose={onClose}>
      <form className="modal-body form" onSubmit={submit}>
        <label>
          Name
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Order saga" required />
        </label>
        <label>
          Id <span className="muted">(in URLs and files; letters, digits, . _ -)</span>
          <input name="id" value={flowId} onChange={(e) => setId(e.target.value)} pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" required />
        </label>
        {create.isError ? <p className="error">{errorMessage(create.error)}</p> : null}
        <footer>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button className="primary" type="submit" disabled={create.isPending}>
            Create and open
          </button>
        </footer>
      </form>
    </Modal>
  );
}

function DeleteDialog({ flowId, revisions, onClose }: { flowId: string; revisions: number; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const del = useMutation(
    trpc.flows.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.flows.list.queryKey() });
        onClose();
      },
    }),
  );
  return (
    <Modal title={`Delete ${flowId}?`} onClose={onClose}>
      <div className="modal-body">
        <p>
          This deletes flow <strong>{flowId}</strong>, its {revisions} revision{revisions === 1 ? '' : 's'} and its finished runs. It is
          refused while a run of it is unfinished. It cannot be undone: export the flow first to keep a copy.
        </p>
        {del.isError ? <p className="error">{errorMessage(del.error)}</p> : null}
        <footer>
          <button onClick={onClose}>Cancel</button>
          <button className="danger" onClick={() => del.mutate({ flowId })} disabled={del.isPending}>
            Delete flow
          </button>
        </footer>
      </div>
    </Modal>
  );
}

export function FlowsList() {
  const trpc = useTRPC();
  const { canEdit } = useSession();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const deferred = useDeferredValue(search.trim());
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<{ id: string; revisions: number } | null>(null);
  const list = useQuery({
    ...trpc.flows.list.queryOptions(deferred ? { search: deferred, limit: 200 } : { limit: 200 }),
    placeholderData: (prev) => prev,
  });
  const create = useMutation(trpc.flows.create.mutationOptions());
  const [dupError, setDupError] = useState<string | null>(null);
  const duplicate = async (flowId: string) => {
    setDupError(null);
    try {
      const got = await queryClient.fetchQuery(trpc.flows.get.queryOptions({ flowId }));
      const taken = new Set((list.data?.items ?? []).map((f) => f.id));
      const id = copyId(flowId, taken);
      const def = got.revision.definition;
      await create.mutateAsync({ definition: { ...def, id, revision: 1, name: `${def.name ?? flowId} (copy)` } });
      router.push(`/flows/${encodeURIComponent(id)}`);
    } catch (e) {
      setDupError(errorMessage(e));
    }
  };
  const items = list.data?.items ?? [];
  return (
    <>
      <AppHeader>
        <span>Flows</span>
      </AppHeader>
      <main className="page">
        <div className="page-head">
          <h1>Flows</h1>
          <input
            className="search"
            type="search"
            placeholder="Search flows by name or id"
            aria-label="Search flows"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          {canEdit ? (
            <div className="actions">
              <ImportButton />
              <button className="primary" onClick={() => setCreating(true)}>
                + New flow
              </button>
            </div>
          ) : null}
        </div>
        {dupError ? <p className="error">Could not duplicate: {dupError}</p> : null}
        {list.isError ? <p className="error">Could not load flows: {errorMessage(list.error)}</p> : null}
        {list.isPending ? (
          <p className="muted" aria-busy="true">
            Loading flows…
          </p>
        ) : items.length === 0 ? (
          <div className="empty-state" data-testid="flows-empty">
            {deferred ? (
              <p>No flow matches “{deferred}”.</p>
            ) : (
              <>
                <h2>No flows yet</h2>
                <p>
                  A flow is a graph of atoms (HTTP calls, delays, approvals, your own code) that atomflow runs durably, with retries and
                  compensation.
                </p>
                {canEdit ? (
                  <p>
                    <button className="primary" onClick={() => setCreating(true)}>
                      + New flow
                    </button>{' '}
                    or import a JSON definition.
                  </p>
                ) : (
                  <p>You can view flows; ask an editor to create one.</p>
                )}
              </>
            )}
          </div>
        ) : (
          <table className="list" data-testid="flows-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Revision</th>
                <th>Last run</th>
                <th>Updated</th>
                <th>Created</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {items.map((f) => (
                <tr key={f.id} data-flow={f.id}>
                  <td>
                    <Link href={`/flows/${encodeURIComponent(f.id)}`} className="flow-link">
                      {f.name ?? f.id}
                    </Link>
                    <div className="muted small">{f.id}</div>
                  </td>
                  <td>r{f.latestRevision}</td>
                  <td>
                    {f.lastRun ? (
                      <Link href={`/runs/${encodeURIComponent(f.lastRun.id)}`} title={exactTime(f.lastRun.createdAt)}>
                        <StateDot state={f.lastRun.state} />
                      </Link>
                    ) : (
                      <span className="muted">never run</span>
                    )}
                  </td>
                  <td title={exactTime(f.updatedAt)}>{relativeTime(f.updatedAt)}</td>
                  <td title={exactTime(f.createdAt)}>{relativeTime(f.createdAt)}</td>
                  <td className="row-actions">
                    {canEdit ? (
                      <>
                        <button className="small" onClick={() => void duplicate(f.id)}>
                          Duplicate
                        </button>
                        <button className="small danger-text" onClick={() => setDeleting({ id: f.id, revisions: f.latestRevision })}>
                          Delete
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
      {creating ? <NewFlowDialog onClose={() => setCreating(false)} /> : null}
      {deleting ? <DeleteDialog flowId={deleting.id} revisions={deleting.revisions} onClose={() => setDeleting(null)} /> : null}
    </>
  );
}
