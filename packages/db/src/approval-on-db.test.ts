import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AtomRegistry, AwaitApproval, Engine, Worker, type AnyAtomDefinition, type WorkStore } from '@atomflow/engine';
import { parseFlowDefinitionOrThrow, type AtomDetail, type FlowDefinition } from '@atomflow/model';
import { afterAll, describe, expect, it } from 'vitest';

import { openDatabase, type OpenedPglite } from './open.js';

/*
 * Approval gates on PGlite with workers: a waiting gate holds no lease, survives the database
 * and the worker being restarted, and the approve / reject commands resume the run — applied to
 * the parked run by the worker that claims it, or mid-run by the worker executing it.
 */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Calls {
  entered: string[];
  executed: string[];
  reverted: string[];
}

function registry(calls: Calls): AtomRegistry {
  const gate: AnyAtomDefinition = {
    type: 'gate',
    version: 1,
    execute(_inputs, ctx) {
      calls.entered.push(ctx.atom);
      throw new AwaitApproval();
    },
  };
  const echo: AnyAtomDefinition = {
    type: 'echo',
    version: 1,
    inputNames: () => ({ required: [], optional: {} }),
    execute(_inputs, ctx) {
      calls.executed.push(ctx.atom);
      return `${ctx.atom}-result`;
    },
    revert(_inputs, ctx) {
      calls.reverted.push(ctx.atom);
    },
  };
  const sleep: AnyAtomDefinition = {
    type: 'sleep',
    version: 1,
    async execute(_inputs, ctx) {
      await new Promise((r) => setTimeout(r, ctx.config['ms'] as number));
      calls.executed.push(ctx.atom);
      return null;
    },
  };
  return new AtomRegistry([gate, echo, sleep]);
}

const gated: FlowDefinition = parseFlowDefinitionOrThrow({
  id: 'gated',
  root: {
    kind: 'linear',
    name: 'root',
    children: [
      { name: 'a', type: 'echo' },
      { name: 'g', type: 'gate', provides: 'decision' },
      { name: 'b', type: 'echo' },
    ],
  },
});

