import type { AtomTypeInfo } from '@atomflow/api';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { registryView } from './registry-view';

const info = (config: z.ZodType): AtomTypeInfo => ({
  type: 'call',
  version: 1,
  description: null,
  category: null,
  config: z.toJSONSchema(config, { io: 'input', unrepresentable: 'any' }),
  inputs: null,
  outputs: null,
  inputsFromConfig: false,
});

describe('registryView: config checked against the JSON Schema of atoms.list', () => {
  it('a value not matching a pattern is told what the field takes (its description), not the regex', () => {
    const view = registryView([
      info(
        z.object({
          url: z
            .string()
            .regex(/^(https?:\/\/\S+|\/(?!\/)\S*)$/)
            .describe('an http:// or https:// URL, or a path starting with /'),
          codes: z.array(z.string().regex(/^[A-Z]+$/)).optional(),
        }),
      ),
    ]).get('call', 1)!;
    expect(view.checkConfig({ url: '/api/demo/echo' })).toEqual([]);
    expect(view.checkConfig({ url: 'http://127.0.0.1:9/x' })).toEqual([]);
    expect(view.checkConfig({ url: 'not a url', codes: ['OK', 'no'] })).toEqual([
      { path: ['url'], message: 'must be an http:// or https:// URL, or a path starting with /' },
      { path: ['codes', 1], message: 'does not have the expected form' },
    ]);
  });
});
