/** Test helpers (not built): a small atom registry and definition builders. */
import { z } from 'zod';

import type { CompiledFlow } from '../compile.js';
import type { AtomNodeInput, FlowDefinition, FlowDefinitionInput, FlowNodeInput } from '../definition.js';
import { parseFlowDefinitionOrThrow } from '../parse.js';
import type { AtomInputs, AtomRegistryView, AtomTypeView } from '../registry-view.js';

export interface TestType {
  readonly config: z.ZodType;
  readonly inputs?: (config: Record<string, unknown>) => AtomInputs;
}

/** A registry over `{type: {version: TestType}}`, implementing the model's view the way the engine does. */
export function makeRegistry(types: Record<string, Record<number, TestType>>): AtomRegistryView {
  return {
    get(type: string, version: number): AtomTypeView | undefined {
      const t = types[type]?.[version];
      if (!t) return undefined;
      return {
        type,
        version,
        checkConfig: (config) => {
          const r = t.config.safeParse(config);
          return r.success ? [] : r.error.issues.map((i) => ({ path: i.path, message: i.message }));
        },
        inputs: (config) => (t.inputs ? t.inputs(t.config.parse(config) as Record<string, unknown>) : { required: [], optional: {} }),
      };
    },
    versions(type: string): readonly number[] {
      return Object.keys(types[type] ?? {})
        .map(Number)
        .sort((a, b) => a - b);
    },
  };
}

const echoConfig = z.object({
  value: z.unknown().optional(),
  sum: z.boolean().optional(),
  pick: z.string().min(1).optional(),
  defaults: z.record(z.string(), z.unknown()).optional(),
});
const echo: TestType = {
  config: echoConfig,
  inputs: (c) => ({ required: [], optional: (c['defaults'] as Record<string, unknown> | undefined) ?? {} }),
};

/** `test.echo` (versions 1 and 2), `test.fail`, `http.request` (strict config), `math.add` (declared inputs). */
export const registry = makeRegistry({
  'test.echo': { 1: echo, 2: echo },
  'test.fail': { 1: { config: z.object({ failTimes: z.number().int().min(0).optional(), value: z.unknown().optional() }) } },
  'http.request': {
    1: {
      config: z.strictObject({ url: z.url(), method: z.enum(['GET', 'POST']).default('GET') }),
      inputs: () => ({ required: ['body'], optional: { headers: {} } }),
    },
  },
  'math.add': {
    3: { config: z.object({}), inputs: () => ({ required: ['a', 'b'], optional: { scale: 1 } }) },
  },
});

/** An atom node of type `test.echo`. */
export function atom(name: string, extra: Partial<AtomNodeInput> = {}): AtomNodeInput {
  return { name, type: 'test.echo', ...extra };
}

export function linear(name: string, children: FlowNodeInput['children'], extra: Partial<FlowNodeInput> = {}): FlowNodeInput {
  return { kind: 'linear', name, children, ...extra };
}

export function unordered(name: string, children: FlowNodeInput['children'], extra: Partial<FlowNodeInput> = {}): FlowNodeInput {
  return { kind: 'unordered', name, children, ...extra };
}

export function graph(name: string, children: FlowNodeInput['children'], extra: Partial<FlowNodeInput> = {}): FlowNodeInput {
  return { kind: 'graph', name, children, ...extra };
}

/** Parses a definition around `root` (throws on shape problems: tests of semantics start valid). */
export function def(root: FlowNodeInput, extra: Partial<FlowDefinitionInput> = {}): FlowDefinition {
  return parseFlowDefinitionOrThrow({ id: 'test', revision: 1, root, ...extra });
}

/** Every DAG edge as `from>to` (atom names), sorted. */
export function edgesOf(flow: CompiledFlow): string[] {
  return flow.atoms.flatMap((a) => a.succs.map((s) => `${a.name}>${flow.atoms[s]!.name}`)).sort();
}

/** Names of an atom's predecessors, sorted. */
export function predsOf(flow: CompiledFlow, name: string): string[] {
  const a = flow.byName.get(name);
  if (!a) throw new Error(`no atom ${name}`);
  return a.preds.map((p) => flow.atoms[p]!.name).sort();
}

/** The index of a named atom. */
export function idx(flow: CompiledFlow, name: string): number {
  const a = flow.byName.get(name);
  if (!a) throw new Error(`no atom ${name}`);
  return a.index;
}

/** Names of the atoms at the given indexes. */
export function names(flow: CompiledFlow, indexes: readonly number[]): string[] {
  return indexes.map((i) => flow.atoms[i]!.name);
}
