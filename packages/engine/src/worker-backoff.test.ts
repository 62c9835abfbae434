import type { RunEvent } from '@atomflow/model';
import { describe, expect, it } from 'vitest';

import { Engine } from './engine.js';
import { InMemoryStore } from './memory-store.js';
import type { RunChange } from './store.js';
import { echo, flow } from './testing/harness.js';
import { testRegistry } from './testing/test-atoms.js';
import type { Fence } from './work-store.js';
import { backoffDelay, Worker } from './worker.js';

/** The database as the worker sees it when it goes away: every call fails until it is back. */
class OutageStore extends InMemoryStore {
  down = false;
  /** Runs whose commits the "database" refuses, whatever else happens. */
  readonly refused = new Set<string>();
  claims = 0;
  commitsTried = new Map<string, number>();

  private check(): void {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
  }
  override async claimRuns(owner: string, ttlMs: number, limit: number): Promise<string[]> {
    this.claims++;
    this.check();
    return super.claimRuns(owner, ttlMs, limit);
  }
  override async commit(runId: string, change: RunChange, fence?: Fence): Promise<RunEvent[]> {
    this.commitsTried.set(runId, (this.commitsTried.get(runId) ?? 0) + 1);
    this.check();
    if (this.refused.has(runId)) throw new Error(`commit to run ${runId} failed: invalid byte sequence`);
    return super.commit(runId, change, fence);
  }
  override async renewLeases(owner: string, runIds: readonly string[], ttlMs: number): Promise<string[]> {
    this.check();
    return super.renewLeases(owner, runIds, ttlMs);
  }
  override async releaseRun(runId: string, owner: string): Promise<void> {
    this.check();
    return super.releaseRun(runId, owner);
  }
  override async pendingCommands(runIds?: readonly string[]) {
    this.check();
    return super.pendingCommands(runIds);
  }
  override async loadRun(runId: string) {
    this.check();
    return super.loadRun(runId);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(10);
  }
}

function worker(store: OutageStore, opts: { backoffMs?: number; maxBackoffMs?: number } = {}): { w: Worker; errors: string[] } {
  const owner = 'w-backoff';
  const engine = new Engine({ store, registry: testRegistry().registry, owner });
  const errors: string[] = [];
  const w = new Worker({
    engine,
    store,
    owner,
    leaseTtlMs: 300,
    pollMs: 10,
    ...opts,
    onError: (e, ctx) => errors.push(`${ctx}: ${String(e)}`),
  });
  return { w, errors };
}

describe('worker backoff', () => {
  it('backoffDelay doubles from its base up to the ceiling, with ±20 % jitter', () => {
    const mid = (): number => 0.5;
    expect([1, 2, 3, 4, 10].map((n) => backoffDelay(100, n, 1000, mid))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(100, 1, 1000, () => 0)).toBe(80);
    expect(backoffDelay(100, 1, 1000, () => 1)).toBe(120);
    expect(backoffDelay(100, 500, 30_000, mid)).toBe(30_000);
  });

  it('the database goes away mid-run: the worker polls less and less often, then finishes the run', async () => {
    const store = new OutageStore();
    const creator = new Engine({ store, registry: testRegistry().registry });
    const def = flow({
      root: { kind: 'linear', name: 'f', children: [{ name: 's', type: 'test.sleep', config: { ms: 150 } }, echo('a')] },
    });
    const run = await creator.createRun(def);
    const { w, errors } = worker(store, { maxBackoffMs: 400 });
    w.start();
    try {
      await until(async () => (await store.events(run.id)).some((e) => e.atom === 's' && e.to === 'RUNNING'));
      store.down = true;
      const claimsBefore = store.claims;
      await sleep(1_500);
      // without backoff a 10 ms poll would have tried ~150 times
      expect(store.claims - claimsBefore).toBeLessThanOrEqual(15);
      expect(errors.some((e) => e.includes(`run ${run.id}`) && e.includes('ECONNREFUSED'))).toBe(true);
      expect(errors.some((e) => /^poll \(failed \d+ times in a row, next in \d+ ms\)/.test(e))).toBe(true);
      store.down = false;
      await until(async () => (await store.loadRun(run.id))?.flow.state === 'SUCCESS', 5_000);
    } finally {
      store.down = false;
      await w.stop();
    }
  });

  it('a run whose commits keep failing is retried after growing pauses, and others go on meanwhile', async () => {
    const store = new OutageStore();
    const creator = new Engine({ store, registry: testRegistry().registry });
    const def = flow({ root: { kind: 'linear', name: 'f', children: [echo('a')] } });
    const bad = await creator.createRun(def);
    store.refused.add(bad.id);
    const { w, errors } = worker(store, { backoffMs: 100, maxBackoffMs: 1_000 });
    w.start();
    try {
      await until(async () => (store.commitsTried.get(bad.id) ?? 0) >= 1);
      // while it waits out its backoff, it stays leased (unrenewed) so nobody retries it at once
      await sleep(30);
      expect((await store.leaseOf(bad.id))?.owner).toBe('w-backoff');
      const good = await creator.createRun(def);
      await until(async () => (await store.loadRun(good.id))?.flow.state === 'SUCCESS', 2_000);
      await sleep(1_500);
      // attempts at about 0, 0.1, 0.3, 0.7, 1.5 s: a 10 ms poll without backoff would be ~150
      const tries = store.commitsTried.get(bad.id)!;
      expect(tries).toBeGreaterThanOrEqual(3);
      expect(tries).toBeLessThanOrEqual(7);
      expect(errors.filter((e) => e.startsWith(`run ${bad.id} (failed `)).length).toBe(tries);
      expect(errors.some((e) => e.includes('failed 3 times in a row here; retried in'))).toBe(true);
      // once the database accepts it again, the run completes
      store.refused.delete(bad.id);
      await until(async () => (await store.loadRun(bad.id))?.flow.state === 'SUCCESS', 3_000);
    } finally {
      await w.stop();
    }
  });
});
