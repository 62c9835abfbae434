/** Input bindings: TaskFlow's scope walker, rebind, inject, optional inputs. */
import { describe, expect, it } from 'vitest';

import { analyzeFlow, compileFlow, type CompiledFlow, type InputSource } from './compile.js';
import type { FlowNodeInput } from './definition.js';
import { atom, def, graph, idx, linear, names, registry, unordered } from './testing/fixtures.js';

const compile = (root: FlowNodeInput, inputs?: string[]): CompiledFlow => compileFlow(def(root), registry, inputs ? { inputs } : {});

const inputsOf = (flow: CompiledFlow, name: string): Readonly<Record<string, InputSource>> => flow.byName.get(name)!.inputs;

/** Names of the providers bound to `input` of atom `name`, nearest first. */
function providers(flow: CompiledFlow, name: string, input: string): string[] {
  const src = inputsOf(flow, name)[input];
  if (!src || src.from !== 'stored') throw new Error(`${name}.${input} is not a stored input`);
  return names(flow, src.providers);
}

describe('case s12 (inputs, rebind, inject, array provides, optional inputs)', () => {
  const s12 = linear('f', [
    atom('store_args', { config: { sum: true }, requires: ['x', 'y'] }),
    atom('rebind_dict', { config: { sum: true }, requires: ['x', 'y'], rebind: { x: 'a', y: 'b' } }),
    atom('rebind_list', { config: { sum: true }, requires: ['x', 'y'], rebind: { x: 'b', y: 'a' } }),
    atom('injected', { config: { sum: true }, requires: ['x', 'y'], inject: { y: 1000 } }),
    atom('pair_tuple', { config: { value: [10, 20] }, provides: ['p0', 'p1'] }),
    atom('pair_whole', { config: { value: [10, 20] }, provides: 'pw' }),
    atom('use_tuple', { config: { sum: true }, requires: ['x', 'y'], rebind: { x: 'p0', y: 'p1' } }),
    atom('opt_default', { config: { pick: 'z', defaults: { z: 99 } }, requires: ['x'] }),
    atom('opt_rebound', { config: { pick: 'z', defaults: { z: 99 } }, requires: ['x'], rebind: { z: 'p1' } }),
  ]);
  const flow = compile(s12, ['x', 'y', 'a', 'b']);
  const run = (key: string): InputSource => ({ from: 'stored', key, providers: [], input: true });

  it('reads run inputs by name', () => {
    expect(inputsOf(flow, 'store_args')).toEqual({ x: run('x'), y: run('y') });
    expect(flow.inputs).toEqual(['x', 'y', 'a', 'b']);
  });

  it('reads rebound inputs from the stored name', () => {
    expect(inputsOf(flow, 'rebind_dict')).toEqual({ x: run('a'), y: run('b') });
    expect(inputsOf(flow, 'rebind_list')).toEqual({ x: run('b'), y: run('a') });
  });

  it('lets inject shadow a run input', () => {
    expect(inputsOf(flow, 'injected')).toEqual({ x: run('x'), y: { from: 'inject', value: 1000 } });
  });

  it('binds positions of an array provides', () => {
    const tuple = idx(flow, 'pair_tuple');
    expect(flow.byName.get('pair_tuple')!.provides).toEqual(['p0', 'p1']);
    expect(flow.byName.get('pair_whole')!.provides).toBe('pw');
    expect(inputsOf(flow, 'use_tuple')).toEqual({
      x: { from: 'stored', key: 'p0', providers: [tuple], input: false },
      y: { from: 'stored', key: 'p1', providers: [tuple], input: false },
    });
  });

  it("gives optional inputs the registry's default, unless rebound to a provider", () => {
    expect(inputsOf(flow, 'opt_default')).toEqual({ x: run('x'), z: { ...run('z'), fallback: { value: 99 } } });
    expect(inputsOf(flow, 'opt_rebound')).toEqual({
      x: run('x'),
      z: { from: 'stored', key: 'p1', providers: [idx(flow, 'pair_tuple')], input: true, fallback: { value: 99 } },
    });
  });
});

describe('inject and rebind', () => {
  it('lets inject shadow a provider too, and passes injected values the atom does not declare', () => {
    const flow = compile(linear('f', [atom('p', { provides: 'v' }), atom('q', { requires: ['v'], inject: { v: 'const', extra: [1] } })]));
    expect(inputsOf(flow, 'q')).toEqual({ v: { from: 'inject', value: 'const' }, extra: { from: 'inject', value: [1] } });
  });

  it('injects an optional input', () => {
    const flow = compile(linear('f', [atom('q', { config: { defaults: { z: 1 } }, inject: { z: 2 } })]));
    expect(inputsOf(flow, 'q')).toEqual({ z: { from: 'inject', value: 2 } });
  });

  it('binds the inputs a type declares (required and optional)', () => {
    const flow = compile(
      linear('f', [atom('one', { provides: 'a' }), atom('add', { type: 'math.add', version: 3, rebind: { b: 'a' } })]),
      [],
    );
    const one = idx(flow, 'one');
    expect(inputsOf(flow, 'add')).toEqual({
      a: { from: 'stored', key: 'a', providers: [one], input: false },
      b: { from: 'stored', key: 'a', providers: [one], input: false },
      scale: { from: 'stored', key: 'scale', providers: [], input: true, fallback: { value: 1 } },
    });
  });

  it('binds a rebound input the atom does not declare, as required (TaskFlow **kwargs)', () => {
    const flow = compile(linear('f', [atom('p', { provides: 'v' }), atom('q', { rebind: { value: 'v' } })]));
    expect(inputsOf(flow, 'q')).toEqual({ value: { from: 'stored', key: 'v', providers: [idx(flow, 'p')], input: false } });
    const r = analyzeFlow(def(linear('f', [atom('q', { rebind: { value: 'missing' } })])), registry, { inputs: [] });
    expect(r.problems).toEqual([expect.objectContaining({ code: 'missing-requirement', node: 'q' })]);
  });
});

