import type { RunEvent } from '@atomflow/model';

import type { Client } from './harness.js';

export interface Collected {
  readonly events: RunEvent[];
  /** Connection states seen (connecting/pending/idle), to tell that a reconnect happened. */
  readonly states: string[];
  readonly errors: unknown[];
  stop(): void;
  /** Resolves once an event satisfies `predicate`. */
  until(predicate: (e: RunEvent) => boolean, timeoutMs?: number): Promise<void>;
}

/** Subscribes to live.run and collects what arrives. */
export function collectRun(c: Client, runId: string, lastEventId?: string): Collected {
  const events: RunEvent[] = [];
  const states: string[] = [];
  const errors: unknown[] = [];
  const waiters: Array<() => void> = [];
  const sub = c.live.run.subscribe(
    { runId, ...(lastEventId !== undefined ? { lastEventId } : {}) },
    {
      onData: (env) => {
        events.push(env.data);
        for (const w of waiters.splice(0)) w();
      },
      onError: (e) => {
        errors.push(e);
        for (const w of waiters.splice(0)) w();
      },
      onConnectionStateChange: (s) => states.push(s.state),
    },
  );
  return {
    events,
    states,
    errors,
    stop: () => sub.unsubscribe(),
    until: async (predicate, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!events.some(predicate)) {
        if (errors.length) throw new Error(`subscription failed: ${String(errors[0])}`);
        if (Date.now() > deadline) throw new Error(`timed out; got ${events.length} events, last ${JSON.stringify(events.at(-1))}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
  };
}

export const isRunEnd = (states: readonly string[]) => (e: RunEvent) => e.kind === 'flow' && e.to !== null && states.includes(e.to);
