import type { FlowDefinitionInput } from '@atomflow/model';
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

/** payment: charges `amount`, provides `receipt`; `boom` fails its first execution when asked to. */
const payment = (id: string, failFirst: boolean): FlowDefinitionInput =>
  linearFlow(id, [
    { name: 'charge', type: 'test.echo', config: { pick: 'amount' }, requires: ['amount'], provides: 'paid' },
    ...(failFirst ? [{ name: 'boom', type: 'test.fail', config: { failTimes: 1, value: 'ok' } }] : []),
    { name: 'receipt', type: 'test.echo', config: { sum: true }, requires: ['paid'], provides: 'receipt' },
  ]);

const orders = (id: string, paymentId: string): FlowDefinitionInput =>
  linearFlow(id, [
    { name: 'total', type: 'test.echo', config: { value: 42 }, provides: 'amount' },
    { name: 'pay', type: 'subflow', config: { flowId: paymentId } },
    { name: 'ship', type: 'test.echo', config: { pick: 'receipt' }, requires: ['receipt'], provides: 'shipped' },
  ]);

describe('subflows', () => {
  it('a run of a flow with a subflow executes the inner atoms as its own, to SUCCESS', async () => {
    await admin.trpc.flows.create.mutate({ definition: payment('sf-payment', false) });
    const created = await admin.trpc.flows.create.mutate({ definition: orders('sf-orders', 'sf-payment') });
    // Data flows through the subflow: ship's requirement is met by the subflow's receipt.
    expect(created.problems).toEqual([]);

    const run = await admin.trpc.runs.start.mutate({ flowId: 'sf-orders' });
    expect(await waitForRunState(admin.trpc, run.id, ['SUCCESS', 'FAILURE', 'REVERTED'])).toBe('SUCCESS');
    const got = await admin.trpc.runs.get.query({ runId: run.id });
    // (atoms come by name)
    expect(got.atoms.map((a) => [a.name, a.state, a.result])).toEqual([
      ['pay.charge', 'SUCCESS', 42],
      ['pay.receipt', 'SUCCESS', 42],
      ['ship', 'SUCCESS', 42],
      ['total', 'SUCCESS', 42],
    ]);
    // The run records the expanded definition, and where it came from.
    expect(got.run).toMatchObject({
      flowId: 'sf-orders.expanded',
      revision: 1,
      meta: { expandedFrom: { flowId: 'sf-orders', revision: 1 }, subflows: [{ atom: 'pay', flowId: 'sf-payment', revision: 1 }] },
    });
    expect(got.definition.root.children[1]).toMatchObject({
      kind: 'linear',
      name: 'pay',
      children: [{ name: 'pay.charge' }, { name: 'pay.receipt' }],
    });

    // Unchanged: the next run reuses the expanded revision; a new latest subflow revision makes a new one.
    const again = await admin.trpc.runs.start.mutate({ flowId: 'sf-orders' });
    expect(again).toMatchObject({ flowId: 'sf-orders.expanded', revision: 1 });
    await waitForRunState(admin.trpc, again.id, ['SUCCESS']);
    const v2 = payment('sf-payment', false);
    await admin.trpc.flows.saveRevision.mutate({
      flowId: 'sf-payment',
      baseRevision: 1,
      definition: {
        ...v2,
        root: { ...v2.root, children: [...(v2.root.children ?? []), { name: 'extra', type: 'test.echo', config: { value: 1 } }] },
      },
    });
    const third = await admin.trpc.runs.start.mutate({ flowId: 'sf-orders' });
    expect(third).toMatchObject({ flowId: 'sf-orders.expanded', revision: 2 });
    await waitForRunState(admin.trpc, third.id, ['SUCCESS']);
    expect((await admin.trpc.runs.get.query({ runId: third.id })).atoms.map((a) => a.name)).toContain('pay.extra');

    // Inner atoms are operable like any other: revert one (its downstream — pay.extra inside the subflow, ship after it — with it), then retry it.
    const statesOf = async (): Promise<Record<string, string>> =>
      Object.fromEntries((await admin.trpc.runs.get.query({ runId: third.id })).atoms.map((a) => [a.name, a.state]));
    await admin.trpc.runs.operate.mutate({ runId: third.id, op: { type: 'revertAtom', atom: 'pay.receipt' } });
    expect(
      await waitFor('pay.receipt and ship reverted', async () => {
        const s = await statesOf();
        return s['pay.receipt'] === 'REVERTED' && s['ship'] === 'REVERTED' ? s : undefined;
      }),
    ).toMatchObject({ total: 'SUCCESS', 'pay.charge': 'SUCCESS', 'pay.receipt': 'REVERTED', 'pay.extra': 'REVERTED', ship: 'REVERTED' });
    await waitForRunState(admin.trpc, third.id, ['SUCCESS', 'FAILURE', 'REVERTED', 'SUSPENDED']);
    await admin.trpc.runs.operate.mutate({ runId: third.id, op: { type: 'retryAtom', atom: 'pay.receipt' } });
    await waitFor('all atoms SUCCESS again', async () => {
      const s = await statesOf();
      return Object.values(s).every((x) => x === 'SUCCESS') ? s : undefined;
    });
    expect(await waitForRunState(admin.trpc, third.id, ['SUCCESS'])).toBe('SUCCESS');

    // Deleting the flow deletes its companion of expansions and the companion's runs.
    await admin.trpc.flows.create.mutate({ definition: { ...orders('sf-doomed', 'sf-payment') } });
    const doomed = await admin.trpc.runs.start.mutate({ flowId: 'sf-doomed' });
    await waitForRunState(admin.trpc, doomed.id, ['SUCCESS']);
    expect(await admin.trpc.flows.delete.mutate({ flowId: 'sf-doomed' })).toEqual({ deleted: true, runs: 1 });
    await expect(admin.trpc.flows.get.query({ flowId: 'sf-doomed.expanded' })).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
  });

  it("the companion of expansions stays out of sight: flows list hides it, the flow's runs and last run include its runs, its id is reserved", async () => {
    await admin.trpc.flows.create.mutate({ definition: payment('sfc-payment', false) });
    await admin.trpc.flows.create.mutate({ definition: orders('sfc-orders', 'sfc-payment') });
    const run = await admin.trpc.runs.start.mutate({ flowId: 'sfc-orders' });
    expect(run.flowId).toBe('sfc-orders.expanded');
    await waitForRunState(admin.trpc, run.id, ['SUCCESS']);

    const listed = await admin.trpc.flows.list.query({ search: 'sfc-orders' });
    expect(listed.items.map((f) => f.id)).toEqual(['sfc-orders']);
    expect(listed.items[0]!.lastRun).toMatchObject({ id: run.id, state: 'SUCCESS' });
    expect((await admin.trpc.flows.get.query({ flowId: 'sfc-orders' })).flow.lastRun).toMatchObject({ id: run.id });
    expect((await admin.trpc.runs.list.query({ flowId: 'sfc-orders' })).items.map((r) => r.id)).toEqual([run.id]);

    for (const attempt of [
      () => admin.trpc.flows.create.mutate({ definition: payment('sfc-mine.expanded', false) }),
      () => admin.trpc.flows.import.mutate({ json: JSON.stringify(payment('sfc-other.expanded', false)) }),
    ])
      await expect(attempt()).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' }, message: expect.stringMatching(/reserved/) });
  });

  it('a failing inner atom reverts the inner and outer atoms; retry from failure then succeeds', async () => {
    await admin.trpc.flows.create.mutate({ definition: payment('sf-payment-flaky', true) });
    await admin.trpc.flows.create.mutate({ definition: orders('sf-orders-flaky', 'sf-payment-flaky') });
    const run = await admin.trpc.runs.start.mutate({ flowId: 'sf-orders-flaky' });
    expect(await waitForRunState(admin.trpc, run.id, ['SUCCESS', 'FAILURE', 'REVERTED'])).toBe('REVERTED');
    const failed = await admin.trpc.runs.get.query({ runId: run.id });
    expect(failed.atoms.map((a) => [a.name, a.state])).toEqual([
      ['pay.boom', 'REVERTED'],
      ['pay.charge', 'REVERTED'],
      ['pay.receipt', 'PENDING'],
      ['ship', 'PENDING'],
      ['total', 'REVERTED'],
    ]);
    expect(failed.run.failure).toMatchObject({ type: 'TestFailError' });
    // Reverted in reverse order of execution, across the subflow boundary.
    const events = await admin.trpc.runs.events.query({ runId: run.id });
    const reverted = events.filter((e) => e.to === 'REVERTED' && e.atom).map((e) => e.atom);
    expect(reverted).toEqual(['pay.boom', 'pay.charge', 'total']);

    await admin.trpc.runs.operate.mutate({ runId: run.id, op: { type: 'retryFromFailure' } });
    expect(await waitForRunState(admin.trpc, run.id, ['SUCCESS', 'FAILURE', 'REVERTED'])).toBe('SUCCESS');
    const done = await admin.trpc.runs.get.query({ runId: run.id });
    expect(done.atoms.every((a) => a.state === 'SUCCESS')).toBe(true);
  });

  it('flows.validate reports unknown subflows and cycles with paths; runs.start refuses them', async () => {
    // Run inputs are seen through subflows: ship's receipt comes from the subflow; without `total`, the subflow needs `amount`.
    expect(await admin.trpc.flows.validate.mutate({ definition: orders('sf-orders', 'sf-payment') })).toEqual({
      valid: true,
      problems: [],
      inputs: [],
    });
    const noTotal = orders('sf-no-total', 'sf-payment');
    const needs = await admin.trpc.flows.validate.mutate({
      definition: { ...noTotal, root: { ...noTotal.root, children: noTotal.root.children!.slice(1) } },
    });
    expect(needs).toMatchObject({ valid: true, inputs: ['amount'] });

    const unknown = await admin.trpc.flows.validate.mutate({ definition: orders('sf-nowhere', 'no-such-flow') });
    expect(unknown.valid).toBe(false);
    expect(unknown.problems).toEqual([
      { path: 'root.children.1.config.flowId', node: 'pay', code: 'unknown-subflow', message: 'no saved flow "no-such-flow"' },
    ]);

    await admin.trpc.flows.create.mutate({
      definition: linearFlow('sf-a', [{ name: 'to-b', type: 'subflow', config: { flowId: 'sf-b' } }]),
    });
    await admin.trpc.flows.create.mutate({
      definition: linearFlow('sf-b', [{ name: 'to-a', type: 'subflow', config: { flowId: 'sf-a' } }]),
    });
    const cycle = await admin.trpc.flows.validate.mutate({
      definition: linearFlow('sf-a', [{ name: 'to-b', type: 'subflow', config: { flowId: 'sf-b' } }]),
    });
    expect(cycle.problems).toMatchObject([
      { path: 'root.children.0', code: 'subflow-cycle', message: 'in subflow "sf-b": subflow cycle: "sf-a" → "sf-b" → "sf-a"' },
    ]);
    await expect(admin.trpc.runs.start.mutate({ flowId: 'sf-a' })).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: expect.stringMatching(/subflow cycle/),
    });
  });
});
