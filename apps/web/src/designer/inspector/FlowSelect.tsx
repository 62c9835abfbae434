'use client';

import { useQuery } from '@tanstack/react-query';

import { useTRPC } from '../../lib/trpc';

/** Companion flows that hold the expansions runs execute (see the api's flows/subflows.ts): never a subflow target. */
const EXPANDED_SUFFIX = '.expanded';

/** Picks a saved flow by id (a subflow's `flowId`); keeps a value that is not (or no longer) in the list. */
export function FlowSelect({
  id,
  value,
  onChange,
  disabled,
  ...described
}: {
  id: string;
  value: string;
  onChange: (flowId: string | undefined) => void;
  disabled: boolean;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}) {
  const trpc = useTRPC();
  const flows = useQuery(trpc.flows.list.queryOptions({ limit: 200 }));
  const items = (flows.data?.items ?? []).filter((f) => !f.id.endsWith(EXPANDED_SUFFIX));
  const known = items.some((f) => f.id === value);
  return (
    <select
      id={id}
      {...described}
      disabled={disabled}
      value={value}
      onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
    >
      <option value="">{flows.isPending ? 'Loading flows…' : items.length ? '(choose a saved flow)' : '(no saved flows yet)'}</option>
      {value !== '' && !known ? <option value={value}>{`${value} (not found)`}</option> : null}
      {items.map((f) => (
        <option key={f.id} value={f.id}>
          {f.name && f.name !== f.id ? `${f.name} — ${f.id}` : f.id}
        </option>
      ))}
    </select>
  );
}
