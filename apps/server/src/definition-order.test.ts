import type { FlowDefinitionInput } from '@atomflow/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunningServer } from './server.js';
import { signedIn, startTestServer, waitForRunState, type TestClient } from './testing/harness.js';

/*
 * Flow definitions keep every object's keys in the order written, through the database (PGlite
 * here) and the HTTP API: a test.steps atom's sub-steps run in that order, an approval form's
 * fields keep it, and an export is the definition as imported. The orders used are neither
 * alphabetical nor by length (jsonb's order), so only a store that keeps the text passes.
 */

let server: RunningServer;
let c: TestClient;
beforeAll(async () => {
  server = await startTestServer();
  c = await signedIn(server.url);
});
afterAll(() => server?.close());

const STEPS = { zeta: 1, a: 2, mid: 1 };
const FORM = { type: 'object', properties: { zip: { type: 'string' }, a: { type: 'number' }, name: { type: 'string' } } };

const orderedFlow = (id: string, withGate: boolean): FlowDefinitionInput => ({
  id,
  name: 'Ordered',
  root: {
    kind: 'linear',
    name: 'root',
    children: [
      { name: 'kopf', type: 'test.steps', version: 1, config: { steps: STEPS, delayMs: 0 } },
      ...(withGate ? [{ name: 'gate', type: 'approval', version: 1, config: { title: 'Go?', form: FORM } }] : []),
    ],
  },
});

interface Keys {
  steps: string[];
  form: string[];
}

/** The key orders that matter of a definition as the API returns it. */
function keysOf(def: unknown): Keys {
  const children = (def as { root: { children: { name: string; config?: Record<string, unknown> }[] } }).root.children;
  const config = (name: string) => children.find((a) => a.name === name)?.config ?? {};
  const form = config('gate')['form'] as { properties?: object } | undefined;
  return { steps: Object.keys(config('kopf')['steps'] ?? {}), form: Object.keys(form?.properties ?? {}) };
}

const WRITTEN: Keys = { steps: ['zeta', 'a', 'mid'], form: ['zip', 'a', 'name'] };

