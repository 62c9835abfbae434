import type { EventHub } from '@atomflow/api';
import type { OpenedDatabase } from '@atomflow/db';
import type { RunEvent } from '@atomflow/model';

import { PgEventBridge } from './pg-event-bridge.js';
import { RunCatchUp } from './run-catch-up.js';
import { SeqWatcher } from './seq-watcher.js';

/** How often runs with live subscribers are checked for events from workers that do not NOTIFY. */
const WATCH_MS = 250;

export interface CrossProcessEvents {
  /** An event committed by this process (already published locally): tell the others. */
  announce(event: RunEvent): void;
  close(): Promise<void>;
}

/**
 * On PostgreSQL, live events cross processes: this process NOTIFYs what it commits and LISTENs
 * for the others' (PgEventBridge); runs with subscribers here are also watched for events from
 * workers that do not NOTIFY (SeqWatcher). Both publish through one RunCatchUp: once, in order.
 * The embedded database has one process: nothing to do.
 */
export async function startCrossProcessEvents(
  database: OpenedDatabase,
  url: string | undefined,
  hub: EventHub,
  onError: (error: unknown, context: string) => void,
): Promise<CrossProcessEvents | undefined> {
  if (database.kind !== 'postgres' || url === undefined) return undefined;
  const report = (e: unknown, ctx: string): void => onError(e, `live events (${ctx})`);
  const catchUp = new RunCatchUp(database.store, hub, report);
  const bridge = new PgEventBridge({ url, pool: database.db.$client, catchUp, onError: report });
  await bridge.start();
  const watcher = new SeqWatcher({ db: database.db, hub, catchUp, intervalMs: WATCH_MS, onError: report });
  watcher.start();
  return {
    announce: (e) => bridge.announce(e),
    close: async () => {
      watcher.stop();
      await bridge.close();
    },
  };
}