describe('scope walker', () => {
  it('lists every earlier provider in a linear flow, nearest first', () => {
    const flow = compile(
      linear('root', [
        atom('a', { provides: 'x' }),
        atom('b', { provides: 'x' }),
        atom('c', { requires: ['x'] }),
        linear('n', [atom('d', { provides: 'x' }), atom('e', { provides: 'x' }), atom('f', { requires: ['x'] })]),
        atom('g', { requires: ['x'] }),
        atom('h', { provides: 'x' }),
      ]),
    );
    expect(providers(flow, 'c', 'x')).toEqual(['b', 'a']);
    expect(providers(flow, 'f', 'x')).toEqual(['e', 'd', 'b', 'a']);
    expect(providers(flow, 'g', 'x')).toEqual(['e', 'd', 'b', 'a']);
  });

  it('sees providers of an earlier unordered group, not its own siblings', () => {
    const flow = compile(
      linear('root', [
        atom('seed', { provides: 'x' }),
        unordered('u', [atom('p', { provides: 'y' }), atom('q', { requires: ['x'] })]),
        atom('after', { requires: ['y'] }),
      ]),
    );
    expect(providers(flow, 'q', 'x')).toEqual(['seed']);
    expect(providers(flow, 'after', 'y')).toEqual(['p']);
  });

  it('sees graph ancestors only, then what the graph flow sees', () => {
    const flow = compile(
      linear('root', [
        atom('outer', { provides: 'v' }),
        graph('g', [
          atom('src', { provides: 'v' }),
          atom('mid', { requires: ['v'], provides: 'm' }),
          atom('side', { provides: 's' }),
          atom('end', { requires: ['m', 'v'] }),
        ]),
      ]),
    );
    expect(providers(flow, 'mid', 'v')).toEqual(['src', 'outer']);
    expect(providers(flow, 'end', 'v')).toEqual(['src', 'outer']);
    expect(providers(flow, 'end', 'm')).toEqual(['mid']);
  });

  it("makes a retry's provides visible to its flow's atoms (case s05a `attempt`), after nearer siblings", () => {
    const flow = compile(
      linear('outer', [
        atom('pre', { provides: 'p' }),
        linear(
          'inner',
          [
            atom('a', { provides: 'xa' }),
            atom('b', { requires: ['attempt'] }),
            unordered('u', [atom('c', { requires: ['attempt', 'p'] })]),
          ],
          {
            retry: { kind: 'times', attempts: 3, name: 'r', provides: 'attempt' },
          },
        ),
      ]),
      [],
    );
    expect(providers(flow, 'b', 'attempt')).toEqual(['r']);
    expect(providers(flow, 'c', 'attempt')).toEqual(['r']);
    expect(providers(flow, 'c', 'p')).toEqual(['pre']);
    const shadow = compile(
      linear('f', [atom('a', { provides: 'n' }), atom('b', { requires: ['n'] })], { retry: { kind: 'times', attempts: 2, provides: 'n' } }),
    );
    expect(providers(shadow, 'b', 'n')).toEqual(['a', 'f-retry']);
  });

  it("leaves a retry's provides visible after its flow (TaskFlow's scope walker yields the controller)", () => {
    const flow = compile(
      linear('outer', [
        linear('inner', [atom('a')], { retry: { kind: 'times', attempts: 2, name: 'r', provides: 'attempt' } }),
        atom('after', { requires: ['attempt'] }),
      ]),
      [],
    );
    expect(providers(flow, 'after', 'attempt')).toEqual(['r']);
  });

  it('binds parameterizedForEach `from` as the retry atom’s input (case s07)', () => {
    const flow = compile(
      linear('f', [atom('boot', { type: 'test.fail', config: { failTimes: 2, value: 'vm-ok' }, requires: ['host'], provides: 'vm' })], {
        retry: { kind: 'parameterizedForEach', from: 'hosts', name: 'r', provides: 'host' },
      }),
      ['hosts'],
    );
    expect(inputsOf(flow, 'r')).toEqual({ hosts: { from: 'stored', key: 'hosts', providers: [], input: true } });
    expect(providers(flow, 'boot', 'host')).toEqual(['r']);
    expect(flow.inputs).toEqual(['hosts']);
  });

  it('resolves a nested retry’s `from` in the scope of its flow, not inside it', () => {
    const flow = compile(
      linear('root', [
        atom('list', { provides: 'hosts' }),
        linear('inner', [atom('x', { provides: 'hosts' })], { retry: { kind: 'parameterizedForEach', from: 'hosts', name: 'r' } }),
      ]),
    );
    expect(providers(flow, 'r', 'hosts')).toEqual(['list']);
  });

  it('gives other retry kinds no inputs', () => {
    const flow = compile(linear('f', [atom('a')], { retry: { kind: 'forEach', values: [1], provides: 'v' } }));
    expect(inputsOf(flow, 'f-retry')).toEqual({});
  });
});
