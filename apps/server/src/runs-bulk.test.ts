import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from './server.js';
import { linearFlow, signedIn, startTestServer, type TestClient, waitFor, waitForRunState } from './testing/harness.js';

let server: RunningServer;
let admin: TestClient;

beforeAll(async () => {
  server = await startTestServer({ livePollMs: 1000 });
  admin = await signedIn(server.url);
});
afterAll(() => server?.close());

describe('runs.operateMany', () => {
  it('retries the failed runs of a selection and reports, per run, the ones it refused and why', async () => {
    await admin.trpc.flows.create.mutate({
      definition: linearFlow('bulk-flaky', [{ name: 'f', type: 'test.fail', config: { failTimes: 1, value: 'ok' } }]),
    });
    await admin.trpc.flows.create.mutate({ definition: linearFlow('bulk-ok', [{ name: 'a', type: 'test.echo', config: { value: 1 } }]) });
    const failed = [];
    for (let i = 0; i < 3; i++) failed.push((await admin.trpc.runs.start.mutate({ flowId: 'bulk-flaky' })).id);
    const fine = (await admin.trpc.runs.start.mutate({ flowId: 'bulk-ok' })).id;
    for (const id of failed) await waitForRunState(admin.trpc, id, ['REVERTED']);
    await waitForRunState(admin.trpc, fine, ['SUCCESS']);

    const { results } = await admin.trpc.runs.operateMany.mutate({
      runIds: [...failed, fine, 'no-such-run'],
      op: { type: 'retryFromFailure' },
    });
    expect(results.map((r) => [r.runId, r.ok])).toEqual([...failed.map((id) => [id, true]), [fine, false], ['no-such-run', false]]);
    expect(results[3]).toMatchObject({
      code: 'PRECONDITION_FAILED',
      error: expect.stringMatching(/retryFromFailure is not allowed: .*SUCCESS/),
    });
    expect(results[4]).toMatchObject({ code: 'NOT_FOUND', error: expect.stringMatching(/no-such-run/) });
    for (const id of failed) await waitForRunState(admin.trpc, id, ['SUCCESS']);
    for (const r of results.slice(0, 3)) {
      if (!r.ok) throw new Error('expected queued');
      const cmd = await waitFor('command applied', async () => {
        const c = await admin.trpc.runs.command.query({ id: r.commandId });
        return c.appliedAt ? c : undefined;
      });
      expect(cmd).toMatchObject({ runId: r.runId, op: { type: 'retryFromFailure', by: 'admin@localhost' }, outcome: { ok: true } });
    }
    expect((await admin.trpc.runs.get.query({ runId: fine })).run.state).toBe('SUCCESS');
  });

  it('cancels running runs; refuses duplicates, empty and oversized selections, other operations, and viewers', async () => {
    await admin.trpc.flows.create.mutate({
      definition: linearFlow('bulk-slow', [{ name: 's', type: 'test.sleep', config: { ms: 20_000 } }]),
    });
    const ids = [
      (await admin.trpc.runs.start.mutate({ flowId: 'bulk-slow' })).id,
      (await admin.trpc.runs.start.mutate({ flowId: 'bulk-slow' })).id,
    ];
    for (const id of ids) await waitForRunState(admin.trpc, id, ['RUNNING']);
    const { results } = await admin.trpc.runs.operateMany.mutate({ runIds: ids, op: { type: 'cancel' } });
    expect(results.every((r) => r.ok)).toBe(true);
    for (const id of ids) await waitForRunState(admin.trpc, id, ['CANCELLED']);

    const bad = async (input: unknown): Promise<string> => {
      try {
        await admin.trpc.runs.operateMany.mutate(input as never);
        return 'OK';
      } catch (e) {
        return e instanceof TRPCClientError ? `${(e.data as { code: string }).code} ${e.message}` : String(e);
      }
    };
    expect(await bad({ runIds: [ids[0], ids[0]], op: { type: 'cancel' } })).toMatch(/^BAD_REQUEST[^]*each run only once/);
    expect(await bad({ runIds: [], op: { type: 'cancel' } })).toMatch(/^BAD_REQUEST[^]*at least one run/);
    expect(await bad({ runIds: Array.from({ length: 101 }, (_, i) => `r${i}`), op: { type: 'cancel' } })).toMatch(
      /^BAD_REQUEST[^]*at most 100/,
    );
    expect(await bad({ runIds: [ids[0]], op: { type: 'retryAtom', atom: 's' } })).toMatch(/BAD_REQUEST/);

    await admin.trpc.users.create.mutate({ email: 'bulk-viewer@example.com', name: 'V', role: 'viewer', password: 'viewer-password-1' });
    const viewer = await signedIn(server.url, 'bulk-viewer@example.com', 'viewer-password-1');
    await expect(viewer.trpc.runs.operateMany.mutate({ runIds: ids, op: { type: 'cancel' } })).rejects.toThrow(/needs the operator role/);
  });
});
