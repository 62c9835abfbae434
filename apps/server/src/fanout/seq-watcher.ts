import type { EventHub } from '@atomflow/api';
import { runLastSeqs, type AtomflowDb } from '@atomflow/db';

import type { RunCatchUp } from './run-catch-up.js';

/** A run this process never published is caught up from this many events back (its subscribers read the rest). */
const UNKNOWN_RUN_BACKLOG = 100;

/**
 * Events committed by processes that do not NOTIFY (an `atomflow worker`): while runs have
 * live subscribers here, their event counters are read every `intervalMs` (one query for all of
 * them) and new events are published. A cheap, bounded-latency complement to LISTEN/NOTIFY.
 */
export class SeqWatcher {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly o: {
      readonly db: AtomflowDb;
      readonly hub: EventHub;
      readonly catchUp: RunCatchUp;
      readonly intervalMs: number;
      readonly onError: (error: unknown, context: string) => void;
    },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.o.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async tick(): Promise<void> {
    const ids = this.o.hub.runIds();
    if (this.busy || ids.length === 0) return;
    this.busy = true;
    try {
      for (const [runId, lastSeq] of await runLastSeqs(this.o.db, ids))
        this.o.catchUp.catchUp(runId, lastSeq, Math.max(0, lastSeq - UNKNOWN_RUN_BACKLOG));
    } catch (error) {
      this.o.onError(error, 'watching run event counters');
    } finally {
      this.busy = false;
    }
  }
}
