import { CancelledError } from '@atomflow/engine';
import { z } from 'zod';

import { defineAtom } from '../define-atom.js';
import { TEST_CATEGORY, logExecute, logRevert, openInputs } from './test-common.js';

const config = z.object({
  ms: z.number().int().min(0).describe('How long to hold the worker (ms)'),
  value: z.unknown().optional().describe('Returned after sleeping (absent: its inputs)'),
});

/**
 * Holds its worker for `ms` (unlike `delay`): used to test parallelism, cancellation and leases.
 * Cancelling the run aborts the sleep with CancelledError.
 */
export const testSleep = defineAtom({
  type: 'test.sleep',
  version: 1,
  category: TEST_CATEGORY,
  description: 'Test atom: sleeps ms milliseconds (aborted when the run is cancelled), then returns config.value or its inputs.',
  config,
  inputs: openInputs,
  inputNames: () => ({ required: [], optional: {} }),
  async execute(inputs, ctx) {
    logExecute(ctx.atom, inputs);
    await sleep(ctx.config.ms, ctx.signal, ctx.atom);
    return ctx.config.value !== undefined ? ctx.config.value : inputs;
  },
  revert(_inputs, ctx) {
    logRevert(ctx);
  },
});

function sleep(ms: number, signal: AbortSignal, atom: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = (): CancelledError => new CancelledError(`${atom} cancelled while sleeping`, { cause: signal.reason });
    if (signal.aborted) return reject(cancelled());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
