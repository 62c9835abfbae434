'use client';

import { fieldsOf } from '../designer/form/schema-form';
import { exactTime, relativeTime } from '../lib/time';
import { approvalAsk, isAwaitingApproval, lastDecision } from './approval';
import type { MonitorEvent } from './live-state';
import { OpButton } from './OpButton';
import { APPROVAL_OPS, type OpType } from './operations';
import type { AtomData, RunData } from './run-types';

/**
 * The drawer's part for an `approval` atom: what it asks (title, instructions, the form's fields),
 * Approve… / Reject… while it waits (each previewed on the canvas and confirmed), and who decided
 * and when once someone has.
 */
export function ApprovalSection({
  run,
  atom,
  state,
  events,
  onPick,
}: {
  run: RunData;
  atom: AtomData;
  state: string;
  events: readonly MonitorEvent[];
  onPick: (type: OpType, atom: string | undefined) => void;
}) {
  const ask = approvalAsk(run.definition.root, atom.name);
  if (!ask) return null;
  const awaiting = isAwaitingApproval(state, atom.waitReason, atom.name, events);
  const decision = lastDecision(events, atom.name);
  const fields = fieldsOf(ask.form ?? null);
  return (
    <section
      className={`drawer-section approval-section${awaiting ? ' awaiting' : ''}`}
      data-testid="approval-section"
      data-awaiting={awaiting}
    >
      <h3>{awaiting ? 'Awaiting approval' : 'Approval'}</h3>
      {ask.title ? <p className="approval-title">{ask.title}</p> : null}
      {ask.instructions ? <p className="small approval-instructions">{ask.instructions}</p> : null}
      {fields.length ? (
        <p className="muted small">The approver enters: {fields.map((f) => `${f.label}${f.required ? ' *' : ''}`).join(', ')}</p>
      ) : null}
      {awaiting ? (
        <div className="drawer-ops" role="group" aria-label="Approval">
          {APPROVAL_OPS.map((spec) => (
            <OpButton key={spec.type} runId={run.run.id} spec={spec} atom={atom.name} onPick={onPick} />
          ))}
        </div>
      ) : null}
      {decision ? (
        <p className="small" data-testid="approval-decision" data-decision={decision.operation}>
          {decision.operation === 'approve' ? 'Approved' : 'Rejected'}
          {decision.by ? ` by ${decision.by}` : ''} <span title={exactTime(decision.at)}>{relativeTime(decision.at)}</span>
          {decision.reason ? `: ${decision.reason}` : ''}
        </p>
      ) : !awaiting ? (
        <p className="muted small">Not waiting for a decision now.</p>
      ) : null}
    </section>
  );
}
