import { type QuickJSContext, type QuickJSHandle, type QuickJSWASMModule, newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core';

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
 * with a deadline (interrupt handler), a heap limit and a stack limit. One wasm module is loaded
 * per process and shared; if it ever aborts it is dropped and the next evaluation loads a new one.
 */

export interface SandboxLimits {
  readonly timeoutMs: number;
  readonly memoryLimitBytes: number;
  readonly stackLimitBytes: number;
  /** Interrupts the evaluation when aborted (the caller decides what that means). */
  readonly signal?: AbortSignal;
}

/** The file name QuickJS reports positions in. */
const FILE = 'expression';

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

let modulePromise: Promise<QuickJSWASMModule> | undefined;

/** The shared QuickJS wasm module (compiled once per process, ~10 ms). */
export function quickJS(): Promise<QuickJSWASMModule> {
  modulePromise ??= newQuickJSWASMModuleFromVariant(import('@jitl/quickjs-wasmfile-release-sync')).catch((err: unknown) => {
    modulePromise = undefined;
    throw err;
  });
  return modulePromise;
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
  const mod = await quickJS();
  try {
    return runInFreshContext(mod, expression, inputJson, limits);
  } catch (err) {
    if (err instanceof TransformError) throw err;
    // The module itself failed (a wasm abort): never reuse it.
    if (modulePromise) modulePromise = undefined;
    throw err;
  }
}

function runInFreshContext(mod: QuickJSWASMModule, expression: string, inputJson: string, limits: SandboxLimits): unknown {
  const runtime = mod.newRuntime();
  let deadline = performance.now() + limits.timeoutMs;
  let timedOut = false;
  runtime.setMemoryLimit(limits.memoryLimitBytes);
  runtime.setMaxStackSize(limits.stackLimitBytes);
  runtime.setInterruptHandler(() => {
    if (limits.signal?.aborted) return true;
    if (performance.now() > deadline) timedOut = true;
    return timedOut;
  });
  const ctx = runtime.newContext();
  try {
    const finish = setUp(ctx, inputJson, limits);
    try {
      // The closing parenthesis on its own line: a trailing `// comment` cannot swallow it.
      const evaluated = ctx.evalCode(`(${expression}\n)`, FILE, { type: 'global', strict: true });
      // Describing the outcome may run user getters: give it a short deadline of its own.
      if (!timedOut) deadline = Math.max(deadline, performance.now() + 50);
      const ok = evaluated.error === undefined;
      const handle = evaluated.error ?? evaluated.value;
      const finished = call(ctx, finish, ok, handle, limits, () => timedOut);
      return interpret(finished, expression, limits, () => timedOut);
    } finally {
      finish.dispose();
    }
  } finally {
    ctx.dispose();
    runtime.dispose();
  }
}

function setUp(ctx: QuickJSContext, inputJson: string, limits: SandboxLimits): QuickJSHandle {
  const prelude = ctx.evalCode(PRELUDE, 'prelude', { type: 'global', strict: true });
  if (prelude.error) throw hostFailure(ctx, prelude.error, limits, 'the sandbox prelude failed');
  const json = ctx.newString(inputJson);
  try {
    const made = ctx.callFunction(prelude.value, ctx.undefined, json);
    if (made.error) throw hostFailure(ctx, made.error, limits, 'the inputs could not be set up');
    return made.value;
  } finally {
    json.dispose();
    prelude.value.dispose();
  }
}

function call(
  ctx: QuickJSContext,
  finish: QuickJSHandle,
  ok: boolean,
  handle: QuickJSHandle,
  limits: SandboxLimits,
  timedOut: () => boolean,
): Finished {
  try {
    const result = ctx.callFunction(finish, ctx.undefined, ok ? ctx.true : ctx.false, handle);
    if (result.error) throw hostFailure(ctx, result.error, limits, 'the result could not be read', timedOut());
    try {
      return JSON.parse(ctx.getString(result.value)) as Finished;
    } finally {
      result.value.dispose();
    }
  } finally {
    handle.dispose();
  }
}

function interpret(finished: Finished, expression: string, limits: SandboxLimits, timedOut: () => boolean): unknown {
  if ('json' in finished) {
    try {
      return JSON.parse(finished.json) as unknown;
    } catch {
      throw new TransformResultError('it does not parse as JSON');
    }
  }
  if ('bad' in finished) throw new TransformResultError(finished.bad);
  const { name, message, stack } = finished.error;
  const limit = limitError(name, message, limits, timedOut());
  if (limit) throw limit;
  // A parse error's position has no function frame ("at expression:L:C"); a SyntaxError thrown at
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
  if (message === 'interrupted') return new TransformThrewError('InternalError', 'interrupted (cancelled)');
  if (message === 'out of memory') return new TransformMemoryError(limits.memoryLimitBytes);
  if (message === 'stack overflow') return new TransformStackError(limits.stackLimitBytes);
  return undefined;
}

/** A failure of the sandbox's own code: usually a limit (memory, deadline) hit while it ran. */
function hostFailure(ctx: QuickJSContext, error: QuickJSHandle, limits: SandboxLimits, what: string, timedOut = false): TransformError {
  try {
    if (timedOut) return new TransformTimeoutError(limits.timeoutMs);
    const dumped: unknown = ctx.dump(error);
    const name = typeof dumped === 'object' && dumped !== null && 'name' in dumped ? String(dumped.name) : '';
    const message = typeof dumped === 'object' && dumped !== null && 'message' in dumped ? String(dumped.message) : String(dumped);
    return limitError(name, message, limits, false) ?? new TransformError(`${what}: ${message}`);
  } catch {
    return new TransformError(what);
  } finally {
    error.dispose();
  }
}
