import { appendFileSync } from 'node:fs';

import type { Failure } from '@atomflow/model';

import { testCallsFile } from './env.js';

/** One invocation of a test atom's user code, as written to the ATOMFLOW_TEST_CALLS file. */
export type CallEntry =
  | { readonly atom: string; readonly fn: 'execute'; readonly args: Readonly<Record<string, unknown>> }
  | { readonly atom: string; readonly fn: 'revert'; readonly result?: unknown; readonly failure?: Pick<Failure, 'type' | 'message'> }
  | { readonly atom: string; readonly fn: 'step'; readonly step: string; readonly attempt: number }
  | { readonly atom: string; readonly fn: 'leave' };

/**
 * Appends one JSON line to the call log when ATOMFLOW_TEST_CALLS is set. Synchronous on purpose:
 * atoms running in parallel must land in the file in the order they were invoked.
 */
export function recordCall(entry: CallEntry): void {
  const file = testCallsFile();
  if (!file) return;
  appendFileSync(file, `${toJsonLine(entry)}\n`);
}

/** JSON that never fails the atom: bigints become strings; anything else unserialisable (a cycle) is noted. */
function toJsonLine(entry: CallEntry): string {
  try {
    return JSON.stringify(entry, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch (error) {
    return JSON.stringify({ atom: entry.atom, fn: entry.fn, unserialisable: String(error) });
  }
}
