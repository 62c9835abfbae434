'use client';

import { useEffect, useMemo, useState } from 'react';

import { stateLook } from '../lib/states';
import { duration } from '../lib/time';
import type { MonitorEvent } from './live-state';
import { timelineBars, timelineRows } from './timeline';

/** A Gantt chart of every execute and revert attempt of every atom. */
export function Timeline({ events, live }: { events: readonly MonitorEvent[]; live: boolean }) {
  const bars = useMemo(() => timelineBars(events), [events]);
  const rows = useMemo(() => timelineRows(bars), [bars]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [live]);
  if (!bars.length) return <p className="muted pad">No atom has started yet.</p>;
  const start = Math.min(...bars.map((b) => b.start));
  const ends = bars.map((b) => b.end ?? (live ? now : b.start));
  const end = Math.max(start + 1, ...ends);
  const span = end - start;
  const pct = (t: number) => `${(100 * (t - start)) / span}%`;
  return (
    <div className="timeline" data-testid="timeline">
      <div className="timeline-scale muted small">
        <span>0</span>
        <span>{duration(span)}</span>
      </div>
      {rows.map((atom) => (
        <div className="timeline-row" key={atom} data-row={atom}>
          <div className="timeline-label" title={atom}>
            {atom}
          </div>
          <div className="timeline-track">
            {bars.map((b, i) =>
              b.atom !== atom ? null : (
                <div
                  key={i}
                  className={`timeline-bar bar-${b.kind} ${stateLook(b.state).className}`}
                  data-testid="timeline-bar"
                  data-kind={b.kind}
                  data-bar-atom={b.atom}
                  data-state={b.state}
                  data-index={i}
                  style={{ left: pct(b.start), width: `max(3px, calc(${pct(b.end ?? (live ? now : b.start))} - ${pct(b.start)}))` }}
                  title={`${b.atom} · ${b.kind} · attempt ${b.attempt} · ${stateLook(b.state).label} · ${duration((b.end ?? now) - b.start)}`}
                />
              ),
            )}
          </div>
        </div>
      ))}
      <div className="timeline-legend muted small">
        <span>
          <span className="legend-swatch bar-execute" /> execute
        </span>
        <span>
          <span className="legend-swatch bar-revert" /> revert
        </span>
      </div>
    </div>
  );
}
