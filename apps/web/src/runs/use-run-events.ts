'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef, useState } from 'react';

import { useTRPC } from '../lib/trpc';
import { mergeEvents, type MonitorEvent } from './live-state';

/** How often at most the run's details (results, failures, sub-steps) are re-read while events arrive. */
const REFRESH_MS = 400;

/**
 * A run's events over the `live.run` SSE subscription: the whole history first (backfill), then
 * live; on reconnect httpSubscriptionLink resumes from the last tracked id, and `mergeEvents`
 * drops anything seen twice. New events also re-read the run's details and operation previews.
 */
export function useRunEvents(runId: string): { events: MonitorEvent[]; status: string } {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [events, setEvents] = useState<MonitorEvent[]>([]);
  const buffer = useRef<MonitorEvent[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const sub = useSubscription(
    trpc.live.run.subscriptionOptions(
      { runId },
      {
        onData: (tracked) => {
          buffer.current.push(tracked.data);
          if (timer.current !== undefined) return;
          // one render per burst, not one per event
          timer.current = setTimeout(() => {
            timer.current = undefined;
            const batch = buffer.current;
            buffer.current = [];
            setEvents((prev) => mergeEvents(prev, batch));
            void queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ runId }) });
            void queryClient.invalidateQueries({ queryKey: trpc.runs.preview.queryKey() });
          }, REFRESH_MS / 8);
        },
      },
    ),
  );
  useEffect(() => () => clearTimeout(timer.current), []);
  return { events, status: sub.status };
}
