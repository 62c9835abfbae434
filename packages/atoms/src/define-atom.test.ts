import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';

import type { AtomContext, AtomDefinition } from '@atomflow/engine';

import { defineAtom } from './define-atom.js';
import { FakeAtomRun } from './testing/fake-context.js';

describe('defineAtom', () => {
  const add = defineAtom({
    type: 'math.add',
    version: 1,
    description: 'adds',
    config: z.object({ offset: z.number().default(0) }),
    inputs: z.object({ a: z.number(), b: z.number() }),
    outputs: z.object({ sum: z.number() }),
    execute: ({ a, b }, ctx) => ({ sum: a + b + ctx.config.offset }),
  });

  it('returns the definition unchanged', async () => {
    expect(add.type).toBe('math.add');
    expect(await new FakeAtomRun(add, { offset: 1 }).execute({ a: 2, b: 3 })).toEqual({ sum: 6 });
    expect(await new FakeAtomRun(add, {}).execute({ a: 2, b: 3 })).toEqual({ sum: 5 });
  });

  it('infers config, inputs and output from the schemas', () => {
    expectTypeOf(add).toEqualTypeOf<AtomDefinition<{ offset: number }, { a: number; b: number }, { sum: number }>>();
    expectTypeOf<Parameters<typeof add.execute>[1]>().toEqualTypeOf<AtomContext<{ offset: number }>>();
  });

  it('without schemas, config and inputs are open records and the output is what execute returns', () => {
    const plain = defineAtom({ type: 'plain', version: 1, execute: () => 42 });
    expectTypeOf(plain).toEqualTypeOf<AtomDefinition<Record<string, unknown>, Record<string, unknown>, number>>();
  });

  it('checks execute against the output schema', () => {
    defineAtom({
      type: 'bad',
      version: 1,
      outputs: z.object({ n: z.number() }),
      // @ts-expect-error a string is not the declared output
      execute: () => ({ n: 'not a number' }),
    });
  });
});
