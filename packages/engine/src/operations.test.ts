import { describe, expect, it } from 'vitest';

import { OperationNotAllowedError } from './errors.js';
import { echo, fail, flow, harness } from './testing/harness.js';

const saga = flow({
  root: {
    kind: 'linear',
    name: 'f',
    children: [echo('a', { provides: 'x' }), echo('b'), fail('c', { failTimes: 1, value: 'c-ok' }), echo('d')],
  },
});

describe('manual operations', () => {
  it('retry atom on a REVERTED run re-runs the reverted upstream, the atom and its downstream, then SUCCESS', async () => {
    const h = harness();
    const first = await h.engine.startRun(saga);
    expect(first.state).toBe('REVERTED');
    const preview = await h.engine.previewOperation(first.runId, { type: 'retryAtom', atom: 'c' });
    expect(preview.allowed).toBe(true);
    expect(preview.atoms.map((a) => `${a.name}:${a.from}>${a.to}`)).toEqual([
      'a:REVERTED>PENDING',
      'b:REVERTED>PENDING',
      'c:REVERTED>PENDING',
      'd:PENDING>PENDING',
    ]);
    h.calls.length = 0;
    const { outcome } = await h.engine.operate(first.runId, { type: 'retryAtom', atom: 'c', by: 'ops@example.com' });
    expect(outcome!.state).toBe('SUCCESS');
    expect(h.calls.map((c) => c.atom)).toEqual(['a', 'b', 'c', 'd']);
    const events = await h.store.events(first.runId);
    const op = events.find((e) => e.kind === 'operation')!;
    expect(op.data).toMatchObject({ type: 'retryAtom', atom: 'c', by: 'ops@example.com' });
    // the operation is committed before the run goes RUNNING again
    expect(events.indexOf(op)).toBeLessThan(events.findIndex((e) => e.kind === 'flow' && e.from === 'REVERTED'));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });

  it('revert atom reverts it and its succeeded downstream in reverse order; upstream stays SUCCESS', async () => {
    const h = harness();
    const first = await h.engine.startRun(
      flow({ root: { kind: 'linear', name: 'f', children: [echo('a'), echo('b'), echo('c'), echo('d')] } }),
    );
    expect(first.state).toBe('SUCCESS');
    const preview = await h.engine.previewOperation(first.runId, { type: 'revertAtom', atom: 'b' });
    expect(preview.atoms.map((a) => a.name)).toEqual(['b', 'c', 'd']);
    h.calls.length = 0;
    const { outcome } = await h.engine.operate(first.runId, { type: 'revertAtom', atom: 'b' });
    expect(outcome!.state).toBe('REVERTED');
    expect(h.calls.map((c) => `${c.fn}:${c.atom}`)).toEqual(['revert:d', 'revert:c', 'revert:b']);
    const loaded = await h.store.loadRun(first.runId);
    expect(loaded!.atoms.map((a) => a.state)).toEqual(['SUCCESS', 'REVERTED', 'REVERTED', 'REVERTED']);
  });

  it('retry from failure continues a REVERTED run; c (failTimes 1) now succeeds', async () => {
    const h = harness();
    const first = await h.engine.startRun(saga);
    const { outcome } = await h.engine.operate(first.runId, { type: 'retryFromFailure' });
    expect(outcome!.state).toBe('SUCCESS');
    expect(outcome!.results).toEqual({ x: 'a-result' });
  });

  it('revert run reverts every succeeded atom of a SUCCESS run', async () => {
    const h = harness();
    const first = await h.engine.startRun(flow({ root: { kind: 'unordered', name: 'u', children: [echo('a'), echo('b')] } }));
    h.calls.length = 0;
    const { outcome } = await h.engine.operate(first.runId, { type: 'revertRun' });
    expect(outcome!.state).toBe('REVERTED');
    expect(h.calls.map((c) => c.atom).sort()).toEqual(['a', 'b']);
  });

  it('mark success stores the given result and skip sets IGNORE; downstream then runs on retry', async () => {
    const h = harness();
    const first = await h.engine.startRun(
      flow({
        root: {
          kind: 'linear',
          name: 'f',
          children: [fail('a', {}, { provides: 'x' }), echo('b', { requires: ['x'], config: { pick: 'x' } })],
        },
      }),
    );
    expect(first.state).toBe('REVERTED');
    await h.engine.operate(first.runId, { type: 'markSuccess', atom: 'a', result: 42 });
    const { outcome } = await h.engine.operate(first.runId, { type: 'retryFromFailure' });
    expect(outcome!.state).toBe('SUCCESS');
    expect(h.calls.at(-1)).toEqual({ atom: 'b', fn: 'execute', args: { x: 42 } });

    const second = await h.engine.startRun(flow({ id: 'second', root: { kind: 'linear', name: 'f', children: [fail('a'), echo('b')] } }));
    await h.engine.operate(second.runId, { type: 'skip', atom: 'a' });
    const retried = await h.engine.operate(second.runId, { type: 'retryFromFailure' });
    expect(retried.outcome!.state).toBe('SUCCESS');
    expect((await h.store.loadRun(second.runId))!.atoms.map((a) => a.state)).toEqual(['IGNORE', 'SUCCESS']);
  });

  it('refuses operations the state does not allow, with the reason', async () => {
    const h = harness();
    const ok = await h.engine.startRun(flow({ root: { kind: 'linear', name: 'f', children: [echo('a')] } }));
    const p = await h.engine.previewOperation(ok.runId, { type: 'retryFromFailure' });
    expect(p).toMatchObject({ allowed: false, reason: 'the run is SUCCESS: only a FAILURE, REVERTED or CANCELLED run can be retried' });
    await expect(h.engine.operate(ok.runId, { type: 'markSuccess', atom: 'nope', result: 1 })).rejects.toBeInstanceOf(
      OperationNotAllowedError,
    );
    await expect(h.engine.operate(ok.runId, { type: 'revertAtom', atom: 'a' })).resolves.toBeDefined();
    await expect(h.engine.operate(ok.runId, { type: 'revertAtom', atom: 'a' })).rejects.toThrow(/"a" is REVERTED/);
  });

  it('cancel aborts running atoms and ends CANCELLED; suspend stops after atoms in flight', async () => {
    const h = harness();
    const def = flow({
      root: { kind: 'linear', name: 'f', children: [{ name: 's', type: 'test.sleep', config: { ms: 5000 } }, echo('after')] },
    });
    const run = await h.engine.createRun(def);
    const done = h.engine.resumeRun(run.id);
    await new Promise((r) => setTimeout(r, 30));
    await h.engine.operate(run.id, { type: 'cancel' });
    const out = await done;
    expect(out.state).toBe('CANCELLED');
    const s = (await h.store.loadRun(run.id))!.atoms[0]!;
    expect([s.state, s.failure?.type]).toEqual(['FAILURE', 'CancelledError']);
    expect(h.calls).toEqual([]);

    const run2 = await h.engine.createRun(
      flow({
        id: 'short-sleep',
        root: { kind: 'linear', name: 'f', children: [{ name: 's', type: 'test.sleep', config: { ms: 50 } }, echo('after')] },
      }),
    );
    const done2 = h.engine.resumeRun(run2.id);
    await new Promise((r) => setTimeout(r, 10));
    expect(h.engine.suspendRun(run2.id)).toBe(true);
    const out2 = await done2;
    expect(out2.state).toBe('SUSPENDED');
    expect(h.trace(run2.id).slice(-3)).toEqual(['flow:RUNNING>SUSPENDING', 's:RUNNING>SUCCESS', 'flow:SUSPENDING>SUSPENDED']);
    const out3 = await h.engine.operate(run2.id, { type: 'resume' });
    expect(out3.outcome!.state).toBe('SUCCESS');
  });
});
