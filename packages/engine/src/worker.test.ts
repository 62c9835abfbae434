import { describe, expect, it } from 'vitest';

import { Engine } from './engine.js';
import { LeaseLostError } from './errors.js';
import { InMemoryStore } from './memory-store.js';
import { echo, fail, flow } from './testing/harness.js';
import { testRegistry } from './testing/test-atoms.js';
import { Worker } from './worker.js';

function worker(
  store: InMemoryStore,
  owner: string,
  opts: { ttl?: number; holdTimersUpToMs?: number } = {},
): { w: Worker; calls: ReturnType<typeof testRegistry>['calls'] } {
  const { registry, calls } = testRegistry();
  const engine = new Engine({ store, registry, owner, holdTimersUpToMs: opts.holdTimersUpToMs ?? 1000 });
  return { w: new Worker({ engine, store, owner, leaseTtlMs: opts.ttl ?? 1000, pollMs: 10 }), calls };
}

async function until(pred: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const stateOf = async (store: InMemoryStore, id: string): Promise<string | undefined> => (await store.loadRun(id))?.flow.state;
const creator = (store: InMemoryStore): Engine => new Engine({ store, registry: testRegistry().registry });

describe('worker', () => {
  it('claims created runs, executes them, and gives the lease back', async () => {
    const store = new InMemoryStore();
    const run = await creator(store).createRun(flow({ root: { kind: 'linear', name: 'f', children: [echo('a'), echo('b')] } }));
    const { w, calls } = worker(store, 'w1');
    w.start();
    await until(async () => (await stateOf(store, run.id)) === 'SUCCESS');
    await w.stop();
    expect(calls.map((c) => c.atom)).toEqual(['a', 'b']);
    expect(await store.leaseOf(run.id)).toBeUndefined();
  });

  it('two workers share 20 runs: each atom of each run executes exactly once', async () => {
    const store = new InMemoryStore();
    const c = creator(store);
    const def = flow({ root: { kind: 'linear', name: 'f', children: [{ name: 's', type: 'test.sleep', config: { ms: 5 } }, echo('a')] } });
    const ids = [];
    for (let i = 0; i < 20; i++) ids.push((await c.createRun(def)).id);
    const a = worker(store, 'wa');
    const b = worker(store, 'wb');
    a.w.start();
    b.w.start();
    await until(async () => (await store.listRuns({ states: ['SUCCESS'] })).length === 20);
    await Promise.all([a.w.stop(), b.w.stop()]);
    expect(a.calls.length + b.calls.length).toBe(20);
    expect(a.calls.length).toBeGreaterThan(0);
    expect(b.calls.length).toBeGreaterThan(0);
  });

  it('takes over a run whose owner died once its lease expires; the dead owner can no longer write', async () => {
    const store = new InMemoryStore();
    const run = await creator(store).createRun(flow({ root: { kind: 'linear', name: 'f', children: [echo('a')] } }));
    expect(await store.claimRuns('dead', 80, 10)).toEqual([run.id]);
    const { w, calls } = worker(store, 'alive');
    w.start();
    await new Promise((r) => setTimeout(r, 40));
    expect(calls).toEqual([]); // still leased to the dead worker
    await until(async () => (await stateOf(store, run.id)) === 'SUCCESS');
    await w.stop();
    await expect(store.commit(run.id, { events: [] }, { owner: 'dead' })).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('applies queued operations: cancel mid-run, retry from failure on a stopped run, invalid ones refused', async () => {
    const store = new InMemoryStore();
    const c = creator(store);
    const slow = await c.createRun(
      flow({ id: 'slow', root: { kind: 'linear', name: 'f', children: [{ name: 's', type: 'test.sleep', config: { ms: 5000 } }] } }),
    );
    const failing = await c.startRun(flow({ id: 'failing', root: { kind: 'linear', name: 'f', children: [fail('x', { failTimes: 1 })] } }));
    expect(failing.state).toBe('REVERTED');
    const { w } = worker(store, 'w1');
    w.start();
    await until(async () => (await store.loadRun(slow.id))!.atoms[0]!.state === 'RUNNING');
    const cancel = await store.enqueueCommand(slow.id, { type: 'cancel', by: 'op' });
    const retry = await store.enqueueCommand(failing.runId, { type: 'retryFromFailure' });
    const bad = await store.enqueueCommand(failing.runId, { type: 'explode' });
    await until(async () => (await stateOf(store, slow.id)) === 'CANCELLED' && (await stateOf(store, failing.runId)) === 'SUCCESS');
    await until(async () => (await store.pendingCommands()).length === 0);
    await w.stop();
    expect((await store.getCommand(cancel.id))!.outcome).toEqual({ ok: true });
    expect((await store.getCommand(retry.id))!.outcome).toMatchObject({ ok: true, resumes: true });
    expect((await store.getCommand(bad.id))!.outcome).toMatchObject({ ok: false, error: expect.stringMatching(/invalid operation/) });
  });

  it('a run waiting on a far timer is parked and released, then woken when the timer is due', async () => {
    const store = new InMemoryStore();
    const run = await creator(store).createRun(
      flow({
        root: { kind: 'linear', name: 'root', children: [{ name: 'k', type: 'test.steps', config: { steps: { a: 2 }, delayMs: 150 } }] },
      }),
    );
    const { w } = worker(store, 'w1', { holdTimersUpToMs: 20 });
    w.start();
    await until(async () => (await stateOf(store, run.id)) === 'WAITING');
    await until(async () => (await store.leaseOf(run.id)) === undefined);
    expect(w.activeRuns()).toEqual([]);
    await until(async () => (await stateOf(store, run.id)) === 'SUCCESS');
    await w.stop();
  });

  it('a graceful stop lets the atom in flight finish, records it, and releases the run to the next worker', async () => {
    const store = new InMemoryStore();
    const run = await creator(store).createRun(
      flow({ root: { kind: 'linear', name: 'f', children: [{ name: 's', type: 'test.sleep', config: { ms: 60 } }, echo('after')] } }),
    );
    const first = worker(store, 'first');
    first.w.start();
    await until(async () => (await store.loadRun(run.id))!.atoms[0]!.state === 'RUNNING');
    await first.w.stop();
    const mid = await store.loadRun(run.id);
    expect(mid!.flow.state).toBe('RUNNING');
    expect(mid!.atoms.map((a) => a.state)).toEqual(['SUCCESS', 'PENDING']);
    expect(await store.leaseOf(run.id)).toBeUndefined();
    const second = worker(store, 'second');
    second.w.start();
    await until(async () => (await stateOf(store, run.id)) === 'SUCCESS');
    await second.w.stop();
    expect(second.calls.map((c) => c.atom)).toEqual(['after']);
  });

  it('claims the next run as soon as a slot frees, not at the next poll', async () => {
    const store = new InMemoryStore();
    const c = creator(store);
    const def = flow({ root: { kind: 'linear', name: 'f', children: [echo('a')] } });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await c.createRun(def)).id);
    const { registry } = testRegistry();
    const engine = new Engine({ store, registry, owner: 'one-slot' });
    // one run at a time, and a poll so slow that only freed slots can explain finishing in time
    const w = new Worker({ engine, store, owner: 'one-slot', capacity: 1, pollMs: 60_000 });
    const t0 = Date.now();
    w.start();
    await until(async () => (await store.listRuns({ states: ['SUCCESS'] })).length === 5, 5_000);
    await w.stop();
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
