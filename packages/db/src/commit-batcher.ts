/*
 * Group commit. A commit costs a round trip and a transaction (statement start-up, a WAL flush)
 * whatever it carries; a worker executing many runs at once makes many small ones. The batcher
 * sends a commit at once when fewer than `maxInFlight` are in flight, and otherwise queues it:
 * the commits that queue up meanwhile (of different runs) go out together as one statement.
 *
 * Per run, commits stay strictly in order and never overlap: a run with a commit in flight has
 * its next one wait for it (the executor already waits, this guards every other caller). Each
 * caller gets its own outcome, exactly as if its commit had been sent alone.
 */

export interface BatchItem<T> {
  readonly runId: string;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

export class CommitBatcher<T, I extends BatchItem<T>> {
  private readonly queue: I[] = [];
  private readonly busy = new Set<string>();
  private inFlight = 0;

  constructor(
    /** Sends one batch; must settle every item of it (resolve or reject), and never reject itself. */
    private readonly send: (batch: readonly I[]) => Promise<void>,
    private readonly maxInFlight: number,
    private readonly maxBatch: number,
  ) {}

  submit(item: I): void {
    this.queue.push(item);
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.take();
      if (batch.length === 0) return; // every queued commit waits for its run's previous one
      this.inFlight++;
      for (const item of batch) this.busy.add(item.runId);
      void this.send(batch).finally(() => {
        for (const item of batch) this.busy.delete(item.runId);
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** Up to maxBatch queued items, oldest first, at most one per run, none of a busy run. */
  private take(): I[] {
    const batch: I[] = [];
    const runs = new Set<string>();
    const rest: I[] = [];
    for (const item of this.queue) {
      if (batch.length < this.maxBatch && !this.busy.has(item.runId) && !runs.has(item.runId)) {
        batch.push(item);
        runs.add(item.runId);
      } else rest.push(item);
    }
    this.queue.length = 0;
    this.queue.push(...rest);
    return batch;
  }
}
