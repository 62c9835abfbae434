'use client';

import type { FlowDefinition } from '@atomflow/model';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';

import { Modal } from '../components/Modal';
import { exactTime, relativeTime } from '../lib/time';
import { errorMessage, useTRPC } from '../lib/trpc';

interface Props {
  readonly flowId: string;
  readonly current: number;
  readonly readOnly: boolean;
  readonly onClose: () => void;
  readonly onCompare: (from: number, to: number) => void;
  readonly onRestore: (def: FlowDefinition) => void;
}

/** Every saved revision (immutable): compare two on the canvas, or restore one as unsaved changes. */
export function RevisionsDialog({ flowId, current, readOnly, onClose, onCompare, onRestore }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.flows.revisions.queryOptions({ flowId }));
  const [error, setError] = useState<string | null>(null);
  const latest = list.data?.[0]?.revision ?? current;
  const restore = async (revision: number) => {
    try {
      const got = await queryClient.fetchQuery(trpc.flows.get.queryOptions({ flowId, revision }));
      onRestore(got.revision.definition);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <Modal title="Revisions" onClose={onClose} wide>
      <div className="modal-body" data-testid="revisions">
        <p className="muted">Each save is a new revision; runs stay on the revision they started with.</p>
        {list.isPending ? <p className="muted">Loading…</p> : null}
        {list.isError ? <p className="error">{errorMessage(list.error)}</p> : null}
        {error ? <p className="error">{error}</p> : null}
        <table className="list">
          <tbody>
            {(list.data ?? []).map((r) => (
              <tr key={r.revision} data-revision={r.revision}>
                <td>
                  <strong>r{r.revision}</strong> {r.revision === latest ? <span className="tag">latest</span> : null}
                </td>
                <td title={exactTime(r.createdAt)}>{relativeTime(r.createdAt)}</td>
                <td>
                  {r.atomCount} atom{r.atomCount === 1 ? '' : 's'}
                </td>
                <td className="row-actions">
                  {r.revision !== latest ? (
                    <button className="small" onClick={() => onCompare(r.revision, latest)}>
                      Compare with r{latest}
                    </button>
                  ) : r.revision > 1 ? (
                    <button className="small" onClick={() => onCompare(r.revision - 1, r.revision)}>
                      Compare with r{r.revision - 1}
                    </button>
                  ) : null}
                  {!readOnly && r.revision !== current ? (
                    <button className="small" onClick={() => void restore(r.revision)}>
                      Restore
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Modal>
  );
}
