'use client';

import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import Link from 'next/link';

import { AppHeader } from '../components/AppHeader';
import { errorMessage, useTRPC } from '../lib/trpc';
import { DesignerEditor } from './DesignerEditor';
import { toDoc } from './doc/changes';

/** Loads the flow's latest revision and the atom types, then opens the editor. */
export function Designer({ flowId }: { flowId: string }) {
  const trpc = useTRPC();
  const flow = useQuery(trpc.flows.get.queryOptions({ flowId }, { staleTime: Infinity, refetchOnMount: 'always' }));
  const atoms = useQuery(trpc.atoms.list.queryOptions(undefined, { staleTime: Infinity }));
  const title = flow.data?.revision.definition.name ?? flowId;
  return (
    <div className="designer">
      <AppHeader>
        <Link href="/">Flows</Link> <span className="muted">/</span> <span>{title}</span>
      </AppHeader>
      {flow.isError || atoms.isError ? (
        <main className="page">
          <p className="error">
            Could not open {flowId}: {errorMessage(flow.error ?? atoms.error)}
          </p>
          <Link href="/">Back to the flows</Link>
        </main>
      ) : !flow.data || !atoms.data ? (
        <main className="page" aria-busy="true">
          <p className="muted">Opening {flowId}…</p>
        </main>
      ) : (
        <ReactFlowProvider>
          <DesignerEditor key={`${flowId}`} flowId={flowId} initial={toDoc(flow.data.revision.definition)} atoms={atoms.data} />
        </ReactFlowProvider>
      )}
    </div>
  );
}
