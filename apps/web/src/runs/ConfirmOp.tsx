'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';

import { StateBadge } from '../components/StateBadge';
import { errorMessage, errorProblems, useTRPC } from '../lib/trpc';
import { fieldErrors, missingFields, type ApprovalAsk } from './approval';
import { ApprovalInputs } from './ApprovalInputs';
import { APPROVAL_OPS, ATOM_OPS, RUN_OPS, type OpType } from './operations';
import { checkResult } from './result-check';
import type { OperationPreview } from './run-types';

/**
 * The confirmation of a manual operation: what it touches (also shown on the canvas), and for
 * "mark success" the result as JSON; for "approve" the approval atom's form, for "reject" a reason.
 */
export function ConfirmOp({
  runId,
  type,
  atom,
  atomType,
  approval,
  preview,
  previewError,
  result,
  onResult,
  onDone,
  onCancel,
}: {
  runId: string;
  type: OpType;
  atom: string | undefined;
  /** the atom's type and version, for its output schema (mark success) */
  atomType?: { type: string; version: number } | undefined;
  /** what an approval atom asks (approve / reject) */
  approval?: ApprovalAsk | undefined;
  preview: OperationPreview | undefined;
  previewError: string | undefined;
  result: string;
  onResult: (text: string) => void;
  onDone: () => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const operate = useMutation(trpc.runs.operate.mutationOptions({ onSuccess: onDone }));
  const approve = useMutation(
    trpc.runs.approve.mutationOptions({ onSuccess: onDone, onError: (e) => setErrors(fieldErrors(errorProblems(e))) }),
  );
  const reject = useMutation(trpc.runs.reject.mutationOptions({ onSuccess: onDone }));
  const sending = type === 'approve' ? approve : type === 'reject' ? reject : operate;
  const [value, setValue] = useState<Record<string, unknown>>({});
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const [jsonError, setJsonError] = useState<string | undefined>();
  const registry = useQuery({ ...trpc.atoms.list.queryOptions(undefined, { staleTime: Infinity }), enabled: type === 'markSuccess' });
  const outputs = atomType ? registry.data?.find((a) => a.type === atomType.type && a.version === atomType.version)?.outputs : undefined;
  const spec = [...ATOM_OPS, ...APPROVAL_OPS, ...RUN_OPS].find((o) => o.type === type);
  const atomOp = [...ATOM_OPS, ...APPROVAL_OPS].some((o) => o.type === type);
  const confirm = () => {
    if (type === 'approve' && atom) {
      const missing = missingFields(approval?.form, value);
      setErrors(missing);
      if (missing.size === 0) approve.mutate({ runId, atom, ...(approval?.form ? { value } : {}) });
      return;
    }
    if (type === 'reject' && atom) {
      reject.mutate({ runId, atom, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      return;
    }
    let parsed: unknown = null;
    if (type === 'markSuccess') {
      const checked = checkResult(result, outputs);
      if ('error' in checked) {
        setJsonError(`The result is ${checked.error}`);
        return;
      }
      parsed = checked.value;
    }
    const op =
      type === 'markSuccess' ? { type, atom, result: parsed } : atom && ATOM_OPS.some((o) => o.type === type) ? { type, atom } : { type };
    operate.mutate({ runId, op: op as never });
  };
  return (
    <div className="confirm-op" role="dialog" aria-label={`Confirm ${spec?.label ?? type}`} data-testid="confirm-op">
      <h3>
        {spec?.label.replace('…', '') ?? type}
        {atom && atomOp ? ` “${atom}”` : ' (whole run)'}
      </h3>
      {type === 'approve' || type === 'reject' ? (
        <ApprovalInputs
          type={type}
          ask={approval}
          value={value}
          onValue={(next) => {
            setValue(next);
            setErrors(new Map());
          }}
          reason={reason}
          onReason={setReason}
          errors={errors}
        />
      ) : null}
      {type === 'markSuccess' ? (
        <label className="field">
          <span>Result (JSON{outputs ? ', checked against the atom’s output schema' : ''})</span>
          <textarea
            aria-label="Result JSON"
            rows={4}
            className="mono"
            value={result}
            onChange={(e) => {
              onResult(e.target.value);
              setJsonError(undefined);
            }}
          />
          {jsonError ? <span className="error small">{jsonError}</span> : null}
        </label>
      ) : null}
      {previewError ? <p className="error">{previewError}</p> : null}
      {!preview && !previewError ? <p className="muted">Working out what it touches…</p> : null}
      {preview && !preview.allowed ? <p className="error">Not allowed now: {preview.reason ?? 'unknown reason'}</p> : null}
      {preview && preview.allowed ? (
        <>
          <p className="small">
            {preview.atoms.length === 0
              ? 'It touches no atom.'
              : `It touches ${preview.atoms.length} atom${preview.atoms.length === 1 ? '' : 's'} (marked on the canvas), in this order:`}
          </p>
          <ol className="touched" data-testid="touched">
            {preview.atoms.map((a) => (
              <li key={a.name} data-touched={a.name}>
                <strong>{a.name}</strong> <StateBadge state={a.from} compact /> → <StateBadge state={a.to} />{' '}
                <span className="muted small">then {a.intention.toLowerCase()}</span>
              </li>
            ))}
          </ol>
          {preview.flowTo ? (
            <p className="small muted">
              The run becomes {preview.flowTo}
              {preview.resumes ? ' and executes again.' : '.'}
            </p>
          ) : null}
        </>
      ) : null}
      {sending.isError ? <p className="error">{errorMessage(sending.error)}</p> : null}
      <div className="confirm-actions">
        <button onClick={onCancel}>Cancel</button>
        <button className="primary" disabled={!preview?.allowed || sending.isPending} onClick={confirm}>
          {sending.isPending ? 'Sending…' : `Confirm ${spec?.label.replace('…', '').toLowerCase() ?? type}`}
        </button>
      </div>
    </div>
  );
}
