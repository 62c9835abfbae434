import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from './server.js';
import { collectRun, isRunEnd } from './testing/collect.js';
import { codeOf, echoFlow, linearFlow, signedIn, startTestServer, type TestClient, waitFor, waitForRunState } from './testing/harness.js';

let server: RunningServer;
let c: TestClient;

beforeAll(async () => {
  server = await startTestServer({ livePollMs: 1000 });
  c = await signedIn(server.url);
  await c.trpc.flows.create.mutate({ definition: echoFlow('echo') });
});
afterAll(() => server?.close());

describe('runs', () => {
  it('start records a PENDING run that the worker executes to SUCCESS; get shows atoms and events', async () => {
    const run = await c.trpc.runs.start.mutate({ flowId: 'echo' });
    expect(run).toMatchObject({ flowId: 'echo', revision: 1, meta: { startedBy: 'admin@localhost' } });
    expect(['PENDING', 'RUNNING', 'SUCCESS']).toContain(run.state);
    await waitForRunState(c.trpc, run.id, ['SUCCESS']);
    const got = await c.trpc.runs.get.query({ runId: run.id });
    expect(got.atoms.map((a) => [a.name, a.state, a.result])).toEqual([
      ['a', 'SUCCESS', 1],
      ['b', 'SUCCESS', { x: 1 }],
    ]);
    expect(got.atomStates).toEqual({ SUCCESS: 2 });
    expect(got.definition.id).toBe('echo');
    const events = await c.trpc.runs.events.query({ runId: run.id });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)).toMatchObject({ kind: 'flow', to: 'SUCCESS' });
    expect(await c.trpc.runs.events.query({ runId: run.id, afterSeq: events.length - 1 })).toEqual([events.at(-1)]);
  });

  it('start checks inputs against what the flow requires, and refuses a flow with problems', async () => {
    await c.trpc.flows.create.mutate({ definition: linearFlow('needs-input', [{ name: 'a', type: 'test.echo', requires: ['order'] }]) });
    const missing = await codeOf(c.trpc.runs.start.mutate({ flowId: 'needs-input' }));
    expect(missing.code).toBe('BAD_REQUEST');
    expect(missing.data['missingInputs']).toEqual(['order']);
    const run = await c.trpc.runs.start.mutate({ flowId: 'needs-input', inputs: { order: 7 } });
    await waitForRunState(c.trpc, run.id, ['SUCCESS']);

    await c.trpc.flows.create.mutate({ definition: linearFlow('broken', [{ name: 'a', type: 'no.such.type' }]) });
    const broken = await codeOf(c.trpc.runs.start.mutate({ flowId: 'broken' }));
    expect(broken.code).toBe('BAD_REQUEST');
    expect(broken.data['problems']).toEqual([expect.objectContaining({ code: 'unknown-atom-type', path: 'root.children.0.type' })]);
    expect((await codeOf(c.trpc.runs.start.mutate({ flowId: 'nope' }))).code).toBe('NOT_FOUND');
    expect((await codeOf(c.trpc.runs.get.query({ runId: 'nope' }))).code).toBe('NOT_FOUND');
  });

  it('a failed run is retried from its failure through the commands queue', async () => {
    await c.trpc.flows.create.mutate({
      definition: linearFlow('flaky', [
        { name: 'a', type: 'test.echo', config: { value: 1 } },
        { name: 'b', type: 'test.fail', config: { failTimes: 1, value: 'ok' } },
      ]),
    });
    const run = await c.trpc.runs.start.mutate({ flowId: 'flaky' });
    const ended = await waitForRunState(c.trpc, run.id, ['FAILURE', 'REVERTED']);
    const preview = await c.trpc.runs.preview.query({ runId: run.id, op: { type: 'retryFromFailure' } });
    expect(preview).toMatchObject({ allowed: true, resumes: true });
    expect(preview.atoms.map((a) => a.name)).toEqual(expect.arrayContaining(['b']));

    const { command } = await c.trpc.runs.operate.mutate({ runId: run.id, op: { type: 'retryFromFailure', by: 'someone else' } });
    expect(command).toMatchObject({ runId: run.id, appliedAt: null, op: { type: 'retryFromFailure', by: 'admin@localhost' } });
    await waitForRunState(c.trpc, run.id, ['SUCCESS']);
    const applied = await c.trpc.runs.command.query({ id: command.id });
    expect(applied.appliedAt).not.toBeNull();
    expect(applied.outcome).toMatchObject({ ok: true });
    const events = await c.trpc.runs.events.query({ runId: run.id });
    expect(events.find((e) => e.kind === 'operation')).toMatchObject({ to: 'retryFromFailure', data: { by: 'admin@localhost' } });
    expect(events.filter((e) => e.kind === 'flow').map((e) => e.to)).toEqual(expect.arrayContaining([ended, 'SUCCESS']));
  });

  it('an operation the run does not allow is refused with the reason (412) and nothing is queued', async () => {
    const run = await c.trpc.runs.start.mutate({ flowId: 'echo' });
    await waitForRunState(c.trpc, run.id, ['SUCCESS']);
    const preview = await c.trpc.runs.preview.query({ runId: run.id, op: { type: 'retryFromFailure' } });
    expect(preview.allowed).toBe(false);
    const refused = await codeOf(c.trpc.runs.operate.mutate({ runId: run.id, op: { type: 'retryFromFailure' } }));
    expect(refused.code).toBe('PRECONDITION_FAILED');
    expect(refused.message).toBe(
      'retryFromFailure is not allowed: the run is SUCCESS: only a FAILURE, REVERTED or CANCELLED run can be retried',
    );
    expect((await c.trpc.runs.get.query({ runId: run.id })).pendingCommands).toEqual([]);
    expect((await codeOf(c.trpc.runs.operate.mutate({ runId: run.id, op: { type: 'retryAtom', atom: 'nope' } }))).code).toBe(
      'PRECONDITION_FAILED',
    );
  });

  it('cancels a running run: its atom is aborted and the run ends CANCELLED', async () => {
    await c.trpc.flows.create.mutate({
      definition: linearFlow('slow', [
        { name: 's', type: 'test.sleep', config: { ms: 60_000 } },
        { name: 't', type: 'test.echo' },
      ]),
    });
    const run = await c.trpc.runs.start.mutate({ flowId: 'slow' });
    await waitFor('s to run', async () =>
      (await c.trpc.runs.get.query({ runId: run.id })).atoms.find((a) => a.name === 's')?.state === 'RUNNING' ? true : undefined,
    );
    // executing elsewhere: operations that need a stopped run are refused
    expect((await c.trpc.runs.preview.query({ runId: run.id, op: { type: 'skip', atom: 't' } })).reason).toBe(
      'the run is executing; suspend it first',
    );
    const started = Date.now();
    await c.trpc.runs.operate.mutate({ runId: run.id, op: { type: 'cancel' } });
    await waitForRunState(c.trpc, run.id, ['CANCELLED']);
    expect(Date.now() - started).toBeLessThan(10_000);
    const got = await c.trpc.runs.get.query({ runId: run.id });
    expect(got.atoms.find((a) => a.name === 't')?.state).toBe('PENDING');
  });

  it('migrates a failed run to a fixed revision after showing the diff: queued for the worker, then continued; kept atoms do not run again', async () => {
    await c.trpc.flows.create.mutate({
      definition: linearFlow('mig', [
        { name: 'a', type: 'test.echo', config: { value: 1 } },
        { name: 'b', type: 'test.fail', config: { revertFails: true } },
      ]),
    });
    const run = await c.trpc.runs.start.mutate({ flowId: 'mig' });
    await waitForRunState(c.trpc, run.id, ['FAILURE']);
    expect((await codeOf(c.trpc.runs.migrate.mutate({ runId: run.id, revision: 1 }))).message).toMatch(/already runs revision 1/);
    await c.trpc.flows.saveRevision.mutate({
      flowId: 'mig',
      baseRevision: 1,
      definition: linearFlow('mig', [
        { name: 'a', type: 'test.echo', config: { value: 1 } },
        { name: 'b', type: 'test.echo', config: { value: 2 } },
      ]),
    });
    const preview = await c.trpc.runs.migratePreview.query({ runId: run.id, revision: 2 });
    expect(preview).toMatchObject({ from: 1, to: 2, allowed: true, reason: null });
    expect(preview.diff.versionChanged.map((v) => v.name)).toEqual(['b']);
    const queued = await c.trpc.runs.migrate.mutate({ runId: run.id, revision: 2 });
    expect(queued.diff).toEqual(preview.diff);
    expect(queued.command.op).toMatchObject({ type: 'migrate', revision: 2, resume: true, by: 'admin@localhost' });
    await waitForRunState(c.trpc, run.id, ['SUCCESS']);
    const done = await c.trpc.runs.command.query({ id: queued.command.id });
    expect(done.outcome).toMatchObject({ ok: true, from: 1, to: 2, versionChanged: ['b'], continuedWith: 'retryFromFailure' });
    const got = await c.trpc.runs.get.query({ runId: run.id });
    expect(got.run.revision).toBe(2);
    expect(got.atoms.map((a) => [a.name, a.state, a.attempts, a.result])).toEqual([
      ['a', 'SUCCESS', 1, 1],
      ['b', 'SUCCESS', 1, 2],
    ]);
    const refused = await codeOf(c.trpc.runs.migrate.mutate({ runId: run.id, revision: 1 }));
    expect([refused.code, refused.message]).toEqual([
      'PRECONDITION_FAILED',
      expect.stringMatching(/SUCCESS: only a suspended, waiting or failed run/),
    ]);
    expect((await c.trpc.runs.migratePreview.query({ runId: run.id, revision: 1 })).allowed).toBe(false);
    await c.trpc.runs.operate.mutate({ runId: run.id, op: { type: 'revertRun' } });
    await waitForRunState(c.trpc, run.id, ['REVERTED']);
    expect((await codeOf(c.trpc.runs.migrate.mutate({ runId: run.id, revision: 9 }))).code).toBe('NOT_FOUND');
  });

  it('lists runs newest first with state/flow/time filters and cursor pagination', async () => {
    await c.trpc.flows.create.mutate({ definition: echoFlow('listed') });
    const since = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await c.trpc.runs.start.mutate({ flowId: 'listed' })).id);
    for (const id of ids) await waitForRunState(c.trpc, id, ['SUCCESS']);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await c.trpc.runs.list.query({ flowId: 'listed', limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((r) => r.id));
      expect(page.items.every((r) => r.atomTotal === 2 && r.atomStates.SUCCESS === 2)).toBe(true);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await c.trpc.runs.list.query({ flowId: 'listed', states: ['FAILURE'] })).items).toEqual([]);
    expect((await c.trpc.runs.list.query({ flowId: 'listed', createdAfter: since })).items).toHaveLength(5);
    expect((await c.trpc.runs.list.query({ flowId: 'listed', createdBefore: since })).items).toHaveLength(0);
  });
});

