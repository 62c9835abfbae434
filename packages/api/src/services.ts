import type { AtomflowDb } from '@atomflow/db';
import type { Engine, WorkStore } from '@atomflow/engine';

import type { AuthStore } from './auth/auth-store.js';
import type { EventHub } from './live/event-hub.js';

/** What the API runs on; apps/server builds it (tests build it the same way). */
export interface ApiServices {
  /** The durable store, with leases and the commands queue. */
  readonly store: WorkStore;
  /** The same database, for the read queries the Store interface lacks. */
  readonly db: AtomflowDb;
  /**
   * An engine without an owner: compiles and creates runs (migrations are queued commands). Runs are
   * executed by workers (their own engines), never in a request.
   */
  readonly engine: Engine;
  readonly auth: AuthStore;
  /** Committed events of every run, as they happen. */
  readonly events: EventHub;
  /** A run or a command is waiting: wake the local worker instead of waiting for its next poll. */
  readonly kick?: () => void;
  /** Problems that are not the caller's fault (internal errors), with what was being done. */
  readonly log?: (message: string, error?: unknown) => void;
  /** Mark session cookies Secure even on plain HTTP requests (requests over HTTPS always are). */
  readonly secureCookies?: boolean;
  /** How often a live subscription re-reads the store, in case a notification was lost (ms). */
  readonly livePollMs?: number;
  readonly now?: () => Date;
}
