import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { AtomRegistry } from '@atomflow/engine';

import { defineAtom } from './define-atom.js';
import { builtinAtoms, createRegistry } from './registry.js';

const EXPECTED = [
  ['http.request', 1],
  ['delay', 1],
  ['approval', 1],
  ['log', 1],
  ['transform', 1],
  ['subflow', 1],
  ['test.echo', 1],
  ['test.fail', 1],
  ['test.sleep', 1],
  ['test.steps', 1],
] as const;

describe('createRegistry', () => {
  it('lists every built-in with its version', () => {
    const registry = createRegistry();
    expect(registry).toBeInstanceOf(AtomRegistry);
    expect(registry.list().map((d) => [d.type, d.version])).toEqual(EXPECTED);
    for (const [type, version] of EXPECTED) {
      expect(registry.versions(type)).toEqual([version]);
      expect(registry.get(type, version)?.type).toBe(type);
    }
    expect(builtinAtoms).toHaveLength(EXPECTED.length);
  });

  it('every built-in describes itself for the palette and has a config schema', () => {
    for (const def of builtinAtoms) {
      expect(def.description?.length, def.type).toBeGreaterThan(20);
      expect(def.category, def.type).toBeTruthy();
      expect(def.config, def.type).toBeDefined();
    }
  });

  it("every built-in's schemas convert to JSON Schema (the designer's forms)", () => {
    for (const def of builtinAtoms) {
      for (const schema of [def.config, def.inputs, def.outputs]) {
        if (schema) expect(() => z.toJSONSchema(schema, { io: 'input' }), def.type).not.toThrow();
      }
    }
    const http = z.toJSONSchema(builtinAtoms.find((d) => d.type === 'http.request')!.config!, { io: 'input' });
    expect(http).toMatchObject({
      properties: {
        url: {
          type: 'string',
          description: 'an http:// or https:// URL, or a path starting with / on the server running the flow (/api/demo/echo)',
        },
        method: { default: 'GET' },
      },
      required: ['url'],
    });
    // the designer checks URLs with the published pattern: absolute http(s) URLs and paths only
    const pattern = new RegExp((http['properties'] as Record<string, { pattern: string }>)['url']!.pattern);
    expect(['https://example.com/a?b=1', '/api/demo/echo'].filter((u) => pattern.test(u))).toHaveLength(2);
    expect(['not a url', '//other.example/x', 'ftp://example.com', 'relative/path'].filter((u) => pattern.test(u))).toEqual([]);
  });

  it('adds extra atoms, including a new version of a built-in', () => {
    const mine = defineAtom({ type: 'my.thing', version: 3, execute: () => 'done' });
    const echo2 = defineAtom({ type: 'test.echo', version: 2, execute: () => 'v2' });
    const registry = createRegistry([mine, echo2]);
    expect(registry.definition('my.thing', 3)).toBe(mine);
    expect(registry.versions('test.echo')).toEqual([1, 2]);
    expect(createRegistry().definition('my.thing', 3)).toBeUndefined();
  });

  it('refuses an extra that duplicates a built-in type and version', () => {
    const dup = defineAtom({ type: 'delay', version: 1, execute: () => null });
    expect(() => createRegistry([dup])).toThrow('atom type delay version 1 is already registered');
  });

  it("gives the model each atom's inputs for its config", () => {
    const registry = createRegistry();
    expect(registry.get('test.echo', 1)!.inputs({ pick: 'z', defaults: { z: 99 } })).toEqual({ required: [], optional: { z: 99 } });
    expect(registry.get('test.fail', 1)!.inputs({})).toEqual({ required: [], optional: {} });
    expect(registry.get('delay', 1)!.inputs({ ms: 5 })).toEqual({ required: [], optional: {} });
    expect(registry.get('http.request', 1)!.inputs({ url: 'http://127.0.0.1:9/' })).toEqual({ required: [], optional: {} });
  });

  it('derives inputs of a user atom from its zod object schema', () => {
    const greet = defineAtom({
      type: 'greet',
      version: 1,
      inputs: z.object({ name: z.string(), greeting: z.string().default('hello'), suffix: z.string().optional() }),
      execute: ({ name, greeting }) => `${greeting} ${name}`,
    });
    expect(createRegistry([greet]).get('greet', 1)!.inputs({})).toEqual({
      required: ['name'],
      optional: { greeting: 'hello', suffix: undefined },
    });
  });
});
