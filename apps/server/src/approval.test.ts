import type { FlowDefinitionInput } from '@atomflow/model';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from './server.js';
import { signedIn, startTestServer, waitFor, waitForRunState, type TestClient } from './testing/harness.js';

/*
 * Approval gates through the real server: runs.approve / runs.reject (operator), checked against
 * the gate's form, queued for the worker, which resumes the parked run.
 */

let server: RunningServer;
let admin: TestClient;
let viewer: TestClient;
const PASSWORD = 'a-long-enough-password';

const refund: FlowDefinitionInput = {
  id: 'refund',
  root: {
    kind: 'linear',
    name: 'root',
    children: [
      { name: 'prepare', type: 'test.echo', config: { value: 'prepared' } },
      {
        name: 'gate',
        type: 'approval',
        version: 1,
        config: {
          title: 'Approve the refund',
          instructions: 'Check the order first.',
          form: { type: 'object', properties: { amount: { type: 'number' }, note: { type: 'string' } }, required: ['amount'] },
        },
        provides: 'decision',
      },
      { name: 'pay', type: 'test.echo', requires: ['decision'], config: { pick: 'decision' } },
    ],
  },
};

beforeAll(async () => {
  server = await startTestServer({ livePollMs: 1000 });
  admin = await signedIn(server.url);
  await admin.trpc.users.create.mutate({ email: 'viewer@example.com', name: 'V', role: 'viewer', password: PASSWORD });
  viewer = await signedIn(server.url, 'viewer@example.com', PASSWORD);
  await admin.trpc.flows.create.mutate({ definition: refund });
});
afterAll(() => server?.close());

async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string; data: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCClientError)
      return { code: (e.data as { code: string }).code, message: e.message, data: e.data as Record<string, unknown> };
    throw e;
  }
  throw new Error('expected an error');
}

async function waitingRun(): Promise<string> {
  const run = await admin.trpc.runs.start.mutate({ flowId: 'refund' });
  await waitForRunState(admin.trpc, run.id, ['WAITING']);
  return run.id;
}

const gateOf = async (runId: string) => (await admin.trpc.runs.get.query({ runId })).atoms.find((a) => a.name === 'gate')!;

