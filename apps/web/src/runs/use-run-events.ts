'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef, useState } from 'react';

import { useTRPC } from '../lib/trpc';
import { liveConnection, resubscribeDelay, type LiveConnection } from './live-connection';
import { mergeEvents, type MonitorEvent } from './live-state';

/** How often at most the run's details (results, failures, sub-steps) are re-read while events arrive. */
const REFRESH_MS = 400;

/**
 * A run's events over the `live.run` SSE subscription: the whole history first (backfill), then
 * live. Events are applied once per animation frame (a burst is one render). When the connection
 * drops, the browser's EventSource reconnects with the last event id (Last-Event-ID); when it gives
 * up (the server answered with something that is not an event stream), the subscription is opened
 * again from the last seq seen. Either way `mergeEvents` drops anything seen twice. New events also
 * re-read the run's details and operation previews, at most every REFRESH_MS.
 */
export function useRunEvents(runId: string): { events: MonitorEvent[]; connection: LiveConnection } {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [events, setEvents] = useState<MonitorEvent[]>([]);
  // the seq the subscription resumes after when it has to be opened again (null: from the start)
  const [resumeAfter, setResumeAfter] = useState<string | null>(null);
  const lastSeq = useRef(0);
  const everConnected = useRef(false);
  const failures = useRef(0);
  const buffer = useRef<MonitorEvent[]>([]);
  const frame = useRef<number | undefined>(undefined);
  const refresh = useRef<{ timer: ReturnType<typeof setTimeout> | undefined; last: number }>({ timer: undefined, last: 0 });

  const refreshDetails = (): void => {
    const r = refresh.current;
    if (r.timer !== undefined) return;
    const run = (): void => {
      r.timer = undefined;
      r.last = Date.now();
      void queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ runId }) });
      void queryClient.invalidateQueries({ queryKey: trpc.runs.preview.queryKey() });
    };
    const wait = r.last + REFRESH_MS - Date.now();
    if (wait <= 0) run();
    else r.timer = setTimeout(run, wait);
  };

  const flush = (): void => {
    frame.current = undefined;
    const batch = buffer.current;
    buffer.current = [];
    if (!batch.length) return;
    setEvents((prev) => mergeEvents(prev, batch));
    refreshDetails();
  };

  const sub = useSubscription(
    trpc.live.run.subscriptionOptions(
      { runId, lastEventId: resumeAfter },
      {
        onStarted: () => {
          everConnected.current = true;
          failures.current = 0;
        },
        onData: (tracked) => {
          const e = tracked.data;
          if (e.seq > lastSeq.current) lastSeq.current = e.seq;
          buffer.current.push(e);
          // one render per frame, not one per event
          if (frame.current === undefined) frame.current = requestAnimationFrame(flush);
        },
      },
    ),
  );

  // the subscription failed for good: open it again from the last seq seen, backing off
  const { status, reset } = sub;
  useEffect(() => {
    if (status !== 'error') return;
    failures.current += 1;
    const timer = setTimeout(() => {
      const from = lastSeq.current ? String(lastSeq.current) : null;
      if (from !== resumeAfter) setResumeAfter(from);
      else reset();
    }, resubscribeDelay(failures.current));
    return () => clearTimeout(timer);
  }, [status, reset, resumeAfter]);

  useEffect(
    () => () => {
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
      clearTimeout(refresh.current.timer);
    },
    [],
  );
  return { events, connection: liveConnection(status, everConnected.current) };
}
