import type { AtomTypeInfo } from '@atomflow/api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { toDoc } from './changes';
import { atom, flow } from './fixtures';
import { configDependentAtoms } from './input-names';
import { inputNamesKey, registryView } from './registry-view';
import { validateDoc } from './validate';

const info = (type: string, inputsFromConfig: boolean): AtomTypeInfo => ({
  type,
  version: 1,
  description: null,
  category: null,
  config: null,
  inputs: z.toJSONSchema(z.record(z.string(), z.unknown()), { io: 'input' }),
  outputs: null,
  inputsFromConfig,
});
const atoms = [info('transform', true), info('log', false)];

const doc = toDoc({
  id: 'f',
  revision: 1,
  root: flow('linear', 'root', [
    atom('sum', { type: 'transform', config: { expression: 'a + b', requires: ['a', 'b'] }, provides: 'total' }),
    flow('linear', 'inner', [atom('same', { type: 'transform', config: { expression: 'a + b', requires: ['a', 'b'] } })]),
    atom('say', { type: 'log', config: { message: '{{total}}' }, requires: ['total'] }),
  ]),
});

describe('config-dependent input names', () => {
  it('asks once per distinct config, only for types that take their input names from their config', () => {
    const asks = configDependentAtoms(doc, atoms);
    expect([...asks.values()]).toEqual([{ type: 'transform', version: 1, config: { expression: 'a + b', requires: ['a', 'b'] } }]);
  });

  it('validation uses the answers: what a transform requires becomes a run input', () => {
    expect(validateDoc(doc, registryView(atoms)).inputs).toEqual([]);
    const answers = new Map([
      [inputNamesKey('transform', 1, { expression: 'a + b', requires: ['a', 'b'] }), { required: ['a', 'b'], optional: {} }],
    ]);
    expect(validateDoc(doc, registryView(atoms, answers)).inputs).toEqual(['a', 'b']);
  });
});
