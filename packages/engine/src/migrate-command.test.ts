import { describe, expect, it } from 'vitest';

import { Engine } from './engine.js';
import { InMemoryStore } from './memory-store.js';
import { echo, fail, flow } from './testing/harness.js';
import { testRegistry } from './testing/test-atoms.js';
import { Worker } from './worker.js';

async function until(pred: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function worker(store: InMemoryStore, owner: string) {
  const { registry, calls } = testRegistry();
  const engine = new Engine({ store, registry, owner });
  return { w: new Worker({ engine, store, owner, leaseTtlMs: 1000, pollMs: 10 }), calls };
}

describe('migrate command (queued, applied by the run’s holder)', () => {
  it('a failed run moves to the fixed revision and continues: kept atoms are not executed again', async () => {
    const store = new InMemoryStore();
    const { registry, calls: firstCalls } = testRegistry();
    const creator = new Engine({ store, registry });
    const v1 = flow({ id: 'm', root: { kind: 'linear', name: 'f', children: [echo('a'), fail('b', { revertFails: true }), echo('c')] } });
    const first = await creator.startRun(v1);
    expect(first.state).toBe('FAILURE'); // b's revert failed: a keeps its result
    expect(firstCalls.filter((c) => c.fn === 'execute').map((c) => c.atom)).toEqual(['a', 'b']);
    await store.saveRevision(
      flow({ id: 'm', revision: 2, root: { kind: 'linear', name: 'f', children: [echo('a'), echo('b'), echo('d')] } }),
    );

    const cmd = await store.enqueueCommand(first.runId, { type: 'migrate', revision: 2, by: 'op@example.com' });
    const { w, calls } = worker(store, 'w1');
    w.start();
    await until(async () => (await store.loadRun(first.runId))?.flow.state === 'SUCCESS');
    await until(async () => (await store.getCommand(cmd.id))?.appliedAt !== null);
    await w.stop();

    expect((await store.getCommand(cmd.id))!.outcome).toMatchObject({
      ok: true,
      from: 1,
      to: 2,
      added: ['d'],
      removed: ['c'],
      versionChanged: ['b'],
      continuedWith: 'retryFromFailure',
      resumes: true,
    });
    expect(calls.filter((c) => c.fn === 'execute').map((c) => c.atom)).toEqual(['b', 'd']);
    const run = (await store.loadRun(first.runId))!;
    expect(run.flow.revision).toBe(2);
    expect(run.atoms.find((a) => a.name === 'a')).toMatchObject({ state: 'SUCCESS', attempts: 1 });
    const events = await store.events(first.runId);
    expect(events.find((e) => e.kind === 'migration')).toMatchObject({ from: '1', to: '2' });
  });

  it('waits while a worker executes the run, then applies once it has stopped; a bad revision fails the command, not the run', async () => {
    const store = new InMemoryStore();
    const creator = new Engine({ store, registry: testRegistry().registry });
    const v1 = flow({
      id: 's',
      root: { kind: 'linear', name: 'f', children: [{ name: 'nap', type: 'test.sleep', config: { ms: 300 } }, echo('a')] },
    });
    const run = await creator.createRun(v1);
    await store.saveRevision(
      flow({
        id: 's',
        revision: 2,
        root: { kind: 'linear', name: 'f', children: [{ name: 'nap', type: 'test.sleep', config: { ms: 300 } }, echo('z')] },
      }),
    );
    const { w, calls } = worker(store, 'w1');
    w.start();
    await until(async () => (await store.loadRun(run.id))?.atoms[0]?.state === 'RUNNING');
    const bad = await store.enqueueCommand(run.id, { type: 'migrate', revision: 9 });
    const suspend = await store.enqueueCommand(run.id, { type: 'suspend' });
    const mig = await store.enqueueCommand(run.id, { type: 'migrate', revision: 2, resume: false });
    // mid-run only the suspend applies; the migrations stay queued
    await until(async () => (await store.getCommand(suspend.id))?.appliedAt !== null);
    expect((await store.getCommand(mig.id))!.appliedAt).toBeNull();
    await until(async () => (await store.getCommand(mig.id))?.appliedAt !== null);
    await w.stop();
    expect((await store.getCommand(bad.id))!.outcome).toMatchObject({ ok: false, error: expect.stringMatching(/revision 9/) });
    expect((await store.getCommand(mig.id))!.outcome).toMatchObject({ ok: true, to: 2, added: ['z'], continuedWith: null, resumes: false });
    const after = (await store.loadRun(run.id))!;
    expect([after.flow.state, after.flow.revision]).toEqual(['SUSPENDED', 2]);
    expect(calls.filter((c) => c.atom === 'a' || c.atom === 'z')).toEqual([]); // suspended after nap, not continued
  });

  it('a suspended run is migrated and resumed', async () => {
    const store = new InMemoryStore();
    const creator = new Engine({ store, registry: testRegistry().registry });
    const first = await creator.startRun(flow({ id: 'p', root: { kind: 'linear', name: 'f', children: [echo('a'), echo('b')] } }), {
      stopAfter: 'a',
    });
    expect(first.state).toBe('SUSPENDED');
    await store.saveRevision(flow({ id: 'p', revision: 2, root: { kind: 'linear', name: 'f', children: [echo('a'), echo('b2')] } }));
    const cmd = await store.enqueueCommand(first.runId, { type: 'migrate', revision: 2 });
    const { w, calls } = worker(store, 'w1');
    w.start();
    await until(async () => (await store.loadRun(first.runId))?.flow.state === 'SUCCESS');
    await w.stop();
    expect((await store.getCommand(cmd.id))!.outcome).toMatchObject({
      ok: true,
      added: ['b2'],
      removed: ['b'],
      continuedWith: 'resume',
      resumes: true,
    });
    expect(calls.map((c) => c.atom)).toEqual(['b2']);
  });
});
