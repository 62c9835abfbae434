import type { RetryDefinition, RetryHistoryEntry } from '@atomflow/model';
import { assertNever } from '@atomflow/model';

/** What a retry controller decides when an atom it governs fails (TaskFlow's names). */
export type RetryDecision = 'RETRY' | 'REVERT' | 'REVERT_ALL';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The values a forEach-style controller iterates over. */
function valuesOf(retry: RetryDefinition, inputs: Record<string, unknown>): unknown[] {
  switch (retry.kind) {
    case 'forEach':
      return retry.values;
    case 'parameterizedForEach': {
      const v = inputs[retry.from];
      if (!Array.isArray(v)) throw new TypeError(`parameterizedForEach expects "${retry.from}" to be an array, got ${JSON.stringify(v)}`);
      return v;
    }
    case 'times':
    case 'alwaysRevert':
    case 'alwaysRevertAll':
      return [];
    default:
      return assertNever('retry kind', retry);
  }
}

/** TaskFlow's ForEach: the first value not tried yet, or undefined when exhausted. */
function nextValue(values: unknown[], history: readonly RetryHistoryEntry[]): { value: unknown } | undefined {
  const tried = history.map((h) => h.result);
  for (const v of values) if (!tried.some((t) => same(t, v))) return { value: v };
  return undefined;
}

/**
 * The result a controller provides on its next execution: `times` → the attempt number,
 * `forEach`/`parameterizedForEach` → the next value, the revert-only controllers → null.
 */
export function retryExecute(retry: RetryDefinition, history: readonly RetryHistoryEntry[], inputs: Record<string, unknown>): unknown {
  switch (retry.kind) {
    case 'times':
      return history.length + 1;
    case 'forEach':
    case 'parameterizedForEach': {
      const next = nextValue(valuesOf(retry, inputs), history);
      if (!next) throw new RangeError(`retry controller has no values left to try`);
      return next.value;
    }
    case 'alwaysRevert':
    case 'alwaysRevertAll':
      return null;
    default:
      return assertNever('retry kind', retry);
  }
}

/** TaskFlow's `on_failure`: history includes the attempt that just failed. */
export function retryOnFailure(
  retry: RetryDefinition,
  history: readonly RetryHistoryEntry[],
  inputs: Record<string, unknown>,
): RetryDecision {
  switch (retry.kind) {
    case 'times':
      if (history.length < retry.attempts) return 'RETRY';
      return retry.revertAll ? 'REVERT_ALL' : 'REVERT';
    case 'forEach':
    case 'parameterizedForEach': {
      let values: unknown[];
      try {
        values = valuesOf(retry, inputs);
      } catch {
        values = [];
      }
      if (nextValue(values, history)) return 'RETRY';
      return retry.revertAll ? 'REVERT_ALL' : 'REVERT';
    }
    case 'alwaysRevert':
      return 'REVERT';
    case 'alwaysRevertAll':
      return 'REVERT_ALL';
    default:
      return assertNever('retry kind', retry);
  }
}

/** Delay before the next attempt: `delayMs × factor^(k-1)` after the k-th failed attempt, capped. */
export function retryDelayMs(retry: RetryDefinition, failedAttempts: number): number {
  if (retry.kind !== 'times' || !retry.delayMs) return 0;
  const factor = retry.backoff?.factor ?? 1;
  const raw = retry.delayMs * Math.pow(factor, Math.max(0, failedAttempts - 1));
  const cap = retry.backoff?.maxDelayMs;
  return Math.round(cap === undefined ? raw : Math.min(raw, cap));
}
