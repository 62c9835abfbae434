import type { AtomInputs, AtomRegistryView, AtomTypeView, ConfigIssue } from '@atomflow/model';
import { z } from 'zod';

import type { AnyAtomDefinition } from './atom-types.js';

/** Registered atom types, by type and version. Implements the model's registry view. */
export class AtomRegistry implements AtomRegistryView {
  private readonly defs = new Map<string, Map<number, AnyAtomDefinition>>();

  constructor(definitions: Iterable<AnyAtomDefinition> = []) {
    for (const d of definitions) this.register(d);
  }

  register(def: AnyAtomDefinition): this {
    let versions = this.defs.get(def.type);
    if (!versions) this.defs.set(def.type, (versions = new Map()));
    if (versions.has(def.version)) throw new Error(`atom type ${def.type} version ${def.version} is already registered`);
    versions.set(def.version, def);
    return this;
  }

  definition(type: string, version: number): AnyAtomDefinition | undefined {
    return this.defs.get(type)?.get(version);
  }

  versions(type: string): readonly number[] {
    return [...(this.defs.get(type)?.keys() ?? [])].sort((a, b) => a - b);
  }

  list(): AnyAtomDefinition[] {
    return [...this.defs.values()].flatMap((m) => [...m.values()]);
  }

  get(type: string, version: number): AtomTypeView | undefined {
    const def = this.definition(type, version);
    if (!def) return undefined;
    return {
      type,
      version,
      checkConfig: (config) => checkConfig(def, config),
      inputs: (config) => inputNamesOf(def, parseConfig(def, config)),
    };
  }
}

/** Parses an atom's config with its schema (defaults applied); throws on invalid config. */
export function parseConfig(def: AnyAtomDefinition, config: Record<string, unknown>): unknown {
  return def.config ? def.config.parse(config) : config;
}

function checkConfig(def: AnyAtomDefinition, config: Record<string, unknown>): ConfigIssue[] {
  if (!def.config) return [];
  const r = def.config.safeParse(config);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: i.path, message: i.message }));
}

/** Input names from `inputNames` or from the keys of an object `inputs` schema. */
export function inputNamesOf(def: AnyAtomDefinition, config: unknown): AtomInputs {
  if (def.inputNames) return def.inputNames(config);
  const schema = def.inputs;
  if (!(schema instanceof z.ZodObject)) return { required: [], optional: {} };
  const required: string[] = [];
  const optional: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    if (field instanceof z.ZodDefault) optional[key] = (field as z.ZodDefault<z.ZodType>).def.defaultValue;
    else if (field.safeParse(undefined).success) optional[key] = undefined;
    else required.push(key);
  }
  return { required, optional };
}
