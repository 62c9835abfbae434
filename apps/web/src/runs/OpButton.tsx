'use client';

import { useQuery } from '@tanstack/react-query';

import { useSession } from '../lib/session';
import { useTRPC } from '../lib/trpc';
import { opBlocker, toOperation, type OpSpec, type OpType } from './operations';

/** An operation's button: disabled, with the reason on hover and beside it, when the role or the run's state forbids it. */
export function OpButton({
  runId,
  spec,
  atom,
  onPick,
}: {
  runId: string;
  spec: OpSpec;
  atom?: string | undefined;
  onPick: (type: OpType, atom: string | undefined) => void;
}) {
  const trpc = useTRPC();
  const session = useSession();
  const op = toOperation(spec.type, atom, null);
  const preview = useQuery({
    ...trpc.runs.preview.queryOptions({ runId, op: op as never }),
    enabled: session.canRun,
    staleTime: 0,
  });
  const why = opBlocker({
    canRun: session.canRun,
    role: session.user.role,
    preview: preview.data ? { allowed: preview.data.allowed, reason: preview.data.reason } : undefined,
  });
  return (
    <button
      className={
        spec.type === 'cancel' || spec.type === 'revertRun' || spec.type === 'revertAtom' || spec.type === 'reject'
          ? 'op danger-outline'
          : 'op'
      }
      data-op={spec.type}
      disabled={why !== undefined}
      title={why ?? `Preview what ${spec.label.toLowerCase()} touches, then confirm`}
      aria-describedby={why ? `why-${spec.type}` : undefined}
      onClick={() => onPick(spec.type, atom)}
    >
      {spec.label}
      {why && why !== 'checking…' ? (
        <span className="sr-only" id={`why-${spec.type}`}>
          {why}
        </span>
      ) : null}
    </button>
  );
}
