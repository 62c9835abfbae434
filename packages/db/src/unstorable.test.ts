import { AtomRegistry, Engine, Worker, type AnyAtomDefinition, type Store } from '@atomflow/engine';
import { parseFlowDefinitionOrThrow, type AtomDetail, type FlowDefinition } from '@atomflow/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase, type OpenedPglite } from './open.js';

/*
 * Values user code hands the engine that PostgreSQL cannot store (a NUL character in a string,
 * a BigInt, a cycle, a function) fail the atom with a clear message; the commit never fails,
 * so no worker is left retrying the same commit forever.
 */

let opened: OpenedPglite;
beforeAll(async () => {
  opened = await openDatabase({ dataDir: 'memory://' });
});
afterAll(async () => {
  await opened?.close();
});

const cyclic = (): unknown => {
  const o: Record<string, unknown> = { a: 1 };
  o['self'] = o;
  return o;
};

/** `produce.config.kind` picks what the atom returns (or throws, or logs). */
const VALUES: Record<string, () => unknown> = {
  nul: () => 'a\u0000b',
  nestedNul: () => ({ list: ['ok', { deep: 'x\u0000' }] }),
  nulKey: () => ({ 'k\u0000': 1 }),
  bigint: () => 10n,
  cycle: cyclic,
  fn: () => () => 1,
  nan: () => ({ n: Number.NaN }),
  map: () => new Map([[1, 2]]),
  fine: () => ({ when: new Date(0), list: [1, 'two', null], nested: { ok: true }, gone: undefined }),
};

const produce: AnyAtomDefinition = {
  type: 'produce',
  version: 1,
  async execute(_inputs, ctx) {
    const kind = ctx.config['kind'] as string;
    const make = VALUES[kind] ?? (() => null);
    switch (ctx.config['how']) {
      case 'throw': {
        const e = new Error(`bad\u0000message`) as Error & { code?: unknown };
        e.code = make();
        throw e;
      }
      case 'step':
        return ctx.step('s', () => make());
      case 'log':
        ctx.log('look\u0000', { value: make() });
        return 'logged';
      default:
        return make();
    }
  },
  revert(_inputs, ctx) {
    return ctx.config['revertKind'] ? VALUES[ctx.config['revertKind'] as string]!() : undefined;
  },
};
const fail: AnyAtomDefinition = {
  type: 'fail',
  version: 1,
  execute() {
    throw new Error('planned failure');
  },
};
const registry = new AtomRegistry([produce, fail]);

let n = 0;
function flow(children: unknown[]): FlowDefinition {
  return parseFlowDefinitionOrThrow({ id: `unstorable-${++n}`, root: { kind: 'linear', name: 'root', children } });
}

async function runOn(store: Store, def: FlowDefinition): Promise<{ state: string; atoms: Map<string, AtomDetail> }> {
  const engine = new Engine({ store, registry });
  const outcome = await engine.startRun(def);
  const loaded = (await store.loadRun(outcome.runId))!;
  expect(loaded.flow.state).toBe(outcome.state);
  return { state: outcome.state, atoms: new Map(loaded.atoms.map((a) => [a.name, a])) };
}

