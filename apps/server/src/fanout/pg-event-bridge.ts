import type { RunEvent } from '@atomflow/model';
import pg from 'pg';

import type { RunCatchUp } from './run-catch-up.js';

export const CHANNEL = 'atomflow_events';

export interface PgEventBridgeOptions {
  readonly url: string;
  /** Sends NOTIFY (any pool on the same database). */
  readonly pool: pg.Pool;
  /** Reads notified events this process has not published yet and publishes them here. */
  readonly catchUp: RunCatchUp;
  readonly onError: (error: unknown, context: string) => void;
}

/**
 * Live events across processes on PostgreSQL: events committed here are announced with
 * `NOTIFY atomflow_events, 'runId:firstSeq:lastSeq'` (after their commit, coalesced per run per
 * tick); every process LISTENs and reads the events it has not published yet from the store, so
 * a browser connected to any server sees runs executed by any worker. Notifications lost while
 * the listening connection reconnects are covered by the run watcher (SeqWatcher) and the
 * subscriptions' own periodic store reads.
 */
export class PgEventBridge {
  private pending = new Map<string, { first: number; last: number }>();
  private flushScheduled = false;
  private flushing: Promise<void> = Promise.resolve();
  private client: pg.Client | undefined;
  private closed = false;
  private retryMs = 100;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(private readonly o: PgEventBridgeOptions) {}

  async start(): Promise<void> {
    await this.connect();
  }

  /** Events committed by this process (already published to the local hub): announce them. */
  announce(event: RunEvent): void {
    this.o.catchUp.remember(event.runId, event.seq);
    const p = this.pending.get(event.runId);
    if (p) p.last = Math.max(p.last, event.seq);
    else this.pending.set(event.runId, { first: event.seq, last: event.seq });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flushing = this.flushing.then(() => this.flush());
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    await this.flushing;
    await this.o.catchUp.settle();
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => undefined);
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    if (batch.size === 0) return;
    const payloads = [...batch].map(([runId, s]) => `${runId}:${s.first}:${s.last}`);
    try {
      await this.o.pool.query(`select pg_notify('${CHANNEL}', p) from unnest($1::text[]) as p`, [payloads]);
    } catch (error) {
      if (!this.closed) this.o.onError(error, 'NOTIFY');
    }
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.o.url, options: '-c DateStyle=ISO -c TimeZone=UTC' });
    client.on('notification', (n) => {
      if (n.channel === CHANNEL && n.payload) this.onNotification(n.payload);
    });
    const lost = (error?: unknown): void => {
      if (this.client !== client) return;
      this.client = undefined;
      if (this.closed) return;
      if (error) this.o.onError(error, 'LISTEN connection');
      client.end().catch(() => undefined);
      this.reconnectTimer = setTimeout(() => void this.reconnect(), this.retryMs);
      this.retryMs = Math.min(5000, this.retryMs * 2);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
    this.retryMs = 100;
  }

  private async reconnect(): Promise<void> {
    if (this.closed) return;
    try {
      await this.connect();
    } catch (error) {
      this.o.onError(error, 'LISTEN reconnect');
      this.reconnectTimer = setTimeout(() => void this.reconnect(), this.retryMs);
      this.retryMs = Math.min(5000, this.retryMs * 2);
    }
  }

  private onNotification(payload: string): void {
    const m = /^(.+):(\d+):(\d+)$/.exec(payload);
    if (!m || this.closed) return;
    // our own NOTIFYs come back too: catchUp skips what was published here
    this.o.catchUp.catchUp(m[1]!, Number(m[3]), Number(m[2]) - 1);
  }
}
