import type { AtomTypeInfo, JsonSchema } from '@atomflow/api';
import type { AtomInputs, AtomRegistryView, AtomTypeView, ConfigIssue } from '@atomflow/model';
import { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** Short messages in the style of the server's own ("must be …"). */
export function issueMessage(i: Issue): string {
  switch (i.code) {
    case 'invalid_type':
      return i.input === undefined
        ? 'is required'
        : `must be ${i.expected === 'int' ? 'a whole number' : `a${/^[aeiou]/.test(i.expected) ? 'n' : ''} ${i.expected}`}`;
    case 'too_small':
      return i.origin === 'string'
        ? Number(i.minimum) === 1
          ? 'must not be empty'
          : `must be at least ${i.minimum} characters`
        : i.origin === 'array'
          ? `must have at least ${i.minimum} item(s)`
          : `must be ≥ ${i.minimum}`;
    case 'too_big':
      return i.origin === 'string'
        ? `must be at most ${i.maximum} characters`
        : i.origin === 'array'
          ? `must have at most ${i.maximum} item(s)`
          : `must be ≤ ${i.maximum}`;
    case 'invalid_format':
      return i.format === 'url' || i.format === 'uri' ? 'must be an absolute URL (http://… or https://…)' : `must be a valid ${i.format}`;
    case 'invalid_value':
      return `must be one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${i.divisor}`;
    case 'unrecognized_keys':
      return `unknown field(s): ${i.keys.join(', ')}`;
    default:
      return i.message;
  }
}

/**
 * A value not matching a JSON Schema `pattern`: the regex says nothing to a person, the field's
 * description says what it takes ("must be an http:// or https:// URL, or a path …").
 */
function patternMessage(i: Issue, schema: JsonSchema | null): string | undefined {
  if (i.code !== 'invalid_format' || i.format !== 'regex') return undefined;
  let s: unknown = schema;
  for (const key of i.path) {
    const o = s as JsonSchema | undefined;
    s = typeof key === 'number' ? o?.['items'] : (o?.['properties'] as Record<string, unknown> | undefined)?.[String(key)];
  }
  const description = (s as JsonSchema | undefined)?.['description'];
  return typeof description === 'string' && description ? `must be ${description}` : 'does not have the expected form';
}

function compile(schema: JsonSchema | null): z.ZodType | undefined {
  if (!schema) return undefined;
  try {
    return z.fromJSONSchema(schema);
  } catch {
    return undefined;
  }
}

/** Input names from an object `inputs` schema: required keys, and the others with their defaults. */
export function inputsFromSchema(schema: JsonSchema | null): AtomInputs {
  const props = schema?.['properties'];
  if (!schema || schema['type'] !== 'object' || props === null || typeof props !== 'object') return { required: [], optional: {} };
  const required = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
  const optional: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props as Record<string, JsonSchema>)) if (!required.includes(k)) optional[k] = v['default'];
  return { required, optional };
}

/** The key of one atom's (type, version, config) in the answers of `atoms.inputNames`. */
export function inputNamesKey(type: string, version: number, config: Readonly<Record<string, unknown>>): string {
  return JSON.stringify([type, version, config]);
}

/**
 * The registry as validation sees it, from `atoms.list`: config checked against the JSON Schema
 * the server publishes. Refinements (cross-field rules) are not in JSON Schema: the server's
 * `flows.validate` reports those. Types whose input names depend on their config
 * (`inputsFromConfig`) take them from `fromConfig` (the server's `atoms.inputNames` answers, by
 * inputNamesKey) when it has the config, else from their inputs schema.
 */
export function registryView(atoms: readonly AtomTypeInfo[], fromConfig?: ReadonlyMap<string, AtomInputs>): AtomRegistryView {
  const views = new Map<string, Map<number, AtomTypeView>>();
  for (const info of atoms) {
    const config = compile(info.config);
    const inputs = inputsFromSchema(info.inputs);
    const view: AtomTypeView = {
      type: info.type,
      version: info.version,
      checkConfig(value): ConfigIssue[] {
        if (!config) return [];
        const r = config.safeParse(value);
        return r.success ? [] : r.error.issues.map((i) => ({ path: i.path, message: patternMessage(i, info.config) ?? issueMessage(i) }));
      },
      inputs: (cfg) => (info.inputsFromConfig && fromConfig?.get(inputNamesKey(info.type, info.version, cfg))) || inputs,
    };
    let byVersion = views.get(info.type);
    if (!byVersion) views.set(info.type, (byVersion = new Map()));
    byVersion.set(info.version, view);
  }
  return {
    get: (type, version) => views.get(type)?.get(version),
    versions: (type) => [...(views.get(type)?.keys() ?? [])].sort((a, b) => a - b),
  };
}