describe('unstorable values on DbStore (PGlite)', () => {
  const cases: [kind: string, message: RegExp][] = [
    ['nul', /^result of "x" cannot be stored: result contains a NUL character \(\\u0000\)$/],
    ['nestedNul', /^result of "x" cannot be stored: result\.list\[1\]\.deep contains a NUL character/],
    ['nulKey', /^result of "x" cannot be stored: result\["k\\u0000"\] has a key with a NUL character/],
    ['bigint', /^result of "x" cannot be stored: result is a BigInt \(10n\)$/],
    ['cycle', /^result of "x" cannot be stored: result\.self refers back to an enclosing object \(a cycle\)$/],
    ['fn', /^result of "x" cannot be stored: result is a function$/],
    ['nan', /^result of "x" cannot be stored: result\.n is NaN, which JSON cannot represent$/],
    ['map', /^result of "x" cannot be stored: result is a Map, which JSON cannot represent$/],
  ];
  for (const [kind, message] of cases) {
    it(`a result with ${kind} fails its atom, and the run reverts`, async () => {
      const { state, atoms } = await runOn(
        opened.store,
        flow([
          { name: 'before', type: 'produce', config: { kind: 'fine' } },
          { name: 'x', type: 'produce', config: { kind } },
        ]),
      );
      expect(state).toBe('REVERTED');
      expect(atoms.get('x')).toMatchObject({ state: 'REVERTED', failure: { type: 'UnstorableValueError' } });
      expect(atoms.get('x')!.failure!.message).toMatch(message);
      expect(atoms.get('before')!.state).toBe('REVERTED');
    });
  }

  it('a storable result (a Date, undefined properties) is stored as JSON', async () => {
    const { state, atoms } = await runOn(opened.store, flow([{ name: 'x', type: 'produce', config: { kind: 'fine' } }]));
    expect(state).toBe('SUCCESS');
    expect(atoms.get('x')!.result).toEqual({ when: '1970-01-01T00:00:00.000Z', list: [1, 'two', null], nested: { ok: true } });
  });

  it('the same on the in-memory store: a flow behaves alike on every store', async () => {
    const { InMemoryStore } = await import('@atomflow/engine');
    const { state, atoms } = await runOn(new InMemoryStore(), flow([{ name: 'x', type: 'produce', config: { kind: 'bigint' } }]));
    expect(state).toBe('REVERTED');
    expect(atoms.get('x')!.failure!.message).toBe('result of "x" cannot be stored: result is a BigInt (10n)');
  });

  it('an unstorable failure is recorded cleaned, with a message saying so', async () => {
    const { state, atoms } = await runOn(opened.store, flow([{ name: 'x', type: 'produce', config: { kind: 'nul', how: 'throw' } }]));
    expect(state).toBe('REVERTED');
    const failure = atoms.get('x')!.failure!;
    expect(failure.type).toBe('UnstorableValueError');
    expect(failure.message).toBe('failure of "x" cannot be stored: failure.message contains a NUL character (\\u0000)');
    expect(failure.cause).toMatchObject({ type: 'Error', message: 'bad\uFFFDmessage', details: { code: 'a\uFFFDb' } });
  });

  it('a failure whose details hold a BigInt is stored (toFailure turns them into text)', async () => {
    const { atoms } = await runOn(opened.store, flow([{ name: 'x', type: 'produce', config: { kind: 'bigint', how: 'throw' } }]));
    expect(atoms.get('x')!.failure!.cause).toMatchObject({ message: 'bad\uFFFDmessage', details: { code: '10' } });
  });

  it('an unstorable sub-step result fails the sub-step and its atom', async () => {
    const { state, atoms } = await runOn(opened.store, flow([{ name: 'x', type: 'produce', config: { kind: 'cycle', how: 'step' } }]));
    expect(state).toBe('REVERTED');
    expect(atoms.get('x')!.failure!.message).toBe(
      'result of sub-step "x.s" cannot be stored: result.self refers back to an enclosing object (a cycle)',
    );
  });

  it('log data that cannot be stored is described in the event instead', async () => {
    const engine = new Engine({ store: opened.store, registry });
    const outcome = await engine.startRun(flow([{ name: 'x', type: 'produce', config: { kind: 'bigint', how: 'log' } }]));
    expect(outcome.state).toBe('SUCCESS');
    const log = (await opened.store.events(outcome.runId)).find((e) => e.data && 'log' in e.data);
    expect(log?.data).toEqual({ log: 'look\uFFFD', unstorableData: '$.value is a BigInt (10n)' });
  });

  it('an unstorable revert result is a REVERT_FAILURE', async () => {
    const { state, atoms } = await runOn(
      opened.store,
      flow([
        { name: 'x', type: 'produce', config: { kind: 'fine', revertKind: 'fn' } },
        { name: 'boom', type: 'fail' },
      ]),
    );
    expect(state).toBe('FAILURE');
    expect(atoms.get('x')).toMatchObject({ state: 'REVERT_FAILURE' });
    expect(atoms.get('x')!.revertFailure!.message).toBe('revert result of "x" cannot be stored: result is a function');
  });

  it('a worker finishes such a run instead of retrying a failing commit', async () => {
    const owner = 'unstorable-worker';
    const engine = new Engine({ store: opened.store, registry, owner });
    const errors: string[] = [];
    const worker = new Worker({ engine, store: opened.store, owner, pollMs: 10, onError: (e) => errors.push(String(e)) });
    const run = await engine.createRun(flow([{ name: 'x', type: 'produce', config: { kind: 'nul' } }]));
    worker.start();
    try {
      const deadline = Date.now() + 10_000;
      while ((await opened.store.loadRun(run.id))!.flow.state !== 'REVERTED' && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
    } finally {
      await worker.stop();
    }
    expect((await opened.store.loadRun(run.id))!.flow.state).toBe('REVERTED');
    expect(errors).toEqual([]);
  });
});
