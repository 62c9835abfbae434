import { z } from 'zod';

import { defineAtom } from '../define-atom.js';
import { renderTemplate } from './template.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

const config = z.object({
  message: z.string().min(1, 'message must not be empty').describe('Message; {{input}} or {{input.path}} placeholders take values from the inputs'),
  level: z.enum(LOG_LEVELS).default('info'),
});

/** Writes a line to the run's log; a way to see values flow through a design. */
export const log = defineAtom({
  type: 'log',
  version: 1,
  category: 'Utility',
  description: 'Writes a message to the run log ({{input}} placeholders are filled from the inputs) and returns the message and its inputs.',
  config,
  // Whatever the node requires is available to the template.
  inputs: z.record(z.string(), z.unknown()),
  outputs: z.object({ message: z.string(), level: z.enum(LOG_LEVELS), inputs: z.record(z.string(), z.unknown()) }),
  inputNames: () => ({ required: [], optional: {} }),
  execute(inputs, ctx) {
    const message = renderTemplate(ctx.config.message, inputs);
    ctx.log(message, { level: ctx.config.level, inputs });
    return { message, level: ctx.config.level, inputs };
  },
});
