import { ValidationError, type AtomDetail } from '@atomflow/model';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import type { AnyAtomDefinition } from './atom-types.js';
import { Engine } from './engine.js';
import { AwaitApproval, OperationNotAllowedError } from './errors.js';
import { InMemoryStore } from './memory-store.js';
import { echo, fail, flow } from './testing/harness.js';
import { testRegistry } from './testing/test-atoms.js';

/** A gate: waits for a person; an approved value must be `{ amount: number }` when `needsAmount`. */
function gateAtom(entered: string[]): AnyAtomDefinition {
  return {
    type: 'test.gate',
    version: 1,
    config: z.object({ needsAmount: z.boolean().default(false) }),
    execute(_inputs, ctx) {
      entered.push(ctx.atom);
      throw new AwaitApproval();
    },
    approve(value: unknown, config: { needsAmount: boolean }) {
      if (!config.needsAmount) return value ?? { approved: true };
      const r = z.object({ amount: z.number() }).safeParse(value);
      if (!r.success)
        throw new ValidationError(
          r.error.issues.map((i) => ({ path: ['value', ...i.path].join('.'), code: 'schema', message: i.message })),
        );
      return r.data;
    },
  };
}

function setup(store = new InMemoryStore()) {
  const { registry, calls } = testRegistry();
  const entered: string[] = [];
  registry.register(gateAtom(entered));
  const engine = new Engine({ store, registry });
  return { engine, store, calls, entered };
}

const gate = (name: string, config: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  name,
  type: 'test.gate',
  config,
  ...extra,
});

const gated = flow({
  root: {
    kind: 'linear',
    name: 'f',
    children: [
      echo('a'),
      gate('g', { needsAmount: true }, { provides: 'decision' }),
      echo('b', { requires: ['decision'], config: { pick: 'decision' } }),
    ],
  },
});

const atom = async (store: InMemoryStore, runId: string, name: string): Promise<AtomDetail> =>
  (await store.loadRun(runId))!.atoms.find((a) => a.name === name)!;

