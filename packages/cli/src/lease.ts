import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';

import type { WorkStore } from '@atomflow/engine';

/** How long a CLI's lease lasts without a renewal: a killed `atomflow run` frees its run for workers after this. */
export const CLI_LEASE_TTL_MS = 30_000;

/** The lease owner of this CLI process (shown in events and to workers as the run's holder). */
export function cliOwner(): string {
  return `cli:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Keeps `owner`'s lease on a run alive while the CLI executes it (renewed every third of the TTL)
 * and gives it back at the end. A renewal that finds the lease gone stops renewing: the engine's
 * next fenced commit then fails with LeaseLostError, which is the error the user should see.
 */
export function holdLease(
  store: WorkStore,
  runId: string,
  owner: string,
  ttlMs = CLI_LEASE_TTL_MS,
  onError: (e: unknown) => void = () => {},
): { release(): Promise<void> } {
  let renewing = true;
  const timer = setInterval(
    () => {
      if (!renewing) return;
      store.renewLeases(owner, [runId], ttlMs).then(
        (held) => {
          if (held.length === 0) renewing = false;
        },
        (e: unknown) => onError(e),
      );
    },
    Math.max(1, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      renewing = false;
      await store.releaseRun(runId, owner);
    },
  };
}