async function until(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function startWorker(store: WorkStore, calls: Calls, owner: string): Worker {
  const engine = new Engine({ store, registry: registry(calls), owner, holdTimersUpToMs: 1000 });
  const worker = new Worker({ engine, store, owner, leaseTtlMs: 2000, pollMs: 10 });
  worker.start();
  return worker;
}

const atomOf = async (store: WorkStore, runId: string, name: string): Promise<AtomDetail> =>
  (await store.loadRun(runId))!.atoms.find((a) => a.name === name)!;

async function parkedRun(opened: OpenedPglite, calls: Calls): Promise<string> {
  const run = await new Engine({ store: opened.store, registry: registry(calls) }).createRun(gated);
  const worker = startWorker(opened.store, calls, 'w1');
  try {
    await until(async () => (await opened.store.loadRun(run.id))?.flow.state === 'WAITING', 'the run to park');
    await until(async () => (await opened.store.leaseOf(run.id)) === undefined, 'the lease to be given back');
  } finally {
    await worker.stop();
  }
  return run.id;
}

describe('approval gates on PGlite', () => {
  it('a waiting gate survives a restart of the database and the worker; approve resumes the run', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'atomflow-approval-'));
    dirs.push(dataDir);
    const calls: Calls = { entered: [], executed: [], reverted: [] };
    let opened = await openDatabase({ dataDir });
    const runId = await parkedRun(opened, calls);
    expect(await atomOf(opened.store, runId, 'g')).toMatchObject({ state: 'WAITING', waitReason: 'approval', wakeAt: null });
    await opened.close();

    // the process restarts: a new worker finds nothing to do for the parked run
    opened = await openDatabase({ dataDir });
    const store = opened.store;
    const worker = startWorker(store, calls, 'w2');
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(await store.leaseOf(runId)).toBeUndefined();
      expect(calls.entered).toEqual(['g']);
      expect((await store.loadRun(runId))!.flow.state).toBe('WAITING');

      const command = await store.enqueueCommand(runId, { type: 'approve', atom: 'g', value: { amount: 7 }, by: 'ann@example.com' });
      await until(async () => (await store.loadRun(runId))?.flow.state === 'SUCCESS', 'the approved run to finish');
      await until(async () => (await store.getCommand(command.id))?.outcome !== null, 'the command to be completed');
      expect((await store.getCommand(command.id))!.outcome).toMatchObject({ ok: true, resumes: true });
    } finally {
      await worker.stop();
    }
    expect(calls.entered).toEqual(['g']);
    expect(calls.executed).toEqual(['a', 'b']);
    expect(await atomOf(store, runId, 'g')).toMatchObject({ state: 'SUCCESS', result: { amount: 7 }, waitReason: null });
    const events = await store.events(runId);
    expect(events.find((e) => e.kind === 'operation')!.data).toMatchObject({ type: 'approve', by: 'ann@example.com' });
    await opened.close();
  });

  it('reject fails the gate with ApprovalRejected and reverts what ran before it', async () => {
    const calls: Calls = { entered: [], executed: [], reverted: [] };
    const opened = await openDatabase({ dataDir: 'memory://' });
    try {
      const runId = await parkedRun(opened, calls);
      const store = opened.store;
      const worker = startWorker(store, calls, 'w3');
      try {
        const command = await store.enqueueCommand(runId, { type: 'reject', atom: 'g', reason: 'no budget', by: 'bob@example.com' });
        await until(async () => (await store.loadRun(runId))?.flow.state === 'REVERTED', 'the rejected run to revert');
        await until(async () => (await store.getCommand(command.id))?.outcome !== null, 'the command to be completed');
      } finally {
        await worker.stop();
      }
      const loaded = (await store.loadRun(runId))!;
      expect(loaded.flow.failure).toMatchObject({
        type: 'ApprovalRejected',
        message: 'approval of "g" rejected by bob@example.com: no budget',
      });
      expect(loaded.atoms.map((a) => `${a.name}:${a.state}`).sort()).toEqual(['a:REVERTED', 'b:PENDING', 'g:REVERTED']);
      expect(calls.reverted).toEqual(['a']);
      // a second decision is refused: the gate no longer waits
      const late = await store.enqueueCommand(runId, { type: 'approve', atom: 'g' });
      const again = startWorker(store, calls, 'w4');
      try {
        await until(async () => (await store.getCommand(late.id))?.outcome !== null, 'the late command to be completed');
      } finally {
        await again.stop();
      }
      expect((await store.getCommand(late.id))!.outcome).toMatchObject({
        ok: false,
        error: expect.stringMatching(/not waiting for approval/),
      });
    } finally {
      await opened.close();
    }
  });

  it('an approve queued while a worker executes the run is applied mid-run by that worker', async () => {
    const calls: Calls = { entered: [], executed: [], reverted: [] };
    const opened = await openDatabase({ dataDir: 'memory://' });
    const store = opened.store;
    try {
      const def = parseFlowDefinitionOrThrow({
        id: 'mid-run',
        root: {
          kind: 'graph',
          name: 'root',
          children: [
            { name: 'g', type: 'gate', provides: 'ok' },
            { name: 's', type: 'sleep', config: { ms: 1500 } },
            { name: 'after', type: 'echo', requires: ['ok'] },
          ],
        },
      });
      const run = await new Engine({ store, registry: registry(calls) }).createRun(def);
      const worker = startWorker(store, calls, 'w5');
      try {
        await until(async () => (await atomOf(store, run.id, 'g')).state === 'WAITING', 'the gate to wait');
        const command = await store.enqueueCommand(run.id, { type: 'approve', atom: 'g' });
        await until(async () => (await atomOf(store, run.id, 'after')).state === 'SUCCESS', 'the atom after the gate');
        // applied while the sleep still runs, by the worker holding the run
        expect((await atomOf(store, run.id, 's')).state).toBe('RUNNING');
        expect((await store.leaseOf(run.id))?.owner).toBe('w5');
        expect((await store.getCommand(command.id))!.outcome).toMatchObject({ ok: true });
        await until(async () => (await store.loadRun(run.id))?.flow.state === 'SUCCESS', 'the run to finish');
      } finally {
        await worker.stop();
      }
      expect(await atomOf(store, run.id, 'g')).toMatchObject({ state: 'SUCCESS', result: { approved: true } });
    } finally {
      await opened.close();
    }
  });
});