describe('approval gates', () => {
  it('a gate parks the run WAITING with no wake-up time; approve stores the value and the run continues', async () => {
    const { engine, store, calls } = setup();
    const first = await engine.startRun(gated);
    expect(first.state).toBe('WAITING');
    expect(first.wakeAt).toBeUndefined();
    const g = await atom(store, first.runId, 'g');
    expect(g).toMatchObject({ state: 'WAITING', waitReason: 'approval', wakeAt: null });
    expect(await store.dueTimers(new Date(Date.now() + 86_400_000).toISOString())).toEqual([]);

    const preview = await engine.previewOperation(first.runId, { type: 'approve', atom: 'g', value: { amount: 5 } });
    expect(preview).toMatchObject({ allowed: true, resumes: true, atoms: [{ name: 'g', from: 'WAITING', to: 'SUCCESS' }] });

    const { outcome } = await engine.operate(first.runId, { type: 'approve', atom: 'g', value: { amount: 5 }, by: 'ann@example.com' });
    expect(outcome!.state).toBe('SUCCESS');
    expect(outcome!.results).toEqual({ decision: { amount: 5 } });
    expect(calls.filter((c) => c.fn === 'execute').map((c) => c.atom)).toEqual(['a', 'b']);
    expect((await atom(store, first.runId, 'g')).result).toEqual({ amount: 5 });
    const events = await store.events(first.runId);
    const op = events.find((e) => e.kind === 'operation')!;
    expect(op.data).toMatchObject({ type: 'approve', atom: 'g', by: 'ann@example.com' });
    expect(events.find((e) => e.atom === 'g' && e.to === 'SUCCESS')!.data).toMatchObject({ operation: 'approve', by: 'ann@example.com' });
  });

  it('an approved value the gate refuses is a ValidationError with field paths; nothing is recorded', async () => {
    const { engine, store } = setup();
    const { runId } = await engine.startRun(gated);
    const before = (await store.events(runId)).length;
    const error = await engine.operate(runId, { type: 'approve', atom: 'g', value: { amount: 'lots' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => p.path)).toEqual(['value.amount']);
    expect((await store.events(runId)).length).toBe(before);
    expect((await atom(store, runId, 'g')).state).toBe('WAITING');
  });

  it('a waiting gate survives a restart: resuming does not execute it again, and approve then continues', async () => {
    const store = new InMemoryStore();
    const one = setup(store);
    const { runId } = await one.engine.startRun(gated);
    expect(one.entered).toEqual(['g']);
    const two = setup(store);
    const resumed = await two.engine.resumeRun(runId);
    expect(resumed.state).toBe('WAITING');
    expect(two.entered).toEqual([]);
    expect(await atom(store, runId, 'g')).toMatchObject({ state: 'WAITING', waitReason: 'approval', attempts: 1 });
    const { outcome } = await two.engine.operate(runId, { type: 'approve', atom: 'g', value: { amount: 1 } });
    expect(outcome!.state).toBe('SUCCESS');
    expect(two.entered).toEqual([]);
  });

  it('reject fails the gate with ApprovalRejected and reverts like any failure (preview says what is reverted)', async () => {
    const { engine, store, calls } = setup();
    const { runId } = await engine.startRun(gated);
    const preview = await engine.previewOperation(runId, { type: 'reject', atom: 'g', reason: 'too much' });
    expect(preview.atoms.map((a) => `${a.name}:${a.from}>${a.to}:${a.intention}`)).toEqual([
      'g:WAITING>FAILURE:EXECUTE',
      'a:SUCCESS>SUCCESS:REVERT',
    ]);
    calls.length = 0;
    const { outcome } = await engine.operate(runId, { type: 'reject', atom: 'g', reason: 'too much', by: 'bob@example.com' });
    expect(outcome!.state).toBe('REVERTED');
    expect(outcome!.failure).toMatchObject({ type: 'ApprovalRejected', message: 'approval of "g" rejected by bob@example.com: too much' });
    expect(calls.map((c) => `${c.fn}:${c.atom}`)).toEqual(['revert:a']);
    const g = await atom(store, runId, 'g');
    expect(g.state).toBe('REVERTED');
  });

  it('a rejection recorded while parked (the worker path) is resolved when the run resumes', async () => {
    const { engine, store } = setup();
    const { runId } = await engine.startRun(gated);
    await engine.operate(runId, { type: 'reject', atom: 'g' }, { execute: false });
    expect(await atom(store, runId, 'g')).toMatchObject({ state: 'FAILURE', failure: { type: 'ApprovalRejected' } });
    const out = await setup(store).engine.resumeRun(runId);
    expect(out.state).toBe('REVERTED');
    expect((await store.loadRun(runId))!.atoms.map((a) => a.state)).toEqual(['REVERTED', 'REVERTED', 'PENDING']);
  });

  it("a rejection goes to the gate's retry controller: the gate is asked again", async () => {
    const { engine, store, entered } = setup();
    const def = flow({
      root: { kind: 'linear', name: 'f', retry: { kind: 'times', attempts: 2 }, children: [echo('a'), gate('g')] },
    });
    const { runId } = await engine.startRun(def);
    const { outcome } = await engine.operate(runId, { type: 'reject', atom: 'g', reason: 'not yet' });
    expect(outcome!.state).toBe('WAITING');
    expect(entered).toEqual(['g', 'g']);
    expect(await atom(store, runId, 'g')).toMatchObject({ state: 'WAITING', attempts: 2 });
    const done = await engine.operate(runId, { type: 'approve', atom: 'g' });
    expect(done.outcome!.state).toBe('SUCCESS');
    expect((await atom(store, runId, 'g')).result).toEqual({ approved: true });
  });

  it('approve / reject are refused with a typed error when the atom is not waiting for approval', async () => {
    const { engine } = setup();
    const { runId } = await engine.startRun(gated);
    await expect(engine.operate(runId, { type: 'approve', atom: 'a' })).rejects.toThrow(OperationNotAllowedError);
    await expect(engine.operate(runId, { type: 'reject', atom: 'nope' })).rejects.toThrow(/no atom named "nope"/);
    expect(await engine.previewOperation(runId, { type: 'reject', atom: 'b' })).toMatchObject({
      allowed: false,
      reason: '"b" is not waiting for approval (it is PENDING)',
    });
    await engine.operate(runId, { type: 'approve', atom: 'g', value: { amount: 2 } });
    await expect(engine.operate(runId, { type: 'approve', atom: 'g', value: { amount: 2 } })).rejects.toThrow(
      '"g" is not waiting for approval (it is SUCCESS)',
    );
  });

  it('a decision taken while another branch still runs is applied by the executor without stopping the run', async () => {
    const { engine, store } = setup();
    const def = flow({
      root: {
        kind: 'graph',
        name: 'f',
        children: [
          gate('g', {}, { provides: 'ok' }),
          { name: 's', type: 'test.sleep', config: { ms: 300 } },
          echo('after', { requires: ['ok'] }),
        ],
      },
    });
    const run = await engine.createRun(def);
    const running = engine.resumeRun(run.id);
    for (let i = 0; i < 100 && (await atom(store, run.id, 'g')).state !== 'WAITING'; i++) await new Promise((r) => setTimeout(r, 5));
    expect(engine.isActive(run.id)).toBe(true);
    const { preview, outcome } = await engine.operate(run.id, { type: 'approve', atom: 'g', by: 'ann' });
    expect(preview.allowed).toBe(true);
    expect(outcome).toBeUndefined();
    // recorded at once, while the sleep is still running
    expect((await atom(store, run.id, 'after')).state).not.toBe('PENDING');
    expect((await atom(store, run.id, 's')).state).toBe('RUNNING');
    expect((await running).state).toBe('SUCCESS');
  });

  it('cancelling a run resets its waiting gate', async () => {
    const { engine, store } = setup();
    const { runId } = await engine.startRun(gated);
    await engine.operate(runId, { type: 'cancel' });
    expect(await atom(store, runId, 'g')).toMatchObject({ state: 'PENDING', waitReason: null });
    await expect(engine.operate(runId, { type: 'approve', atom: 'g' })).rejects.toThrow(OperationNotAllowedError);
  });

  it('a failure elsewhere reverts a waiting gate too', async () => {
    const { engine, store } = setup();
    const def = flow({ root: { kind: 'unordered', name: 'u', children: [gate('g'), fail('x')] } });
    const out = await engine.startRun(def);
    expect(out.state).toBe('REVERTED');
    expect((await atom(store, out.runId, 'g')).state).toBe('REVERTED');
  });
});
