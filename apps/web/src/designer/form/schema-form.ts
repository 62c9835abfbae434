import type { JsonSchema } from '@atomflow/api';

interface FieldBase {
  readonly key: string;
  readonly label: string;
  readonly description?: string;
  readonly required: boolean;
  readonly default?: unknown;
}

/** How a string field is edited, from the schema's `widget` key (zod `.meta({ widget })`): code → a multi-line field, flow → a saved flow. */
export type TextWidget = 'code' | 'flow';
const TEXT_WIDGETS: readonly string[] = ['code', 'flow'];

/** One input of a config form, derived from the atom's JSON Schema. */
export type Field =
  | (FieldBase & { readonly kind: 'text'; readonly format?: string; readonly minLength?: number; readonly widget?: TextWidget })
  | (FieldBase & { readonly kind: 'number'; readonly integer: boolean; readonly minimum?: number; readonly maximum?: number })
  | (FieldBase & { readonly kind: 'enum'; readonly options: readonly (string | number)[] })
  | (FieldBase & { readonly kind: 'boolean' })
  | (FieldBase & { readonly kind: 'object'; readonly fields: readonly Field[] })
  | (FieldBase & { readonly kind: 'array'; readonly item: Field })
  | (FieldBase & { readonly kind: 'map' })
  | (FieldBase & { readonly kind: 'json' });

const SAFE_MAX = Number.MAX_SAFE_INTEGER;

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema['$ref'];
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return schema;
  let target: unknown = root;
  for (const part of ref.slice(2).split('/')) target = (target as Record<string, unknown> | undefined)?.[part];
  return target && typeof target === 'object' ? { ...(target as JsonSchema), ...withoutRef(schema) } : schema;
}

function withoutRef(s: JsonSchema): JsonSchema {
  const { $ref: _ref, ...rest } = s;
  return rest;
}

/** `fooBar` / `foo_bar` → "Foo bar". */
export function labelOf(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** anyOf [X, null] → X (the field may be left empty). */
function unwrapNullable(s: JsonSchema): JsonSchema {
  const any = s['anyOf'];
  if (!Array.isArray(any)) return s;
  const rest = (any as JsonSchema[]).filter((a) => a['type'] !== 'null');
  return rest.length === 1
    ? {
        ...rest[0],
        ...(s['default'] !== undefined ? { default: s['default'] } : {}),
        ...(s['description'] ? { description: s['description'] } : {}),
      }
    : s;
}

export function fieldOf(key: string, raw: JsonSchema, required: boolean, root: JsonSchema): Field {
  const s = unwrapNullable(resolve(raw, root));
  const base: FieldBase = {
    key,
    label: labelOf(key),
    required,
    ...(typeof s['description'] === 'string' ? { description: s['description'] } : {}),
    ...(s['default'] !== undefined ? { default: s['default'] } : {}),
  };
  if (Array.isArray(s['enum'])) return { ...base, kind: 'enum', options: s['enum'] as (string | number)[] };
  if (s['const'] !== undefined && (typeof s['const'] === 'string' || typeof s['const'] === 'number'))
    return { ...base, kind: 'enum', options: [s['const']] };
  switch (s['type']) {
    case 'string':
      return {
        ...base,
        kind: 'text',
        ...(typeof s['format'] === 'string' ? { format: s['format'] } : {}),
        ...(typeof s['minLength'] === 'number' ? { minLength: s['minLength'] } : {}),
        ...(typeof s['widget'] === 'string' && TEXT_WIDGETS.includes(s['widget']) ? { widget: s['widget'] as TextWidget } : {}),
      };
    case 'number':
    case 'integer': {
      const min = s['minimum'] ?? s['exclusiveMinimum'];
      const max = s['maximum'] ?? s['exclusiveMaximum'];
      return {
        ...base,
        kind: 'number',
        integer: s['type'] === 'integer',
        ...(typeof min === 'number' && Math.abs(min) < SAFE_MAX ? { minimum: min } : {}),
        ...(typeof max === 'number' && Math.abs(max) < SAFE_MAX ? { maximum: max } : {}),
      };
    }
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'array': {
      const items = s['items'];
      if (items && typeof items === 'object' && !Array.isArray(items)) {
        const item = fieldOf('item', items as JsonSchema, true, root);
        if (item.kind === 'text' || item.kind === 'number' || item.kind === 'enum' || item.kind === 'boolean')
          return { ...base, kind: 'array', item };
      }
      return { ...base, kind: 'json' };
    }
    case 'object': {
      const props = s['properties'];
      if (props && typeof props === 'object' && Object.keys(props).length > 0)
        return { ...base, kind: 'object', fields: fieldsOf(s, root) };
      const additional = s['additionalProperties'];
      if (additional && typeof additional === 'object' && resolve(additional as JsonSchema, root)['type'] === 'string')
        return { ...base, kind: 'map' };
      return { ...base, kind: 'json' };
    }
    default:
      return { ...base, kind: 'json' };
  }
}

/** The fields of an object schema, in the schema's order. */
export function fieldsOf(schema: JsonSchema | null, root: JsonSchema | null = schema): Field[] {
  if (!schema) return [];
  const s = resolve(schema, root ?? schema);
  const props = s['properties'];
  if (!props || typeof props !== 'object') return [];
  const required = Array.isArray(s['required']) ? (s['required'] as string[]) : [];
  return Object.entries(props as Record<string, JsonSchema>).map(([k, v]) => fieldOf(k, v, required.includes(k), root ?? schema));
}

/** Text typed into a number field → the number, `undefined` when empty, or an error. */
export function parseNumber(text: string, integer: boolean): { value: number | undefined } | { error: string } {
  const t = text.trim();
  if (t === '') return { value: undefined };
  const n = Number(t);
  if (!Number.isFinite(n)) return { error: 'must be a number' };
  if (integer && !Number.isInteger(n)) return { error: 'must be a whole number' };
  return { value: n };
}

/** Text of a JSON field → the value, `undefined` when empty, or the parser's complaint. */
export function parseJson(text: string): { value: unknown } | { error: string } {
  if (text.trim() === '') return { value: undefined };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (e) {
    return { error: `not valid JSON: ${(e as Error).message}` };
  }
}

/** A copy of `obj` with `key` set, or removed when `value` is undefined. */
export function setKey(obj: Readonly<Record<string, unknown>>, key: string, value: unknown): Record<string, unknown> {
  const next = { ...obj };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}
