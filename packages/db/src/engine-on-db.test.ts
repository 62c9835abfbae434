import { AtomRegistry, Engine, InMemoryStore, RetryLater, Worker, type AnyAtomDefinition, type WorkStore } from '@atomflow/engine';
import { parseFlowDefinitionOrThrow, type FlowDefinition, type FlowDefinitionInput, type RunEvent } from '@atomflow/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase, type OpenedPglite } from './open.js';

/*
 * The real engine on DbStore: each flow runs once on the in-memory store (the engine's reference)
 * and once on PGlite, and must produce the same transitions, outcome and stored records.
 */

let opened: OpenedPglite;
beforeAll(async () => {
  opened = await openDatabase({ dataDir: 'memory://' });
});
afterAll(async () => {
  await opened?.close();
});

interface Call {
  readonly atom: string;
  readonly fn: string;
}

/** Small atoms with the conformance semantics, defined here so the test needs the engine only. */
function registry(calls: Call[]): AtomRegistry {
  const echo: AnyAtomDefinition = {
    type: 'echo',
    version: 1,
    inputNames: () => ({ required: [], optional: {} }),
    execute(inputs: Record<string, unknown>, ctx) {
      calls.push({ atom: ctx.atom, fn: 'execute' });
      return 'value' in ctx.config ? ctx.config['value'] : inputs;
    },
    revert(_inputs, ctx) {
      calls.push({ atom: ctx.atom, fn: 'revert' });
    },
  };
  const fail: AnyAtomDefinition = {
    type: 'fail',
    version: 1,
    execute(_inputs, ctx) {
      calls.push({ atom: ctx.atom, fn: 'execute' });
      const failTimes = ctx.config['failTimes'] as number | undefined;
      if (failTimes === undefined || ctx.attempt <= failTimes) throw new Error(`${ctx.atom} failed (attempt ${ctx.attempt})`);
      return ctx.config['value'];
    },
    revert(_inputs, ctx) {
      calls.push({ atom: ctx.atom, fn: 'revert' });
    },
  };
  /** Sub-steps that each ask to be retried until their attempt N (Kopf's HandlerRetryError). */
  const steps: AnyAtomDefinition = {
    type: 'steps',
    version: 1,
    async execute(_inputs, ctx) {
      calls.push({ atom: ctx.atom, fn: 'execute' });
      const until = ctx.config['steps'] as Record<string, number>;
      const fns = Object.fromEntries(
        Object.entries(until).map(([name, n]) => [
          name,
          (s: { attempt: number }) => {
            calls.push({ atom: ctx.atom, fn: `step:${name}` });
            if (s.attempt < n) throw new RetryLater(`${name} not yet`, { delayMs: 5 });
            return s.attempt;
          },
        ]),
      );
      return ctx.execute(fns);
    },
  };
  return new AtomRegistry([echo, fail, steps]);
}

const flow = (def: Omit<FlowDefinitionInput, 'id'>, id: string): FlowDefinition => parseFlowDefinitionOrThrow({ id, ...def });

interface Outcome {
  readonly state: string;
  readonly results: Record<string, unknown>;
  readonly trace: string[];
  readonly calls: string[];
  readonly atoms: Record<string, { state: string; result: unknown; attempts: number }>;
  readonly subSteps: string[];
}

/** Runs `def` on a store and reports what happened (ids and times left out, to compare). */
async function runOn(store: WorkStore, def: FlowDefinition, opts: { stopAfter?: string } = {}): Promise<Outcome & { runId: string }> {
  const calls: Call[] = [];
  const events: RunEvent[] = [];
  const engine = new Engine({ store, registry: registry(calls), holdTimersUpToMs: 1000 });
  engine.subscribe((e) => events.push(e));
  let out = await engine.startRun(def, { inputs: { x: 1 }, ...(opts.stopAfter ? { stopAfter: opts.stopAfter } : {}) });
  if (opts.stopAfter) {
    expect(out.state).toBe('SUSPENDED');
    // A new engine (a restarted process) resumes from what the store has.
    const again = new Engine({ store, registry: registry(calls), holdTimersUpToMs: 1000 });
    again.subscribe((e) => events.push(e));
    out = await again.resumeRun(out.runId);
  }
  return { runId: out.runId, state: out.state, results: out.results, ...(await describeRun(store, out.runId, events, calls)) };
}

