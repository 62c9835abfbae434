import { describe, expect, it } from 'vitest';

import { InMemoryStore } from './memory-store.js';
import { echo, flow, harness } from './testing/harness.js';

const chain = (names: string[], extra: Record<string, Record<string, unknown>> = {}): ReturnType<typeof flow> =>
  flow({ root: { kind: 'linear', name: 'f', children: names.map((n) => ({ ...echo(n), ...(extra[n] ?? {}) })) } });

describe('resumption', () => {
  it('a crash mid-run: SUCCESS atoms never execute again, the interrupted one is executed again', async () => {
    const store = new InMemoryStore();
    store.beforeCommit = (_id, change) => {
      if (change.events.some((e) => e.atom === 'c' && e.to === 'SUCCESS')) throw new Error('killed');
    };
    const h1 = harness({ store });
    await expect(h1.engine.startRun(chain(['a', 'b', 'c', 'd']))).rejects.toThrow('killed');
    store.beforeCommit = undefined;
    const runId = (await store.listRuns())[0]!.id;
    const loaded = await store.loadRun(runId);
    expect(loaded!.atoms.map((a) => a.state)).toEqual(['SUCCESS', 'SUCCESS', 'RUNNING', 'PENDING']);
    const h2 = harness({ store });
    const out = await h2.engine.resumeRun(runId);
    expect(out.state).toBe('SUCCESS');
    expect(h2.calls.map((c) => c.atom)).toEqual(['c', 'd']);
    expect(h2.trace()).toEqual([
      'c:RUNNING>RUNNING',
      'c:RUNNING>SUCCESS',
      'd:PENDING>RUNNING',
      'd:RUNNING>SUCCESS',
      'flow:RUNNING>SUCCESS',
    ]);
    const events = await store.events(runId);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });

  it('suspend after an atom, then resume; stored results are used as inputs', async () => {
    const h = harness();
    const def = chain(['a', 'b', 'c'], { a: { provides: 'x' }, c: { requires: ['x'] } });
    const first = await h.engine.startRun(def, { stopAfter: 'a' });
    expect(first.state).toBe('SUSPENDED');
    expect(h.trace()).toEqual([
      'flow:PENDING>RUNNING',
      'a:PENDING>RUNNING',
      'a:RUNNING>SUCCESS',
      'flow:RUNNING>SUSPENDING',
      'flow:SUSPENDING>SUSPENDED',
    ]);
    h.calls.length = 0;
    const second = await h.engine.resumeRun(first.runId);
    expect(second.state).toBe('SUCCESS');
    expect(h.calls).toEqual([
      { atom: 'b', fn: 'execute', args: {} },
      { atom: 'c', fn: 'execute', args: { x: 'a-result' } },
    ]);
  });

  it('migrating to a revision: a version change is a new atom, a removed atom is ignored, an added one runs', async () => {
    const h = harness();
    const first = await h.engine.startRun(chain(['a', 'b', 'c']), { stopAfter: 'b' });
    h.calls.length = 0;
    const v2 = flow({ revision: 2, root: { kind: 'linear', name: 'f', children: [echo('a'), { ...echo('b'), version: 1 }, echo('n')] } });
    const diff = await h.engine.migrateRun(first.runId, v2);
    expect(diff.added.map((a) => a.name)).toEqual(['n']);
    expect(diff.removed.map((a) => a.name)).toEqual(['c']);
    const out = await h.engine.resumeRun(first.runId);
    expect(out.state).toBe('SUCCESS');
    expect(h.calls.map((c) => c.atom)).toEqual(['n']);
    const loaded = await h.store.loadRun(first.runId);
    expect(loaded!.flow.revision).toBe(2);
    expect(loaded!.atoms.find((a) => a.name === 'c')!.state).toBe('PENDING');
  });

  it('a version-changed atom executes again even though its old record is SUCCESS', async () => {
    const h = harness();
    const { registry } = h.engine;
    registry.register({ type: 'test.echo', version: 2, execute: (_i, ctx) => `v2:${ctx.atom}` });
    const first = await h.engine.startRun(chain(['a', 'b']), { stopAfter: 'a' });
    const v2 = flow({ revision: 2, root: { kind: 'linear', name: 'f', children: [{ ...echo('a'), version: 2, config: {} }, echo('b')] } });
    const out = await h.engine.resumeRun(first.runId, { definition: v2 });
    expect(out.state).toBe('SUCCESS');
    const a = (await h.store.loadRun(first.runId))!.atoms.find((x) => x.name === 'a')!;
    expect([a.version, a.result, a.attempts]).toEqual([2, 'v2:a', 1]);
  });

  it('refuses to migrate to another flow or with new unsatisfied inputs', async () => {
    const h = harness();
    const first = await h.engine.startRun(chain(['a', 'b']), { stopAfter: 'a' });
    await expect(
      h.engine.migrateRun(first.runId, flow({ id: 'other', revision: 2, root: { kind: 'linear', name: 'f', children: [echo('a')] } })),
    ).rejects.toThrow(/runs flow test-flow/);
    await expect(
      h.engine.migrateRun(
        first.runId,
        flow({ revision: 2, root: { kind: 'linear', name: 'f', children: [echo('a', { requires: ['zz'] })] } }),
      ),
    ).rejects.toThrow(/"a" requires "zz", which no atom provides and is not a run input/);
  });
});
