import type { EventHub } from '@atomflow/api';
import type { Store } from '@atomflow/engine';

/** Runs whose last published seq is remembered (least recently updated forgotten first). */
const KNOWN_RUNS = 10_000;

/**
 * Which events of which runs this process has published, and reading the rest from the store:
 * events committed elsewhere (another server's worker, an `atomflow worker`) are published to
 * the local hub in order, once, whatever told us about them (a NOTIFY, a poll).
 */
export class RunCatchUp {
  private readonly known = new Map<string, number>();
  private readonly reading = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly hub: EventHub,
    private readonly onError: (error: unknown, context: string) => void,
  ) {}

  /** Highest seq of the run published here, if remembered. */
  published(runId: string): number | undefined {
    return this.known.get(runId);
  }

  /** Events up to `seq` of the run are published here (by this process's engines). */
  remember(runId: string, seq: number): void {
    const prev = this.known.get(runId);
    if (prev !== undefined && prev >= seq) return;
    this.known.delete(runId);
    this.known.set(runId, seq);
    if (this.known.size > KNOWN_RUNS) this.known.delete(this.known.keys().next().value!);
  }

  /**
   * The run has events up to `upTo` at least: publish those not published yet (reading from
   * `afterIfUnknown` for a run this process never saw). One read per run at a time.
   */
  catchUp(runId: string, upTo: number, afterIfUnknown: number): void {
    const known = this.known.get(runId);
    if (known !== undefined && known >= upTo) return;
    const prev = this.reading.get(runId) ?? Promise.resolve();
    const next = prev.then(() => this.read(runId, upTo, afterIfUnknown));
    this.reading.set(runId, next);
    void next.finally(() => {
      if (this.reading.get(runId) === next) this.reading.delete(runId);
    });
  }

  /** Waits for the reads under way. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.reading.values());
  }

  private async read(runId: string, upTo: number, afterIfUnknown: number): Promise<void> {
    const known = this.known.get(runId);
    if (known !== undefined && known >= upTo) return;
    try {
      const events = await this.store.events(runId, known ?? afterIfUnknown);
      for (const e of events) this.remember(runId, e.seq);
      this.hub.publish(events);
    } catch (error) {
      this.onError(error, `reading events of run ${runId}`);
    }
  }
}
