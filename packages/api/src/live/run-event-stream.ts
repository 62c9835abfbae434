import type { RunEvent } from '@atomflow/model';
import { tracked, type TrackedEnvelope } from '@trpc/server';

import type { ApiServices } from '../services.js';
import { Inbox } from './inbox.js';

/** Events read from the store at a time when catching up. */
const PAGE = 500;

/** The tracked id of an event: its seq (decimal). */
export function parseEventId(id: string | null | undefined): number {
  if (id === null || id === undefined || !/^\d{1,15}$/.test(id)) return 0;
  return Number(id);
}

/**
 * Every event of a run after `afterSeq`, in order, then live ones as they are committed — each
 * exactly once. It listens first, then reads the store (backfill); a live event is yielded only
 * when it is the next seq, otherwise (a gap: an event published out of order or lost, a burst
 * that overflowed the buffer) the store fills in. A periodic read of the store covers
 * notifications that never arrived (another process's NOTIFY lost while reconnecting).
 */
export async function* runEventStream(
  services: ApiServices,
  runId: string,
  afterSeq: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<TrackedEnvelope<RunEvent>, void, unknown> {
  const inbox = new Inbox<RunEvent>();
  const unsubscribe = services.events.subscribe((e) => inbox.push(e), runId);
  const pollMs = services.livePollMs ?? 3000;
  let cursor = afterSeq;
  try {
    let fromStore = true;
    while (!signal?.aborted) {
      if (fromStore) {
        // throws RunNotFoundError for an unknown run (the subscription then ends with NOT_FOUND)
        const page = await services.store.events(runId, cursor, PAGE);
        for (const e of page) {
          if (e.seq <= cursor) continue;
          cursor = e.seq;
          yield tracked(String(e.seq), e);
        }
        if (page.length === PAGE) continue;
        fromStore = false;
      }
      const { items, overflowed } = inbox.take();
      if (overflowed) {
        fromStore = true;
        continue;
      }
      for (const e of items) {
        if (e.seq <= cursor) continue; // already sent (backfill overlap, duplicate notification)
        if (e.seq !== cursor + 1) {
          fromStore = true; // a gap: the store has everything up to e.seq
          break;
        }
        cursor = e.seq;
        yield tracked(String(e.seq), e);
      }
      if (fromStore) continue;
      const why = await inbox.wait(signal, pollMs);
      if (why === 'timeout') fromStore = true;
    }
  } finally {
    unsubscribe();
  }
}
