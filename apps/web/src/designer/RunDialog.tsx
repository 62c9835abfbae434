'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';

import { Modal } from '../components/Modal';
import { errorMessage, useTRPC } from '../lib/trpc';

/** Text typed for a run input: JSON when it parses (numbers, objects, true), else the text itself. */
export function inputValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

interface Props {
  readonly flowId: string;
  readonly revision: number;
  readonly dirty: boolean;
  readonly problems: number;
  /** Names the run must be given (requires nothing in the flow provides). */
  readonly inputs: readonly string[];
  readonly onSave: () => void;
  readonly onClose: () => void;
}

/** Starts a run of the saved revision with a form for its inputs, then opens the run. */
export function RunDialog({ flowId, revision, dirty, problems, inputs, onSave, onClose }: Props) {
  const trpc = useTRPC();
  const router = useRouter();
  const [values, setValues] = useState<Record<string, string>>({});
  const start = useMutation(trpc.runs.start.mutationOptions({ onSuccess: (run) => router.push(`/runs/${encodeURIComponent(run.id)}`) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate({ flowId, revision, inputs: Object.fromEntries(inputs.map((k) => [k, inputValue(values[k] ?? '')])) });
  };
  return (
    <Modal title={`Run ${flowId} r${revision}`} onClose={onClose}>
      {dirty ? (
        <div className="modal-body">
          <p>
            A run uses a saved revision, and this flow has unsaved changes. Save them first (a new revision), or run r{revision} as it was
            saved.
          </p>
          <footer>
            <button onClick={onClose}>Cancel</button>
            <button className="primary" onClick={onSave}>
              Save
            </button>
          </footer>
        </div>
      ) : problems ? (
        <div className="modal-body">
          <p>
            The flow has {problems} problem{problems === 1 ? '' : 's'}; fix them before running it.
          </p>
        </div>
      ) : (
        <form className="modal-body form" onSubmit={submit} data-testid="run-dialog">
          {inputs.length ? (
            <p>The flow needs these inputs (text, or JSON such as 42 or {'{"a": 1}'}):</p>
          ) : (
            <p>This flow needs no inputs.</p>
          )}
          {inputs.map((k) => (
            <label key={k}>
              {k}
              <input name={k} value={values[k] ?? ''} onChange={(e) => setValues({ ...values, [k]: e.target.value })} required />
            </label>
          ))}
          {start.isError ? <p className="error">{errorMessage(start.error)}</p> : null}
          <footer>
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button className="primary" type="submit" disabled={start.isPending}>
              {start.isPending ? 'Starting…' : '▶ Start run'}
            </button>
          </footer>
        </form>
      )}
    </Modal>
  );
}