describe('flow definitions keep their key order', () => {
  it('through create, get, export and import', async () => {
    await c.trpc.flows.create.mutate({ definition: orderedFlow('ordered', true) });
    expect(keysOf((await c.trpc.flows.get.query({ flowId: 'ordered' })).revision.definition)).toEqual(WRITTEN);

    const file = await c.trpc.flows.export.query({ flowId: 'ordered' });
    expect(keysOf(JSON.parse(file.json))).toEqual(WRITTEN);
    // the file's text itself lists them as written
    expect(file.json.indexOf('"zeta"')).toBeLessThan(file.json.indexOf('"mid"'));

    const imported = await c.trpc.flows.import.mutate({ json: file.json.replace('"id": "ordered"', '"id": "ordered-copy"') });
    expect(imported).toMatchObject({ created: true, revision: { flowId: 'ordered-copy' } });
    expect(keysOf(imported.revision.definition)).toEqual(WRITTEN);
    const copy = await c.trpc.flows.export.query({ flowId: 'ordered-copy' });
    expect(copy.json).toBe(file.json.replace('"id": "ordered"', '"id": "ordered-copy"'));
  });

  it('a test.steps atom runs its sub-steps in the order written', async () => {
    await c.trpc.flows.create.mutate({ definition: orderedFlow('kopf-order', false) });
    const run = await c.trpc.runs.start.mutate({ flowId: 'kopf-order' });
    expect(await waitForRunState(c.trpc, run.id, ['SUCCESS', 'FAILURE', 'REVERTED'])).toBe('SUCCESS');
    const events = await c.trpc.runs.events.query({ runId: run.id });
    const finished = events
      .filter((e) => e.kind === 'substep' && e.to !== 'RUNNING')
      .map((e) => `${String(e.data?.['step'])}#${String(e.data?.['attempt'])}:${e.to}`);
    // a asks to be retried later on its first attempt: mid still runs before it is retried
    expect(finished).toEqual(['zeta#1:SUCCESS', 'a#1:RETRY_LATER', 'mid#1:SUCCESS', 'a#2:SUCCESS']);
    const got = await c.trpc.runs.get.query({ runId: run.id });
    expect(Object.keys(got.atoms.find((a) => a.name === 'kopf')?.result as object)).toHaveLength(3);
    // the run page lists them in the order they ran (not by name); a, retried, keeps its first place
    expect(got.subSteps.filter((s) => s.atom === 'kopf').map((s) => `${s.name}#${s.attempts}:${s.state}`)).toEqual([
      'zeta#1:SUCCESS',
      'a#2:SUCCESS',
      'mid#1:SUCCESS',
    ]);
  });

  it('an import that only reorders keys is a change (a new revision, in its order); only the schema fields moved is none', async () => {
    await c.trpc.flows.create.mutate({ definition: orderedFlow('reimport', true) });
    const file = await c.trpc.flows.export.query({ flowId: 'reimport' });
    expect(await c.trpc.flows.import.mutate({ json: file.json })).toMatchObject({ changed: false, revision: { revision: 1 } });
    // the schema's own fields in another order (name before type, the id last): the same flow
    const raw = JSON.parse(file.json) as Record<string, unknown>;
    const { id, ...rest } = raw;
    const shuffled = JSON.stringify({ ...rest, id }).replace('"name":"kopf","type":"test.steps"', '"type":"test.steps","name":"kopf"');
    expect(shuffled).toContain('"type":"test.steps","name":"kopf"');
    expect(await c.trpc.flows.import.mutate({ json: shuffled })).toMatchObject({ changed: false, revision: { revision: 1 } });
    // the steps only reordered: they would run in that order, so it is a new revision, kept as written
    const reordered = file.json.replace(/"zeta": 1,\s*"a": 2,\s*"mid": 1/, '"mid": 1, "zeta": 1, "a": 2');
    expect(reordered).not.toBe(file.json);
    const imported = await c.trpc.flows.import.mutate({ json: reordered });
    expect(imported).toMatchObject({ created: false, changed: true, revision: { revision: 2 } });
    expect(keysOf(imported.revision.definition)).toEqual({ ...WRITTEN, steps: ['mid', 'zeta', 'a'] });
    expect(await c.trpc.flows.import.mutate({ json: reordered })).toMatchObject({ changed: false, revision: { revision: 2 } });
    // the designer's diff marks it as a config change
    expect((await c.trpc.flows.diff.query({ flowId: 'reimport', from: 1, to: 2 })).configChanged).toEqual(['kopf']);
  });

  it("a subflow whose steps only moved makes a new expansion: the run executes them in the subflow's new order", async () => {
    await c.trpc.flows.create.mutate({ definition: orderedFlow('inner-order', false) });
    await c.trpc.flows.create.mutate({
      definition: {
        id: 'outer-order',
        root: { kind: 'linear', name: 'root', children: [{ name: 'sub', type: 'subflow', config: { flowId: 'inner-order' } }] },
      },
    });
    const stepOrder = async (runId: string): Promise<string[]> => {
      expect(await waitForRunState(c.trpc, runId, ['SUCCESS', 'FAILURE', 'REVERTED'])).toBe('SUCCESS');
      const events = await c.trpc.runs.events.query({ runId });
      return events.filter((e) => e.kind === 'substep' && e.to === 'SUCCESS').map((e) => String(e.data?.['step']));
    };
    const first = await c.trpc.runs.start.mutate({ flowId: 'outer-order' });
    expect(first).toMatchObject({ flowId: 'outer-order.expanded', revision: 1 });
    expect(await stepOrder(first.id)).toEqual(['zeta', 'mid', 'a']);

    const v1 = (await c.trpc.flows.get.query({ flowId: 'inner-order' })).revision.definition;
    const moved = JSON.parse(JSON.stringify(v1).replace('"zeta":1,"a":2,"mid":1', '"mid":1,"a":2,"zeta":1')) as typeof v1;
    expect(keysOf(moved).steps).toEqual(['mid', 'a', 'zeta']);
    await c.trpc.flows.saveRevision.mutate({ flowId: 'inner-order', baseRevision: 1, definition: moved });
    const second = await c.trpc.runs.start.mutate({ flowId: 'outer-order' });
    expect(second).toMatchObject({ flowId: 'outer-order.expanded', revision: 2 });
    // a asks to be retried later on its first attempt, so it succeeds last
    expect(await stepOrder(second.id)).toEqual(['mid', 'zeta', 'a']);
    // nothing moved since: the expansion is reused
    const third = await c.trpc.runs.start.mutate({ flowId: 'outer-order' });
    expect(third).toMatchObject({ flowId: 'outer-order.expanded', revision: 2 });
    await stepOrder(third.id);
  });
});
