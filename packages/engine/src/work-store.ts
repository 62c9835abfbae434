import type { Store } from './store.js';

/** A manual operation waiting for (or applied by) the run's owner. */
export interface Command {
  readonly id: number;
  readonly runId: string;
  /** The operation (validated by whoever enqueued it: see `Operation`). */
  readonly op: Record<string, unknown>;
  readonly createdAt: string;
  readonly appliedAt: string | null;
  /** What applying it gave: `{ok: true, …}` or `{ok: false, error}`. */
  readonly outcome: Record<string, unknown> | null;
}

/** A write on behalf of a lease holder: refused (LeaseLostError) unless `owner` holds the run. */
export interface Fence {
  readonly owner: string;
}

/**
 * The Store plus what several workers need to share runs: leases (owner + expiry, claimed
 * with `FOR UPDATE SKIP LOCKED` on PostgreSQL) and the operations queue.
 */
export interface WorkStore extends Store {
  /**
   * Claims up to `limit` runs that need a worker and whose lease is free or expired: runs in
   * PENDING, RUNNING, SUSPENDING or RESUMING; WAITING runs with a due timer; any run with a
   * pending command. Returns their ids; each is leased to `owner` for `ttlMs`.
   */
  claimRuns(owner: string, ttlMs: number, limit: number): Promise<string[]>;
  /**
   * Claims one named run, whatever its state, when its lease is free, expired or already
   * `owner`'s (renewed then). False when another owner holds it or the run does not exist.
   */
  claimRun(runId: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends the leases `owner` still holds; returns the run ids it still holds. */
  renewLeases(owner: string, runIds: readonly string[], ttlMs: number): Promise<string[]>;
  /** Gives a run's lease up (only when `owner` holds it). */
  releaseRun(runId: string, owner: string): Promise<void>;
  /** The owner of a run and until when, if leased. */
  leaseOf(runId: string): Promise<{ owner: string; expiresAt: string } | undefined>;
  enqueueCommand(runId: string, op: Record<string, unknown>): Promise<Command>;
  /** Commands not yet applied, oldest first (of the given runs, or of all). */
  pendingCommands(runIds?: readonly string[]): Promise<Command[]>;
  completeCommand(id: number, outcome: Record<string, unknown>): Promise<void>;
  getCommand(id: number): Promise<Command | undefined>;
}

export function isWorkStore(store: Store): store is WorkStore {
  return typeof (store as Partial<WorkStore>).claimRuns === 'function';
}