describe('live', () => {
  it('live.run delivers every event in order, backfilled then live', async () => {
    await c.trpc.flows.create.mutate({
      definition: linearFlow(
        'ticking',
        Array.from({ length: 6 }, (_, i) => ({ name: `s${i}`, type: 'test.sleep', config: { ms: 30 } })),
      ),
    });
    const run = await c.trpc.runs.start.mutate({ flowId: 'ticking' });
    const live = collectRun(c.trpc, run.id);
    await live.until(isRunEnd(['SUCCESS']));
    live.stop();
    const stored = await c.trpc.runs.events.query({ runId: run.id });
    expect(live.events).toEqual(stored);
    expect(live.events.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
  });

  it('live.run resumes after a dropped connection from the last event id: no gap, no duplicate', async () => {
    await c.trpc.flows.create.mutate({
      definition: linearFlow(
        'long',
        Array.from({ length: 40 }, (_, i) => ({ name: `s${i}`, type: 'test.sleep', config: { ms: 100 } })),
      ),
    });
    const run = await c.trpc.runs.start.mutate({ flowId: 'long' });
    const live = collectRun(c.trpc, run.id);
    await live.until((e) => e.seq >= 10);
    // the network drops: every connection to the server is cut, events keep being committed
    server.http.closeAllConnections();
    const cutAt = live.events.length;
    await live.until(isRunEnd(['SUCCESS']), 30_000);
    live.stop();
    const stored = await c.trpc.runs.events.query({ runId: run.id });
    expect(live.events.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
    expect(live.events).toEqual(stored);
    expect(cutAt).toBeLessThan(stored.length - 5);
    expect(live.states.filter((s) => s === 'connecting').length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('live.run with a lastEventId starts right after it; an unknown run is NOT_FOUND', async () => {
    const run = await c.trpc.runs.start.mutate({ flowId: 'echo' });
    await waitForRunState(c.trpc, run.id, ['SUCCESS']);
    const live = collectRun(c.trpc, run.id, '3');
    await live.until(isRunEnd(['SUCCESS']));
    live.stop();
    expect(live.events[0]!.seq).toBe(4);
    const missing = collectRun(c.trpc, 'no-such-run');
    await expect(missing.until(() => false, 5000)).rejects.toThrow(/run no-such-run not found/);
    missing.stop();
  });

  it('live.runs sends run summaries as runs change', async () => {
    const summaries: Array<{ id: string; state: string; lastSeq: number }> = [];
    const sub = c.trpc.live.runs.subscribe({ flowId: 'echo' }, { onData: (env) => summaries.push(env.data) });
    await new Promise((r) => setTimeout(r, 300));
    const run = await c.trpc.runs.start.mutate({ flowId: 'echo' });
    await waitFor('a SUCCESS summary', async () => (summaries.some((s) => s.id === run.id && s.state === 'SUCCESS') ? true : undefined));
    sub.unsubscribe();
    const mine = summaries.filter((s) => s.id === run.id);
    // each summary is newer than the one before
    expect(mine.map((s) => s.lastSeq)).toEqual([...mine.map((s) => s.lastSeq)].sort((a, b) => a - b));
    expect(new Set(mine.map((s) => s.lastSeq)).size).toBe(mine.length);
  });

  it('live.runs resumed from its last event id sends the runs that changed while it was away', async () => {
    await c.trpc.flows.create.mutate({ definition: echoFlow('away') });
    const first: Array<{ id: string; run: string; state: string }> = [];
    const sub1 = c.trpc.live.runs.subscribe(
      { flowId: 'away' },
      { onData: (env) => first.push({ id: env.id, run: env.data.id, state: env.data.state }) },
    );
    await new Promise((r) => setTimeout(r, 300));
    const seen = await c.trpc.runs.start.mutate({ flowId: 'away' });
    await waitFor('the first run’s SUCCESS', async () =>
      first.some((s) => s.run === seen.id && s.state === 'SUCCESS') ? true : undefined,
    );
    sub1.unsubscribe();
    const missed = await c.trpc.runs.start.mutate({ flowId: 'away' });
    await waitForRunState(c.trpc, missed.id, ['SUCCESS']);
    const second: Array<{ run: string; state: string }> = [];
    const sub2 = c.trpc.live.runs.subscribe(
      { flowId: 'away', lastEventId: first.at(-1)!.id },
      { onData: (env) => second.push({ run: env.data.id, state: env.data.state }) },
    );
    await waitFor(
      'the missed run',
      async () => (second.some((s) => s.run === missed.id && s.state === 'SUCCESS') ? true : undefined),
      5000,
    );
    sub2.unsubscribe();
  });
});
