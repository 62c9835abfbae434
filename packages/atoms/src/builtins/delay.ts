import { RetryLater } from '@atomflow/engine';
import { z } from 'zod';

import { defineAtom } from '../define-atom.js';

const config = z.object({
  ms: z.number().int().min(0).describe('How long to wait (ms), from the first time the atom runs'),
});

/**
 * A durable timer: it holds no worker while it waits. The deadline is stored in a sub-step on
 * first entry, so a re-entry (after the wake-up, a crash or a resume) waits for the same deadline
 * instead of starting over; until then it parks itself with RetryLater.
 */
export const delay = defineAtom({
  type: 'delay',
  version: 1,
  category: 'Flow control',
  description: 'Waits ms milliseconds without holding a worker (a durable timer that survives restarts), then returns {waitedMs}.',
  config,
  inputs: z.object({}),
  outputs: z.object({ waitedMs: z.number() }),
  async execute(_inputs, ctx) {
    const { ms } = ctx.config;
    const deadline = await ctx.step('deadline', () => Date.now() + ms);
    const now = Date.now();
    if (now < deadline) {
      throw new RetryLater(`waiting until ${new Date(deadline).toISOString()}`, { delayMs: deadline - now });
    }
    // Measured from the stored start, so time spent suspended or crashed counts as waited.
    return { waitedMs: now - (deadline - ms) };
  },
});
