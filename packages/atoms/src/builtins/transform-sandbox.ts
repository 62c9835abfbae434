import { SandboxPool } from './transform-pool.js';
import {
  TransformError,
  TransformInputError,
  TransformMemoryError,
  TransformResultError,
  TransformStackError,
  TransformSyntaxError,
  TransformThrewError,
  TransformTimeoutError,
} from './transform-errors.js';

/**
 * Evaluates a JavaScript expression in QuickJS compiled to WebAssembly. The interpreter has its
 * own heap inside the wasm module's linear memory: nothing of the host (process, require, fetch,
 * timers, Node's globals) exists in it, and values cross the boundary only as JSON strings. Each
 * evaluation gets a fresh QuickJS runtime and context (no state survives between evaluations)
 * with a deadline (interrupt handler), a heap limit and a stack limit. Evaluations run in worker
 * threads (transform-pool.ts), each with its own wasm module: a slow expression never blocks the
 * server's event loop, and one that overruns its deadline is stopped by terminating its worker.
 */

export interface SandboxLimits {
  readonly timeoutMs: number;
  readonly memoryLimitBytes: number;
  readonly stackLimitBytes: number;
  /** Interrupts the evaluation when aborted (the caller decides what that means). */
  readonly signal?: AbortSignal;
}

/**
 * Runs before the expression in the same context: parses the inputs, exposes them as `inputs` and
 * (names that are identifiers and shadow no global) as globals, and returns `finish`, which turns
 * the expression's value or thrown value into one JSON string. It captures the built-ins it uses
 * before the expression runs, so an expression that replaces `JSON.stringify` fools only itself
 * (and the host re-parses whatever comes out).
 */
const PRELUDE = `(function (json) {
  'use strict';
  const stringify = JSON.stringify, parse = JSON.parse, getProto = Object.getPrototypeOf, OP = Object.prototype;
  const isArray = Array.isArray, finite = Number.isFinite, keys = Object.keys, define = Object.defineProperty, toStr = String;
  const ident = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  const values = parse(json);
  define(globalThis, 'inputs', { value: values, writable: true, configurable: true });
  for (const k of keys(values)) if (ident.test(k) && !(k in globalThis)) globalThis[k] = values[k];
  function text(v) { try { return toStr(v); } catch (e) { return '(unprintable)'; } }
  function replacer(key, value) {
    const where = key === '' ? 'the value' : '"' + key + '"';
    const t = typeof value;
    if (t === 'function' || t === 'symbol' || t === 'bigint') throw new TypeError(where + ' is a ' + t);
    if (t === 'number' && !finite(value)) throw new TypeError(where + ' is ' + value);
    if (t === 'object' && value !== null && !isArray(value)) {
      const proto = getProto(value);
      if (proto !== OP && proto !== null) {
        const ctor = proto.constructor;
        throw new TypeError(where + ' is a ' + (typeof ctor === 'function' && ctor.name ? ctor.name : 'non-plain object'));
      }
    }
    return value;
  }
  return function finish(ok, v) {
    if (ok) {
      if (v === undefined) return stringify({ bad: 'the expression produced undefined' });
      try { return stringify({ json: stringify(v, replacer) }); } catch (e) { return stringify({ bad: text(e && e.message) }); }
    }
    if (v !== null && (typeof v === 'object' || typeof v === 'function')) {
      let name = 'Error', message = '', stack = '';
      try { name = text(v.name); message = text(v.message); stack = typeof v.stack === 'string' ? v.stack.slice(0, 2000) : ''; } catch (e) {}
      return stringify({ error: { name, message, stack } });
    }
    return stringify({ error: { name: typeof v, message: text(v).slice(0, 2000), stack: '' } });
  };
})`;

const pool = new SandboxPool(PRELUDE);

/** Starts the sandbox workers (each loads the QuickJS wasm module once); evaluations wait for it anyway. */
export async function warmUpSandbox(): Promise<void> {
  await evaluateExpression('0', {}, { timeoutMs: 5_000, memoryLimitBytes: 8 * 1024 * 1024, stackLimitBytes: 256 * 1024 });
}

type Finished = { readonly json: string } | { readonly bad: string } | { readonly error: { name: string; message: string; stack: string } };

/** Evaluates `expression` with `inputs` (a JSON value) and returns its JSON result, or throws a TransformError. */
export async function evaluateExpression(
  expression: string,
  inputs: Readonly<Record<string, unknown>>,
  limits: SandboxLimits,
): Promise<unknown> {
  let inputJson: string;
  try {
    inputJson = JSON.stringify(inputs);
  } catch (err) {
    throw new TransformInputError(err instanceof Error ? err.message : String(err));
  }
  const answer = await pool.run(
    {
      // The closing parenthesis on its own line: a trailing `// comment` cannot swallow it.
      source: `(${expression}\n)`,
      inputJson,
      timeoutMs: limits.timeoutMs,
      memoryLimitBytes: limits.memoryLimitBytes,
      stackLimitBytes: limits.stackLimitBytes,
    },
    limits.signal,
  );
  if (answer.ok) return interpret(JSON.parse(answer.finished) as Finished, expression, limits);
  if ('killed' in answer) {
    if (answer.killed === 'timeout') throw new TransformTimeoutError(limits.timeoutMs);
    if (answer.killed === 'cancelled') throw new TransformError('the expression was cancelled');
    throw new TransformError(`the sandbox failed: ${answer.message ?? 'unknown'}`);
  }
  // The sandbox's own code failed: usually a limit (memory, deadline) hit while it ran.
  throw (
    limitError(answer.name, answer.message, limits, answer.timedOut) ??
    new TransformError(`the sandbox failed (${answer.stage}): ${answer.message}`)
  );
}

function interpret(finished: Finished, expression: string, limits: SandboxLimits): unknown {
  if ('json' in finished) {
    try {
      return JSON.parse(finished.json) as unknown;
    } catch {
      throw new TransformResultError('it does not parse as JSON');
    }
  }
  if ('bad' in finished) throw new TransformResultError(finished.bad);
  const { name, message, stack } = finished.error;
  const limit = limitError(name, message, limits, name === 'InternalError' && message === 'interrupted');
  if (limit) throw limit;
  // A parse error's position (in the file the worker names `expression`) has no function frame ("at expression:L:C"); a SyntaxError thrown at
  // run time (JSON.parse('{')) is reported from inside a frame ("at <eval> (expression:L:C)").
  const parsePosition = /^\s*at expression:(\d+):(\d+)/.exec(stack);
  if (name === 'SyntaxError' && parsePosition) {
    const [line, column] = userPosition(expression, Number(parsePosition[1]), Number(parsePosition[2]));
    throw new TransformSyntaxError(message, line, column);
  }
  throw new TransformThrewError(name, message);
}

/** Maps a position in the wrapped source `(${expression}\n)` back into the expression. */
function userPosition(expression: string, line: number, column: number): [number, number] {
  const lines = expression.split('\n');
  if (line > lines.length) return [lines.length, lines[lines.length - 1]!.length + 1];
  return [line, line === 1 ? Math.max(1, column - 1) : column];
}

function limitError(name: string, message: string, limits: SandboxLimits, timedOut: boolean): TransformError | undefined {
  if (timedOut) return new TransformTimeoutError(limits.timeoutMs);
  if (name !== 'InternalError') return undefined;
  if (message === 'out of memory') return new TransformMemoryError(limits.memoryLimitBytes);
  if (message === 'stack overflow') return new TransformStackError(limits.stackLimitBytes);
  return undefined;
}
