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
});
