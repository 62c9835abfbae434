'use client';

import type { RetryDefinition, RetryKind } from '@atomflow/model';

import { parseJson, parseNumber } from '../form/schema-form';
import { CommitInput } from './inputs';

const KINDS: Array<{ kind: RetryKind; label: string }> = [
  { kind: 'times', label: 'Retry N times' },
  { kind: 'forEach', label: 'For each value' },
  { kind: 'parameterizedForEach', label: 'For each value of an input' },
  { kind: 'alwaysRevert', label: 'Always revert this group' },
  { kind: 'alwaysRevertAll', label: 'Always revert everything' },
];

function fresh(kind: RetryKind, name: string | undefined): RetryDefinition {
  const common = name ? { name } : {};
  switch (kind) {
    case 'times':
      return { kind, attempts: 3, ...common };
    case 'forEach':
      return { kind, values: [1, 2, 3], ...common };
    case 'parameterizedForEach':
      return { kind, from: 'values', ...common };
    case 'alwaysRevert':
    case 'alwaysRevertAll':
      return { kind, ...common };
    default: {
      const never: never = kind;
      throw new Error(String(never));
    }
  }
}

/** The retry controller of a group: TaskFlow's times / forEach / parameterizedForEach / alwaysRevert(All). */
export function RetryForm({
  retry,
  onChange,
  errors,
  readOnly,
}: {
  retry: RetryDefinition | undefined;
  onChange: (r: RetryDefinition | null) => void;
  errors: ReadonlyMap<string, string>;
  readOnly: boolean;
}) {
  const num = (text: string, apply: (n: number | undefined) => void) => {
    const r = parseNumber(text, true);
    if (!('error' in r)) apply(r.value);
  };
  const err = (k: string) =>
    errors.get(k) ? (
      <p className="field-error" role="alert">
        {errors.get(k)}
      </p>
    ) : null;
  return (
    <fieldset className="field-group retry-form" disabled={readOnly}>
      <legend>Retry controller</legend>
      <div className="field">
        <label htmlFor="retry-kind" className="field-label">
          On failure
        </label>
        <select
          id="retry-kind"
          value={retry?.kind ?? ''}
          onChange={(e) => onChange(e.target.value ? fresh(e.target.value as RetryKind, retry?.name) : null)}
        >
          <option value="">No retry controller (failures go to the enclosing group)</option>
          {KINDS.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
        {err('')}
      </div>
      {retry?.kind === 'times' ? (
        <>
          <div className="field">
            <label htmlFor="retry-attempts" className="field-label">
              Attempts
            </label>
            <CommitInput
              id="retry-attempts"
              inputMode="numeric"
              value={String(retry.attempts)}
              onCommit={(t) => num(t, (n) => onChange({ ...retry, attempts: n ?? 1 }))}
            />
            {err('attempts')}
          </div>
          <div className="field">
            <label htmlFor="retry-delay" className="field-label">
              Delay between attempts (ms)
            </label>
            <CommitInput
              id="retry-delay"
              inputMode="numeric"
              value={retry.delayMs === undefined ? '' : String(retry.delayMs)}
              placeholder="none"
              onCommit={(t) =>
                num(t, (n) => {
                  const { delayMs: _d, ...rest } = retry;
                  onChange(n === undefined ? rest : { ...rest, delayMs: n });
                })
              }
            />
            {err('delayMs')}
          </div>
          <label className="check">
            <input
              type="checkbox"
              checked={retry.backoff !== undefined}
              onChange={(e) => {
                const { backoff: _b, ...rest } = retry;
                onChange(e.target.checked ? { ...rest, backoff: { factor: 2 } } : rest);
              }}
            />{' '}
            Exponential backoff
          </label>
          {retry.backoff ? (
            <div className="field">
              <label htmlFor="retry-factor" className="field-label">
                Backoff factor
              </label>
              <CommitInput
                id="retry-factor"
                inputMode="decimal"
                value={String(retry.backoff.factor ?? 2)}
                onCommit={(t) => {
                  const r = parseNumber(t, false);
                  if (!('error' in r) && retry.backoff) onChange({ ...retry, backoff: { ...retry.backoff, factor: r.value ?? 2 } });
                }}
              />
              {err('backoff')}
              {err('backoff.factor')}
            </div>
          ) : null}
        </>
      ) : null}
      {retry?.kind === 'forEach' ? (
        <div className="field">
          <label htmlFor="retry-values" className="field-label">
            Values (JSON list)
          </label>
          <CommitInput
            id="retry-values"
            value={JSON.stringify(retry.values)}
            onCommit={(t) => {
              const r = parseJson(t);
              if (!('error' in r) && Array.isArray(r.value)) onChange({ ...retry, values: r.value });
            }}
          />
          {err('values')}
        </div>
      ) : null}
      {retry?.kind === 'parameterizedForEach' ? (
        <div className="field">
          <label htmlFor="retry-from" className="field-label">
            Values from (stored name)
          </label>
          <CommitInput id="retry-from" value={retry.from} onCommit={(t) => onChange({ ...retry, from: t.trim() })} />
          {err('from')}
        </div>
      ) : null}
      {retry && retry.kind !== 'alwaysRevert' && retry.kind !== 'alwaysRevertAll' ? (
        <label className="check">
          <input
            type="checkbox"
            checked={retry.revertAll === true}
            onChange={(e) => {
              const { revertAll: _r, ...rest } = retry;
              onChange(e.target.checked ? { ...rest, revertAll: true } : rest);
            }}
          />{' '}
          When out of attempts, revert everything (not only this group)
        </label>
      ) : null}
    </fieldset>
  );
}