async function describeRun(
  store: WorkStore,
  runId: string,
  events: readonly RunEvent[],
  calls: readonly Call[],
): Promise<Omit<Outcome, 'state' | 'results'>> {
  const loaded = (await store.loadRun(runId))!;
  const stored = await store.events(runId);
  // What subscribers saw is what the store kept, in order, without gaps.
  expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
  expect(events.filter((e) => e.runId === runId).map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
  return {
    trace: stored.filter((e) => e.kind === 'atom' || e.kind === 'flow').map((e) => `${e.atom ?? 'flow'}:${e.from}>${e.to}`),
    calls: calls.map((c) => `${c.atom}.${c.fn}`),
    atoms: Object.fromEntries(loaded.atoms.map((a) => [a.name, { state: a.state, result: a.result, attempts: a.attempts }])),
    subSteps: loaded.subSteps.map((s) => `${s.atom}/${s.name}:${s.state}#${s.attempts}=${JSON.stringify(s.result)}`).sort(),
  };
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

describe('the engine on DbStore behaves as on the in-memory store', () => {
  const cases: Array<{ name: string; def: Omit<FlowDefinitionInput, 'id'>; stopAfter?: string; parallel?: boolean; state: string }> = [
    {
      name: 'linear success with JSON results of every kind',
      state: 'SUCCESS',
      def: {
        root: {
          kind: 'linear',
          name: 'root',
          children: [
            { name: 'zero', type: 'echo', config: { value: 0 }, provides: 'z' },
            { name: 'no', type: 'echo', config: { value: false }, provides: 'n' },
            { name: 'empty', type: 'echo', config: { value: '' }, provides: 'e' },
            { name: 'list', type: 'echo', config: { value: [] }, provides: 'l' },
            { name: 'text', type: 'echo', config: { value: '123' }, provides: 't' },
            { name: 'all', type: 'echo', requires: ['z', 'n', 'e', 'l', 't', 'x'], provides: 'all' },
          ],
        },
      },
    },
    {
      name: 'a failure reverts what ran, in reverse order',
      state: 'REVERTED',
      def: {
        root: {
          kind: 'linear',
          name: 'root',
          children: [
            { name: 'a', type: 'echo', config: { value: 1 } },
            { name: 'b', type: 'echo' },
            { name: 'c', type: 'fail' },
          ],
        },
      },
    },
    {
      name: 'a retry controller retries until the atom succeeds',
      state: 'SUCCESS',
      def: {
        root: {
          kind: 'linear',
          name: 'root',
          retry: { kind: 'times', attempts: 3 },
          children: [
            { name: 'a', type: 'echo' },
            { name: 'flaky', type: 'fail', config: { failTimes: 2, value: 'ok' }, provides: 'f' },
          ],
        },
      },
    },
    {
      name: 'sub-steps park the atom (durable timers) and run each succeeded step once',
      state: 'SUCCESS',
      def: {
        root: {
          kind: 'linear',
          name: 'root',
          children: [{ name: 's', type: 'steps', config: { steps: { a: 2, b: 3 } }, provides: 'out' }],
        },
      },
    },
    {
      name: 'a suspended run resumes in a new engine without re-running succeeded atoms',
      state: 'SUCCESS',
      stopAfter: 'a',
      def: {
        root: {
          kind: 'linear',
          name: 'root',
          children: [
            { name: 'a', type: 'echo', config: { value: 'A' } },
            { name: 'b', type: 'echo', config: { value: 'B' } },
          ],
        },
      },
    },
    {
      name: 'a wide unordered flow commits many atoms at once',
      state: 'SUCCESS',
      parallel: true,
      def: {
        root: {
          kind: 'unordered',
          name: 'root',
          children: Array.from({ length: 60 }, (_, i) => ({ name: `w${i}`, type: 'echo', config: { value: i } })),
        },
      },
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const id = `engine-${c.name.replace(/\W+/g, '-').slice(0, 40)}`;
      const def = flow(c.def, id);
      const opts = c.stopAfter ? { stopAfter: c.stopAfter } : {};
      const { runId: _m, ...memory } = await runOn(new InMemoryStore(), def, opts);
      const { runId: _d, ...db } = await runOn(opened.store, def, opts);
      expect(db.state).toBe(c.state);
      if (c.parallel) {
        // Parallel atoms finish in any order: compare as sets.
        expect({ ...db, trace: sorted(db.trace), calls: sorted(db.calls) }).toEqual({
          ...memory,
          trace: sorted(memory.trace),
          calls: sorted(memory.calls),
        });
      } else {
        expect(db).toEqual(memory);
      }
    });
  }

  it('a worker on DbStore claims a created run, runs it under its lease and gives the lease back', async () => {
    const store = opened.store;
    const calls: Call[] = [];
    const def = flow(
      {
        root: {
          kind: 'linear',
          name: 'root',
          children: [
            { name: 'a', type: 'echo' },
            { name: 'b', type: 'echo' },
          ],
        },
      },
      'engine-worker',
    );
    const creator = new Engine({ store, registry: registry([]) });
    const run = await creator.createRun(def);
    const engine = new Engine({ store, registry: registry(calls), owner: 'db-worker', holdTimersUpToMs: 1000 });
    const worker = new Worker({ engine, store, owner: 'db-worker', leaseTtlMs: 2000, pollMs: 10 });
    worker.start();
    try {
      const deadline = Date.now() + 10_000;
      while ((await store.loadRun(run.id))?.flow.state !== 'SUCCESS') {
        if (Date.now() > deadline) throw new Error('the worker did not finish the run');
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await worker.stop();
    }
    expect(calls.map((c) => `${c.atom}.${c.fn}`)).toEqual(['a.execute', 'b.execute']);
    expect(await store.leaseOf(run.id)).toBeUndefined();
  });
});
