'use client';

import { memo, useEffect, useRef } from 'react';

import { StateBadge } from '../components/StateBadge';
import type { MonitorEvent } from './live-state';

function summary(data: Record<string, unknown> | null): string {
  if (!data) return '';
  const s = JSON.stringify(data);
  return s.length > 140 ? `${s.slice(0, 137)}…` : s;
}

/** The run's events, newest at the bottom; it follows new events while scrolled to the end. */
export const EventLog = memo(function EventLog({ events, onAtom }: { events: readonly MonitorEvent[]; onAtom?: (atom: string) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [events]);
  return (
    <div
      className="event-log"
      ref={ref}
      data-testid="event-log"
      onScroll={(e) => {
        const el = e.currentTarget;
        follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
    >
      {events.length === 0 ? <p className="muted pad">No events yet.</p> : null}
      <table>
        <tbody>
          {events.map((e) => (
            <tr key={e.seq} data-seq={e.seq} data-event-atom={e.atom ?? undefined} data-to={e.to ?? undefined}>
              <td className="muted small">#{e.seq}</td>
              <td className="muted small" title={e.at}>
                {new Date(e.at).toLocaleTimeString()}
              </td>
              <td>
                {e.atom ? (
                  <button className="link" onClick={() => e.atom && onAtom?.(e.atom)}>
                    {e.atom}
                  </button>
                ) : (
                  <em>{e.kind === 'flow' ? 'run' : e.kind}</em>
                )}
              </td>
              <td>
                {e.from ? <StateBadge state={e.from} compact /> : null} → {e.to ? <StateBadge state={e.to} /> : null}
              </td>
              <td className="small mono">{summary(e.data)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});
