'use client';

import { ConfigForm } from '../designer/inspector/ConfigForm';
import type { ApprovalAsk } from './approval';

/** What the approver enters before confirming: the atom's form (approve) or a reason (reject). */
export function ApprovalInputs({
  type,
  ask,
  value,
  onValue,
  reason,
  onReason,
  errors,
}: {
  type: 'approve' | 'reject';
  ask: ApprovalAsk | undefined;
  value: Readonly<Record<string, unknown>>;
  onValue: (next: Record<string, unknown>) => void;
  reason: string;
  onReason: (text: string) => void;
  errors: ReadonlyMap<string, string>;
}) {
  return (
    <div className="approval-inputs" data-testid="approval-inputs">
      {ask?.title ? <p className="approval-title">{ask.title}</p> : null}
      {ask?.instructions ? <p className="small approval-instructions">{ask.instructions}</p> : null}
      {type === 'approve' ? (
        ask?.form ? (
          <>
            <ConfigForm schema={ask.form} value={value} errors={errors} onChange={onValue} readOnly={false} />
            {errors.get('') ? (
              <p className="field-error" role="alert">
                {errors.get('')}
              </p>
            ) : null}
          </>
        ) : (
          <p className="muted small">No form: approving lets the run continue with {'{ approved: true }'}.</p>
        )
      ) : (
        <label className="field">
          <span>Reason (optional, kept in the run’s events)</span>
          <textarea aria-label="Reason" rows={3} maxLength={2000} value={reason} onChange={(e) => onReason(e.target.value)} />
        </label>
      )}
    </div>
  );
}
