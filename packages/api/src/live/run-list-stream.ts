import { databaseNow, runChangeMarks, type RunChangeMark, type RunSummary } from '@atomflow/db';
import { sourceFlowId } from '@atomflow/model';
import { tracked, type TrackedEnvelope } from '@trpc/server';

import type { ApiServices } from '../services.js';
import { Inbox } from './inbox.js';

/** Changes committed this long before one already seen may still appear (commit order ≠ timestamp order). */
const MARGIN_MS = 2000;
/** Fetches for changed runs happen at most this often (bursts of events coalesce). */
const MIN_INTERVAL_MS = 50;

const POSITION = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d)?$/;

/**
 * Run summaries as runs change, optionally of one flow. Each change of a run is sent once per
 * connection (a summary is only sent when its lastSeq grew); the tracked id is the run's
 * `updated_at`, so a reconnecting client gets every run changed since (a summary seen just
 * before the reconnect may come again: summaries are snapshots, applying one twice is harmless).
 */
export async function* runListStream(
  services: ApiServices,
  opts: { lastEventId?: string | null; flowId?: string },
  signal: AbortSignal | undefined,
): AsyncGenerator<TrackedEnvelope<RunSummary>, void, unknown> {
  const inbox = new Inbox<string>();
  const unsubscribe = services.events.subscribe((e) => {
    if (e.kind === 'flow' || e.kind === 'atom' || e.kind === 'migration') inbox.push(e.runId);
  });
  const pollMs = services.livePollMs ?? 3000;
  const sent = new Map<string, { seq: number; at: string }>();
  const resumeFrom = opts.lastEventId && POSITION.test(opts.lastEventId) ? opts.lastEventId : undefined;
  let position = resumeFrom ?? (await databaseNow(services.db));
  let scan = resumeFrom !== undefined;
  try {
    while (!signal?.aborted) {
      const { items, overflowed } = inbox.take();
      let marks: RunChangeMark[] = [];
      if (scan || overflowed) marks = await runChangeMarks(services.db, { since: position, marginMs: MARGIN_MS });
      else if (items.length) marks = await runChangeMarks(services.db, { ids: [...new Set(items)] });
      scan = false;
      for (const m of marks) {
        if (m.updatedAt > position) position = m.updatedAt;
        const prev = sent.get(m.summary.id);
        if (prev && prev.seq >= m.summary.lastSeq) continue;
        sent.set(m.summary.id, { seq: m.summary.lastSeq, at: m.updatedAt });
        // a flow's runs include its expansions' (runs of it with subflows), as in runs.list
        if (opts.flowId !== undefined && sourceFlowId(m.summary.flowId) !== opts.flowId) continue;
        yield tracked(m.updatedAt, m.summary);
      }
      prune(sent, position);
      const why = await inbox.wait(signal, pollMs);
      if (why === 'timeout') scan = true;
      else if (why === 'item') await new Promise((r) => setTimeout(r, MIN_INTERVAL_MS));
    }
  } finally {
    unsubscribe();
  }
}

/** Milliseconds of a PostgreSQL timestamptz text ("2024-05-01 12:00:00.123456+00"). */
export function pgTimeMs(text: string): number {
  return Date.parse(text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
}

/** Forgets runs changed well before the position: a scan no longer returns them. */
function prune(sent: Map<string, { seq: number; at: string }>, position: string): void {
  if (sent.size < 1000) return;
  const cutoff = pgTimeMs(position) - 2 * MARGIN_MS;
  for (const [id, v] of sent) if (pgTimeMs(v.at) < cutoff) sent.delete(id);
}
