import type { Failure, RunEvent } from '@atomflow/model';

import type { CliIO } from './io.js';

/** Trace lines as DESIGN.md specifies: transitions of atoms and of the run, printed once committed. */
export function traceLine(event: RunEvent, rootName: string): Record<string, unknown> | undefined {
  switch (event.kind) {
    case 'flow':
      return { flow: rootName, from: event.from, to: event.to };
    case 'atom': {
      if (event.from === null || event.to === null) return undefined; // a log line, not a transition
      const line: Record<string, unknown> = { atom: event.atom, from: event.from, to: event.to };
      if (event.to === 'SUCCESS' && event.data && 'result' in event.data) line['result'] = event.data['result'];
      return line;
    }
    case 'substep':
    case 'operation':
    case 'migration':
      return undefined;
    default: {
      const never: never = event.kind;
      return never;
    }
  }
}

export function printFinal(io: CliIO, state: string, results: Record<string, unknown>, failure: Failure | undefined): void {
  io.out(JSON.stringify({ final: { state, results, ...(failure ? { failure: { type: failure.type, message: failure.message } } : {}) } }));
}

/** JSON.stringify that never throws (a result could hold a BigInt or a cycle). */
export function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return JSON.stringify(String(v));
  }
}
