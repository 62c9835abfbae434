import type { AtomTypeInfo } from '@atomflow/api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { applyChanges } from './changes';
import { atom, sample } from './fixtures';
import { registryView } from './registry-view';
import { validateDoc } from './validate';

const info = (type: string, config: z.ZodType, inputs: z.ZodType = z.object({})): AtomTypeInfo => ({
  type,
  version: 1,
  description: null,
  category: null,
  config: z.toJSONSchema(config, { io: 'input', unrepresentable: 'any' }),
  inputs: z.toJSONSchema(inputs, { io: 'input' }),
  outputs: null,
  inputsFromConfig: false,
});

const registry = registryView([
  info('test.echo', z.object({ value: z.unknown().optional() })),
  info('http.request', z.object({ url: z.url(), timeoutMs: z.number().int().positive().default(10_000) }), z.object({ token: z.string() })),
]);

describe('validateDoc (the model validateFlow with a registry from atoms.list)', () => {
  it('a sample flow is valid', () => {
    expect(validateDoc(sample(), registry).problems).toEqual([]);
  });

  it('config is checked against the JSON Schema, with the path of the field and the atom', () => {
    const doc = applyChanges(sample(), [
      { type: 'add', parent: 'root', node: atom('call', { type: 'http.request', config: { url: 'nope', timeoutMs: -1 } }), positions: {} },
    ]);
    const { problems, inputs } = validateDoc(doc, registry);
    expect(problems.map((p) => [p.node, p.code, p.path, p.message])).toEqual([
      ['call', 'invalid-config', 'root.children.3.config.url', 'must be an absolute URL (http://… or https://…)'],
      ['call', 'invalid-config', 'root.children.3.config.timeoutMs', 'must be ≥ 0'],
    ]);
    // required inputs nothing provides are the run's inputs
    expect(inputs).toEqual(['token']);
  });

  it('a cycle points at an atom in it; schema problems get their node from the path', () => {
    const cyclic = applyChanges(sample(), [{ type: 'addEdge', flow: 'root', edge: { from: 'group', to: 'a' } }]);
    const cycle = validateDoc(cyclic, registry).problems.find((p) => p.code === 'cycle')!;
    expect(['a', 'group']).toContain(cycle.node);
    const badName = applyChanges(sample(), [{ type: 'updateAtom', name: 'd', patch: { version: 0 } }]);
    expect(validateDoc(badName, registry).problems[0]).toMatchObject({ node: 'd', code: 'schema' });
  });

  it('retry controller problems belong to the group', () => {
    const doc = applyChanges(sample(), [
      { type: 'updateFlow', name: 'group', patch: { retry: { kind: 'times', attempts: 2, backoff: { factor: 2 } } } },
    ]);
    expect(validateDoc(doc, registry).problems).toMatchObject([{ node: 'group', code: 'invalid-retry' }]);
  });
});
