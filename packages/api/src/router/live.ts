import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';

import { toTRPCError } from '../errors.js';
import { flowId, idText, text } from '../inputs.js';
import { parseEventId, runEventStream } from '../live/run-event-stream.js';
import { runListStream } from '../live/run-list-stream.js';
import { viewerProcedure } from '../trpc.js';

/** Errors thrown once a stream runs skip the procedure's middleware: map them the same way. */
async function* mapStreamErrors<T>(stream: AsyncGenerator<T, void, unknown>): AsyncGenerator<T, void, unknown> {
  try {
    yield* stream;
  } catch (error) {
    throw toTRPCError(error) ?? error;
  }
}

export const liveRouter = {
  /**
   * A run's events over SSE, each tracked by its seq: a client reconnecting with its last event
   * id (httpSubscriptionLink does this) gets the rest with no gap and no duplicate.
   */
  run: viewerProcedure
    .input(z.strictObject({ runId: idText, lastEventId: text(40).nullish() }))
    .subscription(async ({ ctx, input, signal }) => {
      // an unknown run is refused here (NOT_FOUND) rather than after the stream has started
      await ctx.services.store.events(input.runId, Number.MAX_SAFE_INTEGER, 1);
      return mapStreamErrors(runEventStream(ctx.services, input.runId, parseEventId(input.lastEventId), signal));
    }),

  /** Summaries of runs as they change (the runs list), optionally of one flow. */
  runs: viewerProcedure
    .input(z.strictObject({ flowId: flowId.optional(), lastEventId: text(60).nullish() }).default({}))
    .subscription(({ ctx, input, signal }) =>
      mapStreamErrors(
        runListStream(
          ctx.services,
          {
            ...(input.lastEventId !== undefined ? { lastEventId: input.lastEventId } : {}),
            ...(input.flowId !== undefined ? { flowId: input.flowId } : {}),
          },
          signal,
        ),
      ),
    ),
} satisfies TRPCRouterRecord;
