import type { Failure } from '@atomflow/model';

/*
 * What user code hands the engine (results, failures, sub-step results, log data) is recorded
 * as JSON; PostgreSQL's jsonb and text refuse a NUL character besides. A value the store cannot
 * hold exactly must not reach Store.commit: the commit would fail, the executor stop, and the
 * next worker fail the same way forever. The engine checks first and fails the atom instead, the
 * same way on every store (a flow that works in memory works durably).
 */

/** Deeper than this is refused rather than risking a stack overflow while checking or storing. */
const MAX_DEPTH = 500;

/**
 * Why `value` cannot be stored as JSON exactly, or undefined when it can. Refused: BigInt,
 * functions, symbols, cycles, NaN and ±Infinity (JSON would turn them into null), Map/Set/
 * WeakMap/WeakSet (JSON would turn them into {}), and NUL characters in strings or keys.
 * Objects with `toJSON` (Date) are checked as what `toJSON` returns; `undefined` properties are
 * left out, as JSON does.
 */
export function unstorableReason(value: unknown): string | undefined {
  // the common cases without a walk
  if (value === undefined || value === null || typeof value === 'boolean') return undefined;
  return check(value, '$', new Set(), 0);
}

function check(v: unknown, path: string, ancestors: Set<object>, depth: number): string | undefined {
  switch (typeof v) {
    case 'undefined':
    case 'boolean':
      return undefined;
    case 'string':
      return v.includes('\u0000') ? `${path} contains a NUL character (\\u0000)` : undefined;
    case 'number':
      return Number.isFinite(v) ? undefined : `${path} is ${String(v)}, which JSON cannot represent`;
    case 'bigint':
      return `${path} is a BigInt (${v.toString()}n)`;
    case 'function':
      return `${path} is a function`;
    case 'symbol':
      return `${path} is a symbol`;
    case 'object':
      return v === null ? undefined : checkObject(v, path, ancestors, depth);
    default:
      return `${path} is of type ${typeof v}`;
  }
}

function checkObject(v: object, path: string, ancestors: Set<object>, depth: number): string | undefined {
  if (depth >= MAX_DEPTH) return `${path} is nested more than ${MAX_DEPTH} levels deep`;
  if (ancestors.has(v)) return `${path} refers back to an enclosing object (a cycle)`;
  if (v instanceof Map || v instanceof Set || v instanceof WeakMap || v instanceof WeakSet)
    return `${path} is a ${v.constructor.name}, which JSON cannot represent`;
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    let json: unknown;
    try {
      json = (toJSON as () => unknown).call(v);
    } catch (error) {
      return `${path}.toJSON() threw: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (json !== v) {
      ancestors.add(v);
      const problem = check(json, path, ancestors, depth + 1);
      ancestors.delete(v);
      return problem;
    }
  }
  ancestors.add(v);
  try {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const problem = check(v[i], `${path}[${i}]`, ancestors, depth + 1);
        if (problem) return problem;
      }
      return undefined;
    }
    for (const key of Object.keys(v)) {
      const at = /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      if (key.includes('\u0000')) return `${at} has a key with a NUL character (\\u0000)`;
      const problem = check((v as Record<string, unknown>)[key], at, ancestors, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    ancestors.delete(v);
  }
}

/** NUL characters as U+FFFD, the replacement character: the rest of a message stays readable. */
export function storableText(s: string): string {
  return s.includes('\u0000') ? s.replaceAll('\u0000', '\uFFFD') : s;
}

/**
 * A failure the store can hold. Captured failures are mostly JSON already (toFailure), but
 * their strings may hold NUL characters and their details anything; when that is so, the
 * failure says so and keeps a cleaned copy of the original as its cause.
 */
export function storableFailure(what: string, failure: Failure): Failure {
  const problem = unstorableReason(failure);
  if (problem === undefined) return failure;
  return {
    type: 'UnstorableValueError',
    message: `${what} cannot be stored: ${problem.replace(/^\$/, 'failure')}`,
    cause: cleanFailure(failure, 0),
  };
}

function cleanFailure(f: Failure, depth: number): Failure {
  const details = f.details === undefined ? undefined : cleanJson(f.details);
  return {
    type: storableText(String(f.type)),
    message: storableText(String(f.message)),
    ...(typeof f.stack === 'string' ? { stack: storableText(f.stack) } : {}),
    ...(f.cause && depth < 8 ? { cause: cleanFailure(f.cause, depth + 1) } : {}),
    ...(details && typeof details === 'object' && !Array.isArray(details) ? { details: details as Record<string, unknown> } : {}),
  };
}

/** A JSON-safe copy where what JSON cannot hold exactly is replaced by a description of it. */
function cleanJson(v: unknown, ancestors: object[] = []): unknown {
  switch (typeof v) {
    case 'string':
      return storableText(v);
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'bigint':
      return `${v.toString()}n`;
    case 'function':
    case 'symbol':
      return `[${typeof v}]`;
    case 'object':
      break;
    default:
      return v;
  }
  if (v === null) return null;
  if (ancestors.includes(v)) return '[cycle]';
  if (ancestors.length >= MAX_DEPTH) return '[too deep]';
  if (v instanceof Map || v instanceof Set || v instanceof WeakMap || v instanceof WeakSet) return `[${v.constructor.name}]`;
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  ancestors.push(v);
  try {
    if (typeof toJSON === 'function') {
      try {
        const json: unknown = (toJSON as () => unknown).call(v);
        return json === v ? '[object]' : cleanJson(json, ancestors);
      } catch {
        return '[toJSON threw]';
      }
    }
    if (Array.isArray(v)) return v.map((x) => cleanJson(x, ancestors) ?? null);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const c = cleanJson(x, ancestors);
      if (c !== undefined) out[storableText(k)] = c;
    }
    return out;
  } finally {
    ancestors.pop();
  }
}