describe('approval gates over the API', () => {
  it('the palette lists the approval atom with its config schema', async () => {
    const list = await viewer.trpc.atoms.list.query();
    const approval = list.find((a) => a.type === 'approval');
    expect(approval).toMatchObject({ version: 1, category: 'Flow control' });
    expect(Object.keys((approval!.config as { properties: Record<string, unknown> }).properties).sort()).toEqual([
      'form',
      'instructions',
      'title',
    ]);
  });

  it('a waiting gate is approved with its form value: the run continues to SUCCESS with that value', async () => {
    const runId = await waitingRun();
    expect(await gateOf(runId)).toMatchObject({ state: 'WAITING', waitReason: 'approval', wakeAt: null });
    // the runs list says the run awaits a person
    const listed = (await viewer.trpc.runs.list.query({ flowId: 'refund' })).items.find((r) => r.id === runId);
    expect(listed).toMatchObject({ state: 'WAITING', awaitingApproval: 1 });
    const preview = await viewer.trpc.runs.preview.query({ runId, op: { type: 'approve', atom: 'gate' } });
    expect(preview).toMatchObject({ allowed: true, resumes: true, atoms: [{ name: 'gate', from: 'WAITING', to: 'SUCCESS' }] });

    // a viewer may look, not decide
    expect((await errorOf(viewer.trpc.runs.approve.mutate({ runId, atom: 'gate', value: { amount: 1 } }))).code).toBe('FORBIDDEN');
    expect((await errorOf(viewer.trpc.runs.reject.mutate({ runId, atom: 'gate' }))).code).toBe('FORBIDDEN');

    // a value the form refuses: 400 naming each wrong field, nothing queued
    const bad = await errorOf(admin.trpc.runs.approve.mutate({ runId, atom: 'gate', value: { amount: 'ten', extra: true } }));
    expect(bad.code).toBe('BAD_REQUEST');
    expect((bad.data['problems'] as Array<{ path: string }>).map((p) => p.path)).toEqual(['value.amount', 'value']);
    const missing = await errorOf(admin.trpc.runs.approve.mutate({ runId, atom: 'gate' }));
    expect(missing.data['problems']).toEqual([expect.objectContaining({ path: 'value.amount', message: 'required' })]);
    expect((await admin.trpc.runs.get.query({ runId })).pendingCommands).toEqual([]);

    const { command } = await admin.trpc.runs.approve.mutate({ runId, atom: 'gate', value: { amount: 42.5, note: 'ok' } });
    expect(command.op).toEqual({ type: 'approve', atom: 'gate', value: { amount: 42.5, note: 'ok' }, by: 'admin@localhost' });
    await waitForRunState(admin.trpc, runId, ['SUCCESS']);
    expect((await viewer.trpc.runs.list.query({ flowId: 'refund' })).items.find((r) => r.id === runId)?.awaitingApproval).toBe(0);
    const got = await admin.trpc.runs.get.query({ runId });
    const byName = Object.fromEntries(got.atoms.map((a) => [a.name, [a.state, a.result]]));
    expect(byName).toEqual({
      prepare: ['SUCCESS', 'prepared'],
      gate: ['SUCCESS', { amount: 42.5, note: 'ok' }],
      pay: ['SUCCESS', { amount: 42.5, note: 'ok' }],
    });
    const events = await admin.trpc.runs.events.query({ runId });
    expect(events.find((e) => e.atom === 'gate' && e.to === 'SUCCESS')).toMatchObject({
      data: { operation: 'approve', by: 'admin@localhost' },
    });
    expect((await admin.trpc.runs.command.query({ id: command.id })).outcome).toMatchObject({ ok: true });

    // decided once: a second decision is refused with the reason
    const again = await errorOf(admin.trpc.runs.reject.mutate({ runId, atom: 'gate' }));
    expect(again.code).toBe('PRECONDITION_FAILED');
    expect(again.message).toBe('reject is not allowed: "gate" is not waiting for approval (it is SUCCESS)');
  });

  it('reject fails the gate with ApprovalRejected and reverts the run; runs.operate takes approve/reject too', async () => {
    const runId = await waitingRun();
    const preview = await admin.trpc.runs.preview.query({ runId, op: { type: 'reject', atom: 'gate', reason: 'x' } });
    expect(preview.atoms.map((a) => `${a.name}:${a.to}:${a.intention}`)).toEqual(['gate:FAILURE:EXECUTE', 'prepare:SUCCESS:REVERT']);
    expect(
      (await errorOf(admin.trpc.runs.operate.mutate({ runId, op: { type: 'approve', atom: 'gate', value: { amount: 'x' } } }))).code,
    ).toBe('BAD_REQUEST');
    expect((await errorOf(admin.trpc.runs.reject.mutate({ runId, atom: 'prepare' }))).code).toBe('PRECONDITION_FAILED');
    await admin.trpc.runs.reject.mutate({ runId, atom: 'gate', reason: 'customer already refunded' });
    await waitForRunState(admin.trpc, runId, ['REVERTED']);
    const got = await admin.trpc.runs.get.query({ runId });
    expect(got.run.failure).toMatchObject({
      type: 'ApprovalRejected',
      message: 'approval of "gate" rejected by admin@localhost: customer already refunded',
    });
    expect(Object.fromEntries(got.atoms.map((a) => [a.name, a.state]))).toEqual({ prepare: 'REVERTED', gate: 'REVERTED', pay: 'PENDING' });
    const rejected = await waitFor('the rejection event', async () =>
      (await admin.trpc.runs.events.query({ runId })).find((e) => e.atom === 'gate' && e.to === 'FAILURE'),
    );
    expect(rejected.data).toMatchObject({ operation: 'reject', by: 'admin@localhost', failure: { type: 'ApprovalRejected' } });
  });
});
