import type { AnyAtomDefinition, AtomRegistry } from '@atomflow/engine';
import type { AtomInputs } from '@atomflow/model';
import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';

import { idText } from '../inputs.js';
import { viewerProcedure } from '../trpc.js';

/** A JSON Schema document (draft 2020-12), as zod 4 writes it. */
export type JsonSchema = Record<string, unknown>;

export interface AtomTypeInfo {
  readonly type: string;
  readonly version: number;
  readonly description: string | null;
  readonly category: string | null;
  /** What the designer builds the config form from (the input side: defaults make fields optional). */
  readonly config: JsonSchema | null;
  readonly inputs: JsonSchema | null;
  readonly outputs: JsonSchema | null;
  /** Its input names depend on its config (e.g. transform's `requires`): ask `atoms.inputNames` for a given config. */
  readonly inputsFromConfig: boolean;
}

function toJsonSchema(schema: z.ZodType | undefined, io: 'input' | 'output'): JsonSchema | null {
  if (!schema) return null;
  // refinements and transforms have no JSON Schema form: they become `{}` (anything) instead of throwing
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' });
}

function describe(def: AnyAtomDefinition): AtomTypeInfo {
  return {
    type: def.type,
    version: def.version,
    description: def.description ?? null,
    category: def.category ?? null,
    config: toJsonSchema(def.config as z.ZodType | undefined, 'input'),
    inputs: toJsonSchema(def.inputs as z.ZodType | undefined, 'input'),
    outputs: toJsonSchema(def.outputs as z.ZodType | undefined, 'output'),
    inputsFromConfig: def.inputNames !== undefined,
  };
}

// the registry does not change while the server runs: describe it once
const described = new WeakMap<AtomRegistry, AtomTypeInfo[]>();

export const atomsRouter = {
  /** Every registered atom type and version, in palette order. */
  list: viewerProcedure.query(({ ctx }): AtomTypeInfo[] => {
    const registry = ctx.services.engine.registry;
    let list = described.get(registry);
    if (!list) described.set(registry, (list = registry.list().map(describe)));
    return list;
  }),

  /**
   * The input names atoms take with the given configs (what validation and the run's inputs use):
   * one answer per item, in order; null for an unknown type/version or a config its schema refuses.
   * A mutation (POST) although it changes nothing: a big flow's configs do not fit in a GET URL.
   */
  inputNames: viewerProcedure
    .input(
      z.strictObject({
        atoms: z
          .array(z.strictObject({ type: idText, version: z.number().int().min(1), config: z.record(z.string(), z.unknown()) }))
          .max(2000, 'at most 2000 atoms at once'),
      }),
    )
    .mutation(({ ctx, input }): Array<AtomInputs | null> =>
      input.atoms.map(({ type, version, config }) => {
        const view = ctx.services.engine.registry.get(type, version);
        if (!view || view.checkConfig(config).length > 0) return null;
        return view.inputs(config);
      }),
    ),
} satisfies TRPCRouterRecord;
