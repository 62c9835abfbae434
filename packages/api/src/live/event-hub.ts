import type { RunEvent } from '@atomflow/model';

export type RunEventListener = (event: RunEvent) => void;

/**
 * In-process fan-out of committed run events to live subscriptions. Fed by the engines of this
 * process and, on PostgreSQL, by the LISTEN/NOTIFY bridge with events committed elsewhere.
 * Publishing is synchronous and never throws: a broken listener is reported, not propagated.
 */
export class EventHub {
  private readonly all = new Set<RunEventListener>();
  private readonly byRun = new Map<string, Set<RunEventListener>>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  /** Events of one run (`runId`) or of every run. Returns the unsubscribe function. */
  subscribe(listener: RunEventListener, runId?: string): () => void {
    if (runId === undefined) {
      this.all.add(listener);
      return () => void this.all.delete(listener);
    }
    let set = this.byRun.get(runId);
    if (!set) this.byRun.set(runId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.byRun.get(runId) === set) this.byRun.delete(runId);
    };
  }

  publish(events: readonly RunEvent[]): void {
    for (const e of events) {
      const scoped = this.byRun.get(e.runId);
      if (scoped) for (const l of scoped) this.call(l, e);
      for (const l of this.all) this.call(l, e);
    }
  }

  /** Runs that have a subscriber of their own now. */
  runIds(): string[] {
    return [...this.byRun.keys()];
  }

  /** Subscriptions open now (for tests and health). */
  get size(): number {
    let n = this.all.size;
    for (const s of this.byRun.values()) n += s.size;
    return n;
  }

  private call(listener: RunEventListener, event: RunEvent): void {
    try {
      listener(event);
    } catch (error) {
      this.onListenerError(error);
    }
  }
}
