import { z } from 'zod';

import type { AnyAtomDefinition } from '../atom-types.js';
import { RetryLater } from '../errors.js';
import { AtomRegistry } from '../registry.js';

/** One user-code invocation, as the conformance call log records it. */
export type Call =
  | { atom: string; fn: 'execute'; args: Record<string, unknown> }
  | { atom: string; fn: 'revert'; result?: unknown; failure?: { type: string; message: string } }
  | { atom: string; fn: 'step'; step: string; attempt: number }
  | { atom: string; fn: 'leave' };

const open = z.record(z.string(), z.unknown());

/**
 * Minimal engine-test atoms with the conformance semantics (the full built-ins live in
 * @atomflow/atoms, which depends on the engine). Calls are appended to `calls`.
 */
export function testRegistry(calls: Call[] = []): { registry: AtomRegistry; calls: Call[] } {
  const echo: AnyAtomDefinition = {
    type: 'test.echo',
    version: 1,
    config: z.object({
      value: z.unknown().optional(),
      sum: z.boolean().optional(),
      pick: z.string().optional(),
      defaults: open.optional(),
    }),
    inputNames: (c: { defaults?: Record<string, unknown> }) => ({ required: [], optional: c.defaults ?? {} }),
    execute(inputs: Record<string, unknown>, ctx) {
      calls.push({ atom: ctx.atom, fn: 'execute', args: inputs });
      const c = ctx.config as { value?: unknown; sum?: boolean; pick?: string };
      if (c.sum) return Object.values(inputs).reduce((a: number, b) => a + Number(b), 0);
      if (c.pick !== undefined) return inputs[c.pick];
      return 'value' in c ? c.value : inputs;
    },
    revert(_inputs, ctx) {
      calls.push(
        ctx.failure
          ? { atom: ctx.atom, fn: 'revert', failure: { type: ctx.failure.type, message: ctx.failure.message } }
          : { atom: ctx.atom, fn: 'revert', result: ctx.result },
      );
    },
  };
  const fail: AnyAtomDefinition = {
    type: 'test.fail',
    version: 1,
    config: z.object({ failTimes: z.number().int().min(0).optional(), value: z.unknown().optional(), revertFails: z.boolean().optional() }),
    execute(inputs: Record<string, unknown>, ctx) {
      calls.push({ atom: ctx.atom, fn: 'execute', args: inputs });
      const c = ctx.config as { failTimes?: number; value?: unknown };
      if (c.failTimes === undefined || ctx.attempt <= c.failTimes) throw new Error(`${ctx.atom} failed (attempt ${ctx.attempt})`);
      return 'value' in c ? c.value : inputs;
    },
    revert(_inputs, ctx) {
      calls.push(
        ctx.failure
          ? { atom: ctx.atom, fn: 'revert', failure: { type: ctx.failure.type, message: ctx.failure.message } }
          : { atom: ctx.atom, fn: 'revert', result: ctx.result },
      );
      if ((ctx.config as { revertFails?: boolean }).revertFails) throw new Error(`${ctx.atom} revert failed`);
    },
  };
  const steps: AnyAtomDefinition = {
    type: 'test.steps',
    version: 1,
    config: z.object({ steps: z.record(z.string(), z.number().int().min(1)), delayMs: z.number().int().min(0).default(10) }),
    async execute(_inputs, ctx) {
      calls.push({ atom: ctx.atom, fn: 'execute', args: {} });
      const c = ctx.config as { steps: Record<string, number>; delayMs: number };
      const fns = Object.fromEntries(
        Object.entries(c.steps).map(([name, n]) => [
          name,
          ({ attempt }: { attempt: number }) => {
            calls.push({ atom: ctx.atom, fn: 'step', step: name, attempt });
            if (attempt < n) throw new RetryLater(`${name} not ready`, { delayMs: c.delayMs });
            return attempt;
          },
        ]),
      );
      const out = await ctx.execute(fns);
      calls.push({ atom: ctx.atom, fn: 'leave' });
      return out;
    },
  };
  const sleep: AnyAtomDefinition = {
    type: 'test.sleep',
    version: 1,
    config: z.object({ ms: z.number().int().min(0), value: z.unknown().optional() }),
    async execute(_inputs, ctx) {
      const c = ctx.config as { ms: number; value?: unknown };
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, c.ms);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(t);
          reject(ctx.signal.reason as Error);
        });
      });
      return c.value ?? null;
    },
  };
  const noop: AnyAtomDefinition = { type: 'test.noop', version: 1, execute: () => null };
  return { registry: new AtomRegistry([echo, fail, steps, sleep, noop]), calls };
}
