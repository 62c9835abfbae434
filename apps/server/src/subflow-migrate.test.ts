import type { FlowDefinitionInput } from '@atomflow/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from './server.js';
import { codeOf, linearFlow, signedIn, startTestServer, type TestClient, waitForRunState } from './testing/harness.js';

let server: RunningServer;
let admin: TestClient;

beforeAll(async () => {
  server = await startTestServer({ livePollMs: 1000 });
  admin = await signedIn(server.url);
});
afterAll(() => server?.close());

/** inner: `ok` succeeds; `step` fails (and its revert too: the run stops FAILURE) unless fixed. */
const inner = (id: string, fixed: boolean): FlowDefinitionInput =>
  linearFlow(id, [
    { name: 'ok', type: 'test.echo', config: { value: 1 }, provides: 'one' },
    fixed
      ? { name: 'step', type: 'test.echo', config: { value: 2 }, requires: ['one'] }
      : { name: 'step', type: 'test.fail', config: { revertFails: true }, requires: ['one'] },
  ]);

const outer = (id: string, innerId: string, more: unknown[] = []): FlowDefinitionInput =>
  linearFlow(id, [
    { name: 'first', type: 'test.echo', config: { value: 0 } },
    { name: 'sub', type: 'subflow', config: { flowId: innerId } },
    ...more,
  ]);

/** A failed run of `<prefix>-outer` (its subflow's `step` failed), with the flows saved. */
async function failedRun(prefix: string): Promise<string> {
  await admin.trpc.flows.create.mutate({ definition: inner(`${prefix}-inner`, false) });
  await admin.trpc.flows.create.mutate({ definition: outer(`${prefix}-outer`, `${prefix}-inner`) });
  const run = await admin.trpc.runs.start.mutate({ flowId: `${prefix}-outer` });
  expect(run).toMatchObject({ flowId: `${prefix}-outer.expanded`, revision: 1 });
  expect(await waitForRunState(admin.trpc, run.id, ['SUCCESS', 'FAILURE', 'REVERTED'])).toBe('FAILURE');
  return run.id;
}

