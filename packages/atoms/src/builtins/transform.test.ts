import { CancelledError } from '@atomflow/engine';
import { describe, expect, it } from 'vitest';

import { FakeAtomRun } from '../testing/fake-context.js';
import { HARD_GRACE_MS } from './transform-pool.js';
import { transform } from './transform.js';
import {
  TransformMemoryError,
  TransformResultError,
  TransformStackError,
  TransformSyntaxError,
  TransformThrewError,
  TransformTimeoutError,
} from './transform-errors.js';

function run(expression: string, inputs: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<unknown> {
  return new FakeAtomRun(transform, { expression, ...extra }).execute(inputs);
}

async function failure(expression: string, inputs: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Promise<Error> {
  try {
    const value = await run(expression, inputs, extra);
    throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
  } catch (err) {
    if (!(err instanceof Error) || err.message.startsWith('expected a failure')) throw err;
    return err;
  }
}

describe('transform: results', () => {
  it('computes arithmetic over inputs named as variables', async () => {
    expect(await run('a * b + 1', { a: 6, b: 7 })).toBe(43);
  });

  it('builds objects (a leading brace is an object literal, not a block)', async () => {
    expect(await run('{ id: order.id, total: order.lines.length * 2, tags: ["x"] }', { order: { id: 'o-1', lines: [1, 2, 3] } })).toEqual({
      id: 'o-1',
      total: 6,
      tags: ['x'],
    });
  });

  it('maps and filters arrays from the inputs', async () => {
    const items = [
      { sku: 'a', qty: 0 },
      { sku: 'b', qty: 2 },
      { sku: 'c', qty: 5 },
    ];
    expect(await run('items.filter(i => i.qty > 0).map(i => ({ sku: i.sku.toUpperCase(), double: i.qty * 2 }))', { items })).toEqual([
      { sku: 'B', double: 4 },
      { sku: 'C', double: 10 },
    ]);
  });

  it('reads every input through `inputs`, also names that are not identifiers or shadow a global', async () => {
    expect(await run('[inputs["order-id"], inputs.Math, Math.max(1, 2)]', { 'order-id': 7, Math: 'mine' })).toEqual([7, 'mine', 2]);
  });

  it('returns null, strings and booleans as they are; a Date as its JSON string', async () => {
    expect(await run('null')).toBeNull();
    expect(await run('`hi ${name}`', { name: 'Ada' })).toBe('hi Ada');
    expect(await run('x === 1', { x: 1 })).toBe(true);
    expect(await run('new Date(0)')).toBe('1970-01-01T00:00:00.000Z');
  });

  it('ignores a trailing line comment', async () => {
    expect(await run('1 + 1 // two')).toBe(2);
  });

  it('declares its config requires as required inputs', () => {
    const cfg = transform.config!.parse({ expression: 'a', requires: ['a', 'b'] });
    expect(transform.inputNames!(cfg)).toEqual({ required: ['a', 'b'], optional: {} });
    expect(transform.inputNames!(transform.config!.parse({ expression: 'a' }))).toEqual({ required: [], optional: {} });
  });
});

describe('transform: config', () => {
  it('is strict and caps the limits', () => {
    const issue = (c: Record<string, unknown>) => transform.config!.safeParse(c).error?.issues[0];
    expect(issue({ expression: '' })?.message).toBe('expression must not be empty');
    expect(issue({ expression: '1', extra: true })?.code).toBe('unrecognized_keys');
    expect(issue({ expression: '1', timeoutMs: 60_000 })?.message).toBe('must be ≤ 10000');
    expect(issue({ expression: '1', memoryLimitBytes: 1e12 })?.path).toEqual(['memoryLimitBytes']);
    expect(issue({ expression: '1', requires: ['a', 'a'] })?.message).toBe('must not list a name twice');
    expect(transform.config!.parse({ expression: '1' })).toMatchObject({ timeoutMs: 1000, memoryLimitBytes: 16 * 1024 * 1024 });
  });
});

describe('transform: errors', () => {
  it('reports a syntax error with its line and column in the expression', async () => {
    const err = await failure('a +\n  * b', { a: 1, b: 2 });
    expect(err).toBeInstanceOf(TransformSyntaxError);
    expect(err).toMatchObject({ line: 2, column: 3 });
    expect(err.message).toMatch(/^syntax error at line 2, column 3: /);
  });

  it('places an unexpected end on the last line of the expression', async () => {
    const err = await failure('1 +');
    expect(err).toMatchObject({ name: 'TransformSyntaxError', line: 1, column: 4 });
  });

  it('reports what the expression threw; a SyntaxError thrown at run time is not a syntax error of the expression', async () => {
    expect(await failure('(() => { throw new RangeError("too big") })()')).toMatchObject({
      name: 'TransformThrewError',
      errorName: 'RangeError',
      message: 'the expression threw RangeError: too big',
    });
    expect(await failure('JSON.parse("{")')).toBeInstanceOf(TransformThrewError);
    expect(await failure('(() => { throw "plain" })()')).toMatchObject({ errorName: 'string', detail: 'plain' });
    expect(await failure('missing + 1')).toMatchObject({ errorName: 'ReferenceError' });
  });

  it('rejects values that are not JSON', async () => {
    const cases: [string, RegExp][] = [
      ['undefined', /produced undefined/],
      ['() => 1', /function/],
      ['({ f() {} })', /"f" is a function/],
      ['NaN', /NaN/],
      ['[1, Infinity]', /Infinity/],
      ['10n', /bigint/],
      ['new Map()', /Map/],
      ['Promise.resolve(1)', /Promise/],
      ['(() => { const o = {}; o.self = o; return o })()', /circular|cycle/i],
    ];
    for (const [expression, message] of cases) {
      const err = await failure(expression);
      expect(err, expression).toBeInstanceOf(TransformResultError);
      expect(err.message, expression).toMatch(message);
    }
  });
});

describe('transform: sandbox', () => {
  it('sees no host objects', async () => {
    expect(
      await run(
        '[typeof process, typeof require, typeof module, typeof fetch, typeof setTimeout, typeof setInterval, typeof queueMicrotask, typeof Buffer, typeof WebAssembly, typeof console]',
      ),
    ).toEqual(Array(10).fill('undefined'));
  });

  it('finds nothing of the host through the Function constructor or globalThis', async () => {
    expect(await run("globalThis.constructor.constructor('return typeof process')()")).toBe('undefined');
    expect(await run("typeof Function('return this')().process")).toBe('undefined');
    expect(
      await run(
        "Object.getOwnPropertyNames(Function('return this')()).filter(n => /^(process|require|fetch|Buffer|setTimeout|global)$/.test(n))",
      ),
    ).toEqual([]);
    await expect(run("globalThis.constructor.constructor('return process')().exit(1)")).rejects.toMatchObject({
      errorName: 'ReferenceError',
    });
    await expect(run("require('fs').readFileSync('/etc/passwd', 'utf8')")).rejects.toMatchObject({ errorName: 'ReferenceError' });
    await expect(run("fetch('http://127.0.0.1:9')")).rejects.toMatchObject({ errorName: 'ReferenceError' });
    await expect(run('setTimeout(() => 1, 0)')).rejects.toMatchObject({ errorName: 'ReferenceError' });
  });

  it('cannot import a module', async () => {
    // import() yields a rejected promise (no module loader): never a value.
    await expect(run("import('fs')")).rejects.toBeInstanceOf(TransformResultError);
    await expect(run("import fs from 'fs'")).rejects.toBeInstanceOf(TransformSyntaxError);
  });

  it('interrupts an infinite loop at the time limit', async () => {
    const started = performance.now();
    const err = await failure('(() => { while (true) {} })()', {}, { timeoutMs: 100 });
    const took = performance.now() - started;
    expect(err).toBeInstanceOf(TransformTimeoutError);
    expect(err.message).toBe('the expression ran longer than 100 ms and was interrupted');
    expect(took).toBeGreaterThanOrEqual(100);
    expect(took).toBeLessThan(2_000);
  });

  it('interrupts a getter that loops while the result is read', async () => {
    expect(await failure('({ get x() { for (;;) {} } })', {}, { timeoutMs: 50 })).toBeInstanceOf(TransformTimeoutError);
  });

  it('stops a memory bomb at the memory limit; the host is unharmed and the next transform works', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const err = await failure(
      '(() => { const a = []; for (;;) a.push([a.length, 1, 2, 3, 4, 5, 6, 7]) })()',
      {},
      { memoryLimitBytes: 4 * 1024 * 1024 },
    );
    expect(err).toBeInstanceOf(TransformMemoryError);
    expect(err.message).toBe('the expression ran out of memory (limit 4194304 bytes)');
    // The bomb lived in the wasm heap, not in V8's.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
    expect(await run('[1, 2, 3].map(x => x * x)')).toEqual([1, 4, 9]);
  });

  it('fails deep recursion cleanly at the stack limit', async () => {
    expect(await failure('(function f(n) { return f(n + 1) + 1 })(0)')).toBeInstanceOf(TransformStackError);
    expect(await run('(function f(n) { return n === 0 ? 0 : 1 + f(n - 1) })(100)')).toBe(100);
  });

  it('keeps no state between executions', async () => {
    expect(
      await run('(globalThis.leak = 41, Object.prototype.polluted = "yes", Array.prototype.map = null, JSON.stringify = () => "{}", 1)'),
    ).toBe(1);
    expect(await run('[typeof leak, ({}).polluted === undefined, typeof [].map]')).toEqual(['undefined', true, 'function']);
    // Whichever pooled worker runs it: polluters and checkers at once, every checker sees a clean realm.
    const mixed = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        run(i % 2 ? '[typeof leak, ({}).polluted === undefined]' : '(globalThis.leak = 1, Object.prototype.polluted = 1, null)'),
      ),
    );
    expect(mixed.filter((_, i) => i % 2)).toEqual(Array(6).fill(['undefined', true]));
  });

  it('passes inputs as JSON copies: changing them in the sandbox does not touch the caller', async () => {
    const order = { lines: [1, 2] };
    expect(await run('(order.lines.push(3), order.lines.length)', { order })).toBe(3);
    expect(order.lines).toEqual([1, 2]);
  });

  it('a cancelled run stops the expression at once with CancelledError', async () => {
    const ac = new AbortController();
    const r = new FakeAtomRun(transform, { expression: '(() => { for (;;) {} })()', timeoutMs: 10_000 }, { signal: ac.signal });
    const started = performance.now();
    setTimeout(() => ac.abort(), 100);
    await expect(r.execute({})).rejects.toBeInstanceOf(CancelledError);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await run('"still working"')).toBe('still working');
  });

  it('stops an expression that calls expensive built-ins in a loop (few interrupt checks) near its deadline, without blocking the event loop', async () => {
    // QuickJS polls its interrupt handler every ~10,000 operations: 2,000 joins of 200,000
    // elements ran ~29 s past a 100 ms deadline in-process. The worker running it is terminated.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    const started = performance.now();
    const err = await failure(
      '(() => { const a = new Array(2e5).fill("x"); for (let i = 0; i < 2000; i++) a.join(","); return 1 })()',
      {},
      { timeoutMs: 100 },
    );
    const took = performance.now() - started;
    clearInterval(ticker);
    expect(err).toBeInstanceOf(TransformTimeoutError);
    expect(took).toBeLessThan(100 + HARD_GRACE_MS + 1_500);
    // The main thread kept running timers all along.
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(took / 20 / 3));
    expect(await run('1 + 1')).toBe(2);
  });

  it('runs several evaluations at once (in the pool) with correct results each', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => run('n * n', { n: i })));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * i));
  });
});
