import { describe, expect, it } from 'vitest';

import { AtomflowError, ValidationError } from './errors.js';
import { FailureSchema, toFailure, type Failure } from './failure.js';

class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(message);
  }
}

class NamedError extends Error {
  override name = 'Named';
  code = 'E_NAMED';
  retry = (): void => undefined;
  nothing = undefined;
}

function depth(f: Failure): number {
  let n = 1;
  for (let c = f.cause; c; c = c.cause) n++;
  return n;
}

describe('toFailure on errors', () => {
  it('captures type, message and stack', () => {
    const e = new TypeError('bad input');
    const f = toFailure(e);
    expect(f).toEqual({ type: 'TypeError', message: 'bad input', stack: e.stack });
    expect(FailureSchema.parse(f)).toEqual(f);
  });

  it('follows the cause chain', () => {
    const root = new RangeError('too big');
    const mid = new Error('while parsing', { cause: root });
    const top = new Error('request failed', { cause: mid });
    const f = toFailure(top);
    expect(f.message).toBe('request failed');
    expect(f.cause).toMatchObject({ type: 'Error', message: 'while parsing', cause: { type: 'RangeError', message: 'too big' } });
    expect(f.cause!.cause!.cause).toBeUndefined();
    expect(FailureSchema.parse(JSON.parse(JSON.stringify(f)))).toEqual(f);
  });

  it('captures a non-error cause', () => {
    expect(toFailure(new Error('x', { cause: 'disk full' })).cause).toEqual({ type: 'NonErrorThrown', message: 'disk full' });
    expect(toFailure(new Error('x', { cause: { errno: 28 } })).cause).toEqual({ type: 'NonErrorThrown', message: '{"errno":28}' });
  });

  it('limits the depth of a long or circular cause chain', () => {
    let e = new Error('e0');
    for (let i = 1; i < 50; i++) e = new Error(`e${i}`, { cause: e });
    expect(depth(toFailure(e))).toBe(9);
    const loop = new Error('loop');
    loop.cause = loop;
    const f = toFailure(loop);
    expect(depth(f)).toBe(9);
    expect(() => JSON.stringify(f)).not.toThrow();
  });

  it('uses the class name of a custom error and keeps its extra fields as details', () => {
    const f = toFailure(new HttpError('503 from upstream', 503, { retryAfter: 5 }));
    expect(f.type).toBe('HttpError');
    expect(f.details).toEqual({ status: 503, body: { retryAfter: 5 } });
  });

  it('prefers an explicit name, skipping functions and undefined fields', () => {
    const f = toFailure(new NamedError('named'));
    expect(f.type).toBe('Named');
    expect(f.details).toEqual({ code: 'E_NAMED' });
  });

  it('uses the stable name of atomflow errors', () => {
    expect(toFailure(new ValidationError([{ path: 'root', code: 'schema', message: 'm' }])).type).toBe('ValidationError');
    expect(toFailure(new AtomflowError('x')).type).toBe('AtomflowError');
  });

  it('turns unserialisable details into strings', () => {
    const e = new Error('with junk') as Error & { big: bigint; self: unknown };
    e.big = 10n;
    e.self = e;
    const f = toFailure(e);
    expect(f.details).toEqual({ big: '10', self: 'Error: with junk' });
    expect(() => JSON.stringify(f)).not.toThrow();
  });

  it('omits details when there are none and the stack when there is none', () => {
    const e = new Error('bare');
    e.stack = undefined;
    expect(toFailure(e)).toEqual({ type: 'Error', message: 'bare' });
  });
});

describe('toFailure on other values', () => {
  it('wraps strings and JSON values', () => {
    expect(toFailure('boom')).toEqual({ type: 'NonErrorThrown', message: 'boom' });
    expect(toFailure({ code: 42 })).toEqual({ type: 'NonErrorThrown', message: '{"code":42}' });
    expect(toFailure(42)).toEqual({ type: 'NonErrorThrown', message: '42' });
    expect(toFailure(null)).toEqual({ type: 'NonErrorThrown', message: 'null' });
    expect(toFailure(undefined)).toEqual({ type: 'NonErrorThrown', message: 'undefined' });
    expect(toFailure(Symbol('s'))).toEqual({ type: 'NonErrorThrown', message: 'Symbol(s)' });
    expect(toFailure(() => 1).type).toBe('NonErrorThrown');
  });

  it('never throws', () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular['self'] = circular;
    expect(toFailure(circular)).toEqual({ type: 'NonErrorThrown', message: '[object Object]' });
    const bare = Object.create(null) as Record<string, unknown>;
    bare['self'] = bare;
    expect(toFailure(bare)).toEqual({ type: 'NonErrorThrown', message: '[object Object]' });
    expect(toFailure(10n)).toEqual({ type: 'NonErrorThrown', message: '10' });
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('no');
        },
        getPrototypeOf() {
          throw new Error('no');
        },
        ownKeys() {
          throw new Error('no');
        },
      },
    );
    expect(toFailure(hostile).type).toBe('NonErrorThrown');
    const badError = new Error('x');
    Object.defineProperty(badError, 'message', {
      get() {
        throw new Error('no message');
      },
    });
    expect(toFailure(badError).type).toBe('NonErrorThrown');
  });

  it('copies a captured failure (e.g. read back from a store), keeping only its fields', () => {
    const stored: Failure = {
      type: 'HttpError',
      message: 'm',
      stack: 's',
      details: { status: 500 },
      cause: { type: 'Error', message: 'c' },
    };
    const f = toFailure(stored);
    expect(f).toEqual(stored);
    expect(f).not.toBe(stored);
    const messy = { type: 'X', message: 'y', extra: 'dropped', details: { fn: () => 1, ok: 1 } };
    expect(toFailure(messy)).toEqual({ type: 'X', message: 'y', details: { ok: 1 } });
  });

  it('limits the depth of a circular captured failure', () => {
    const f: { type: string; message: string; cause?: unknown } = { type: 'X', message: 'm' };
    f.cause = f;
    const out = toFailure(f);
    expect(depth(out)).toBe(9);
    expect(() => JSON.stringify(out)).not.toThrow();
  });
});
