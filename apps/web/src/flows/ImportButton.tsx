'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';

import { Modal } from '../components/Modal';
import { errorMessage, errorProblems, useTRPC } from '../lib/trpc';

/** Imports a definition file (the DESIGN.md format); a bad file is explained problem by problem. */
export function ImportButton() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [fileName, setFileName] = useState('');
  const importFlow = useMutation(
    trpc.flows.import.mutationOptions({
      onSuccess: async (r) => {
        await queryClient.invalidateQueries({ queryKey: trpc.flows.pathKey() });
        router.push(`/flows/${encodeURIComponent(r.revision.flowId)}`);
      },
    }),
  );
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setFileName(file.name);
    importFlow.mutate({ json: await file.text() });
    if (input.current) input.current.value = '';
  };
  const problems = importFlow.isError ? errorProblems(importFlow.error) : [];
  return (
    <>
      <button onClick={() => input.current?.click()} disabled={importFlow.isPending}>
        {importFlow.isPending ? 'Importing…' : 'Import JSON'}
      </button>
      <input
        ref={input}
        type="file"
        accept="application/json,.json"
        hidden
        data-testid="import-file"
        onChange={(e) => void onFile(e.target.files?.[0])}
      />
      {importFlow.isError ? (
        <Modal title={`Cannot import ${fileName}`} onClose={() => importFlow.reset()}>
          <div className="modal-body" data-testid="import-error">
            {problems.length === 0 ? <p className="error">{errorMessage(importFlow.error)}</p> : null}
            {problems.length > 0 ? (
              <>
                <p>
                  The file is not a valid flow definition ({problems.length} problem{problems.length > 1 ? 's' : ''}):
                </p>
                <ul className="problem-list">
                  {problems.map((p, i) => (
                    <li key={i}>
                      <code>{p.path}</code> {p.message}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <p className="hint">Fix the file and import it again; nothing was saved.</p>
          </div>
        </Modal>
      ) : null}
    </>
  );
}