describe('migrating a run of a flow with subflows', () => {
  it("offers the source flow's newer revisions; migrating re-expands, continues the run to SUCCESS and keeps what succeeded", async () => {
    const runId = await failedRun('sm');
    // nothing newer yet: the source flow's revisions are the targets, from the one the run expanded
    expect(await admin.trpc.runs.migrateTargets.query({ runId })).toEqual({ flowId: 'sm-outer', subflows: true, from: 1, revisions: [] });

    // the fix lands in the subflow; the outer flow gets a new revision too (an atom after the subflow)
    await admin.trpc.flows.saveRevision.mutate({ flowId: 'sm-inner', baseRevision: 1, definition: inner('sm-inner', true) });
    await admin.trpc.flows.saveRevision.mutate({
      flowId: 'sm-outer',
      baseRevision: 1,
      definition: outer('sm-outer', 'sm-inner', [{ name: 'last', type: 'test.echo', config: { value: 3 } }]),
    });
    const targets = await admin.trpc.runs.migrateTargets.query({ runId });
    // r2, and r1 again (its subflow has a new revision since the run started)
    expect(targets).toMatchObject({ flowId: 'sm-outer', subflows: true, from: 1, revisions: [{ revision: 2 }, { revision: 1 }] });

    // the preview diffs the run's expansion with the expansion of sm-outer r2 (nothing saved yet)
    const preview = await admin.trpc.runs.migratePreview.query({ runId, revision: 2, source: true });
    expect(preview).toMatchObject({
      from: 1,
      to: 2,
      source: { flowId: 'sm-outer', revision: 2 },
      allowed: true,
      reason: null,
      problems: [],
    });
    expect(preview.definition.id).toBe('sm-outer.expanded');
    expect(preview.diff.versionChanged.map((v) => v.name)).toEqual(['sub.step']);
    expect(preview.diff.added.map((a) => a.name)).toEqual(['last']);
    expect(preview.diff.unchanged.map((a) => a.name).sort()).toEqual(['first', 'sub.ok']);
    await expect(admin.trpc.flows.get.query({ flowId: 'sm-outer.expanded', revision: 2 })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });

    const eventsBefore = await admin.trpc.runs.events.query({ runId });
    const queued = await admin.trpc.runs.migrate.mutate({ runId, revision: 2, source: true });
    expect(queued).toMatchObject({ from: 1, to: 2, source: { flowId: 'sm-outer', revision: 2 } });
    expect(queued.diff).toEqual(preview.diff);
    expect(queued.command.op).toMatchObject({ type: 'migrate', revision: 2, resume: true });
    expect(await waitForRunState(admin.trpc, runId, ['SUCCESS', 'FAILURE', 'REVERTED'])).toBe('SUCCESS');
    expect((await admin.trpc.runs.command.query({ id: queued.command.id })).outcome).toMatchObject({ ok: true, from: 1, to: 2 });

    const got = await admin.trpc.runs.get.query({ runId });
    // still a run of the companion, now of its new revision: the expansion of sm-outer r2
    expect(got.run).toMatchObject({ flowId: 'sm-outer.expanded', revision: 2, state: 'SUCCESS' });
    expect(got.definition.name).toBe('sm-outer (expanded: revision 2 with its subflows)');
    expect(got.atoms.map((a) => [a.name, a.state, a.attempts])).toEqual([
      ['first', 'SUCCESS', 1],
      ['last', 'SUCCESS', 1],
      ['sub.ok', 'SUCCESS', 1],
      ['sub.step', 'SUCCESS', 1],
    ]);
    // what succeeded before the migration did not run again: no new RUNNING event for it
    const after = (await admin.trpc.runs.events.query({ runId, afterSeq: eventsBefore.at(-1)!.seq })).filter(
      (e) => e.kind === 'atom' && e.to === 'RUNNING',
    );
    expect(after.map((e) => e.atom).sort()).toEqual(['last', 'sub.step']);

    // a run started now reuses the companion revision the migration saved
    const next = await admin.trpc.runs.start.mutate({ flowId: 'sm-outer' });
    expect(next).toMatchObject({ flowId: 'sm-outer.expanded', revision: 2 });
    await waitForRunState(admin.trpc, next.id, ['SUCCESS']);
    // and the migrated run has nothing newer to go to
    expect((await admin.trpc.runs.migrateTargets.query({ runId })).revisions).toEqual([]);
  });

  it("a fix only in the subflow: the run's own source revision, expanded again with it, is the target", async () => {
    const runId = await failedRun('si');
    await admin.trpc.flows.saveRevision.mutate({ flowId: 'si-inner', baseRevision: 1, definition: inner('si-inner', true) });
    expect(await admin.trpc.runs.migrateTargets.query({ runId })).toMatchObject({
      flowId: 'si-outer',
      from: 1,
      revisions: [{ revision: 1 }],
    });
    const preview = await admin.trpc.runs.migratePreview.query({ runId, revision: 1, source: true });
    expect(preview).toMatchObject({ from: 1, to: 2, source: { flowId: 'si-outer', revision: 1 }, allowed: true });
    expect(preview.diff.versionChanged.map((v) => v.name)).toEqual(['sub.step']);
    expect(preview.diff.added).toEqual([]);
    const queued = await admin.trpc.runs.migrate.mutate({ runId, revision: 1, source: true });
    expect(queued.to).toBe(2);
    expect(await waitForRunState(admin.trpc, runId, ['SUCCESS', 'FAILURE', 'REVERTED'])).toBe('SUCCESS');
    const got = await admin.trpc.runs.get.query({ runId });
    expect(got.run).toMatchObject({ flowId: 'si-outer.expanded', revision: 2 });
    expect(got.atoms.map((a) => [a.name, a.state, a.attempts])).toEqual([
      ['first', 'SUCCESS', 1],
      ['sub.ok', 'SUCCESS', 1],
      ['sub.step', 'SUCCESS', 1],
    ]);
    // now it runs that expansion: nothing to migrate to, and migrating to it again is refused
    expect((await admin.trpc.runs.migrateTargets.query({ runId })).revisions).toEqual([]);
    const again = await codeOf(admin.trpc.runs.migrate.mutate({ runId, revision: 1, source: true }));
    expect([again.code, again.message]).toEqual(['PRECONDITION_FAILED', expect.stringMatching(/already runs revision 2|SUCCESS/)]);
  });

  it('a viewer may look but not migrate; a bad revision is a clear 4xx', async () => {
    const runId = await failedRun('sb');
    await admin.trpc.flows.saveRevision.mutate({ flowId: 'sb-inner', baseRevision: 1, definition: inner('sb-inner', true) });
    await admin.trpc.flows.saveRevision.mutate({ flowId: 'sb-outer', baseRevision: 1, definition: outer('sb-outer', 'sb-inner') });

    await admin.trpc.users.create.mutate({ email: 'sb-viewer@example.com', name: 'V', role: 'viewer', password: 'long-enough-pass' });
    const viewer = await signedIn(server.url, 'sb-viewer@example.com', 'long-enough-pass');
    // r2, and r1 again: its subflow has a new revision since the run started
    expect((await viewer.trpc.runs.migrateTargets.query({ runId })).revisions.map((r) => r.revision)).toEqual([2, 1]);
    expect((await viewer.trpc.runs.migratePreview.query({ runId, revision: 2, source: true })).allowed).toBe(true);
    expect((await codeOf(viewer.trpc.runs.migrate.mutate({ runId, revision: 2, source: true }))).code).toBe('FORBIDDEN');

    // no such source revision
    const missing = await codeOf(admin.trpc.runs.migrate.mutate({ runId, revision: 9, source: true }));
    expect([missing.code, missing.message]).toEqual(['NOT_FOUND', 'flow sb-outer has no revision 9']);
    // a revision whose subflow is missing: the expansion's problems, with their paths
    await admin.trpc.flows.saveRevision.mutate({ flowId: 'sb-outer', baseRevision: 2, definition: outer('sb-outer', 'sb-nowhere') });
    const broken = await codeOf(admin.trpc.runs.migrate.mutate({ runId, revision: 3, source: true }));
    expect(broken.code).toBe('BAD_REQUEST');
    expect(broken.data['problems']).toEqual([expect.objectContaining({ path: expect.stringContaining('config.flowId') as string })]);
    // a revision without subflows is not a run of the companion
    await admin.trpc.flows.saveRevision.mutate({ flowId: 'sb-outer', baseRevision: 3, definition: inner('sb-outer', true) });
    const plain = await codeOf(admin.trpc.runs.migratePreview.query({ runId, revision: 4, source: true }));
    expect([plain.code, plain.data['problems']]).toEqual(['BAD_REQUEST', [expect.objectContaining({ path: 'revision' })]]);
    // `source` on a run without subflows
    await admin.trpc.flows.create.mutate({ definition: inner('sb-plain', false) });
    const run = await admin.trpc.runs.start.mutate({ flowId: 'sb-plain' });
    await waitForRunState(admin.trpc, run.id, ['FAILURE']);
    const notSub = await codeOf(admin.trpc.runs.migrate.mutate({ runId: run.id, revision: 1, source: true }));
    expect([notSub.code, notSub.data['problems']]).toEqual(['BAD_REQUEST', [expect.objectContaining({ path: 'source' })]]);
    expect(await admin.trpc.runs.migrateTargets.query({ runId: run.id })).toEqual({
      flowId: 'sb-plain',
      subflows: false,
      from: 1,
      revisions: [],
    });
    // the run was left alone by all of that
    expect((await admin.trpc.runs.get.query({ runId })).run).toMatchObject({ flowId: 'sb-outer.expanded', revision: 1, state: 'FAILURE' });
  });
});
