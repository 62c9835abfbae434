import type { AtomDetail, CompiledFlow, Failure } from '@atomflow/model';

import { bindInputs } from './bindings.js';
import { retryOnFailure } from './retry-controller.js';

/** What to do about a failed atom (TaskFlow's resolution strategies). */
export type Strategy = (
  { readonly kind: 'retry'; readonly retry: number } | { readonly kind: 'revert'; readonly atom: number } | { readonly kind: 'revert-all' }
) & {
  /** Retry controllers whose history recorded the failure (their records changed). */
  readonly historyUpdates: readonly number[];
};

type Resolution =
  | { readonly kind: 'retry'; readonly retry: number }
  | { readonly kind: 'revert'; readonly atom: number }
  | { readonly kind: 'revert-all'; readonly undefinedResolver: boolean };

/**
 * TaskFlow's `Completer._determine_resolution`: the nearest retry controller decides; REVERT
 * defers to the parent controller when the parent has a better answer (RETRY or REVERT_ALL),
 * or always with `deferReverts`; REVERT_ALL reverts everything without asking parents; with no
 * controller at all everything is reverted.
 */
export function resolveFailure(
  flow: CompiledFlow,
  details: AtomDetail[],
  idx: number,
  failure: Failure,
  runInputs: Readonly<Record<string, unknown>>,
  deferReverts: boolean,
): Strategy {
  const historyUpdates: number[] = [];
  const failedName = flow.atoms[idx]!.name;

  const determine = (atomIdx: number): Resolution => {
    const r = flow.atoms[atomIdx]!.controller;
    if (r < 0) return { kind: 'revert-all', undefinedResolver: true };
    const rd = details[r]!;
    const history = [...(rd.history ?? [])];
    const last = history[history.length - 1];
    if (last) history[history.length - 1] = { result: last.result, failures: { ...last.failures, [failedName]: failure } };
    rd.history = history;
    historyUpdates.push(r);
    let inputs: Record<string, unknown> = {};
    try {
      inputs = bindInputs(flow, flow.atoms[r]!, details, runInputs);
    } catch {
      // a controller whose inputs vanished has nothing left to try
    }
    const decision = retryOnFailure(flow.atoms[r]!.retry!, history, inputs);
    switch (decision) {
      case 'RETRY':
        return { kind: 'retry', retry: r };
      case 'REVERT': {
        const parent = determine(r);
        if (deferReverts) return parent;
        if (!(parent.kind === 'revert-all' && parent.undefinedResolver) && parent.kind !== 'revert') return parent;
        return { kind: 'revert', atom: r };
      }
      case 'REVERT_ALL':
        return { kind: 'revert-all', undefinedResolver: false };
      default: {
        const never: never = decision;
        throw new Error(`unknown decision ${String(never)}`);
      }
    }
  };

  const res = determine(idx);
  switch (res.kind) {
    case 'retry':
      return { kind: 'retry', retry: res.retry, historyUpdates };
    case 'revert':
      return { kind: 'revert', atom: res.atom, historyUpdates };
    case 'revert-all':
      return { kind: 'revert-all', historyUpdates };
    default: {
      const never: never = res;
      throw new Error(`unknown resolution ${JSON.stringify(never)}`);
    }
  }
}
