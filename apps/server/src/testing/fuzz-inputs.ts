/*
 * Malformed inputs for the fuzz test: deterministic (seeded), each one invalid by construction —
 * a valid input with one field replaced by a value of the wrong kind, an unknown key, or a
 * top-level value that is not the expected object.
 */

export type Rng = () => number;

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Rng, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

const NASTY_STRINGS = [
  '\u0000',
  'a\u0000b',
  'x'.repeat(70_000),
  '\uD800',
  '"; drop table runs; --',
  '../../etc/passwd',
  '%',
  '_',
  '\\',
  '💥'.repeat(300),
  ' ',
  '',
];
const NUMBERS = [-1, 0, 1.5, -0.5, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, Number.MAX_SAFE_INTEGER];

/** Any JSON value, nested up to `depth`. */
export function randomJson(r: Rng, depth = 3): unknown {
  const k = Math.floor(r() * (depth > 0 ? 8 : 5));
  switch (k) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return pick(r, NUMBERS);
    case 3:
      return pick(r, NASTY_STRINGS);
    case 4:
      return Math.floor(r() * 1000);
    case 5:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomJson(r, depth - 1));
    default:
      return Object.fromEntries(
        Array.from({ length: 1 + Math.floor(r() * 3) }, (_, i) => [`__fz_${i}_${Math.floor(r() * 100)}`, randomJson(r, depth - 1)]),
      );
  }
}

/** A value that is surely not of `value`'s kind (or, for strings, an invalid string). */
function wrongKind(r: Rng, value: unknown): unknown {
  if (typeof value === 'string')
    return r() < 0.6 ? pick(r, [42, true, null, [], { a: 1 }, ['x']]) : pick(r, ['\u0000', 'a\u0000b', 'x'.repeat(70_000)]);
  if (typeof value === 'number') return pick(r, ['1', '', true, null, [], {}, -1, 0.5, 2 ** 31, 1e308]);
  if (typeof value === 'boolean') return pick(r, ['true', 1, 0, null, [], {}]);
  if (Array.isArray(value)) return pick(r, ['a', 1, true, null, {}, ['\u0000'], [{ bad: true }]]);
  if (value !== null && typeof value === 'object') return pick(r, ['x', 1, true, null, [], ['\u0000']]);
  return pick(r, ['\u0000', { '\u0000': 1 }]);
}

export interface FieldRules {
  /** Keys that hold any JSON by design (a markSuccess result): never changed. */
  readonly skip?: ReadonlySet<string>;
  /** Keys whose value is replaced whole, never inside (a definition: an inner change may stay valid). */
  readonly opaque?: ReadonlySet<string>;
}

/** Paths of the values inside a JSON value that may be replaced. */
function paths(value: unknown, rules: FieldRules, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return prefix.length ? [prefix] : [];
  const out: Array<Array<string | number>> = prefix.length ? [prefix] : [];
  for (const [k, v] of Object.entries(value)) {
    if (rules.skip?.has(k)) continue;
    const path = [...prefix, Array.isArray(value) ? Number(k) : k];
    if (rules.opaque?.has(k)) out.push(path);
    else out.push(...paths(v, rules, path));
  }
  return out;
}

function setAt(value: unknown, path: ReadonlyArray<string | number>, next: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let cur = copy;
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string | number, unknown>;
  cur[path.at(-1)!] = next;
  return copy;
}

/**
 * `count` malformed inputs for a procedure whose valid input looks like `valid` (undefined: the
 * procedure takes none).
 */
export function malformedInputs(r: Rng, valid: unknown, count: number, rules: FieldRules = {}): unknown[] {
  const out: unknown[] = [];
  const fieldPaths = paths(valid, rules);
  while (out.length < count) {
    const k = r();
    if (k < 0.25 || fieldPaths.length === 0) {
      // not an object at all (or, for the no-input procedures, anything)
      out.push(pick(r, ['x', 1, -1, true, false, null, [], [valid], '\u0000', 'x'.repeat(70_000), { '\u0000': 1 }, randomJson(r)]));
    } else if (k < 0.4) {
      out.push({ ...(valid as object), [`__fz_${out.length}`]: randomJson(r, 2) });
    } else {
      const path = pick(r, fieldPaths);
      let current: unknown = valid;
      for (const p of path) current = (current as Record<string | number, unknown>)[p];
      out.push(setAt(valid, path, wrongKind(r, current)));
    }
  }
  return out;
}
