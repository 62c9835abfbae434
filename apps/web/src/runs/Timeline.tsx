'use client';

import { memo, useEffect, useMemo, useState } from 'react';

import { stateLook } from '../lib/states';
import { duration } from '../lib/time';
import type { MonitorEvent } from './live-state';
import { timelineBars, timelineRows, timelineSpan, type TimelineBar } from './timeline';

/** A bar of a row with its index among all bars. */
interface RowBar {
  readonly bar: TimelineBar;
  readonly i: number;
}
const NO_BARS: readonly RowBar[] = [];

interface RowProps {
  readonly atom: string;
  readonly bars: readonly RowBar[];
  readonly start: number;
  readonly span: number;
  readonly now: number;
  readonly live: boolean;
}

const sameBar = (a: RowBar, b: RowBar): boolean =>
  a.i === b.i &&
  a.bar.kind === b.bar.kind &&
  a.bar.state === b.bar.state &&
  a.bar.start === b.bar.start &&
  a.bar.end === b.bar.end &&
  a.bar.attempt === b.bar.attempt;

/** One atom's row. Memoised on content: a live event re-renders only the rows whose bars changed (and all on the clock's tick). */
const TimelineRow = memo(
  function TimelineRow({ atom, bars, start, span, now, live }: RowProps) {
    const pct = (t: number) => `${(100 * (t - start)) / span}%`;
    return (
      <div className="timeline-row" data-row={atom}>
        <div className="timeline-label" title={atom}>
          {atom}
        </div>
        <div className="timeline-track">
          {bars.map(({ bar: b, i }) => (
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
          ))}
        </div>
      </div>
    );
  },
  (a, b) =>
    a.atom === b.atom &&
    a.start === b.start &&
    a.span === b.span &&
    a.now === b.now &&
    a.live === b.live &&
    a.bars.length === b.bars.length &&
    a.bars.every((x, k) => sameBar(x, b.bars[k]!)),
);

/** A Gantt chart of every execute and revert attempt of every atom (memoised: unchanged events, no render). */
export const Timeline = memo(function Timeline({ events, live }: { events: readonly MonitorEvent[]; live: boolean }) {
  const bars = useMemo(() => timelineBars(events), [events]);
  const rows = useMemo(() => timelineRows(bars), [bars]);
  // each row's bars with their index among all bars (one pass, not one per row)
  const byAtom = useMemo(() => {
    const m = new Map<string, RowBar[]>();
    bars.forEach((bar, i) => {
      const list = m.get(bar.atom);
      if (list) list.push({ bar, i });
      else m.set(bar.atom, [{ bar, i }]);
    });
    return m;
  }, [bars]);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [live]);
  if (!bars.length) return <p className="muted pad">No atom has started yet.</p>;
  const { start, end } = timelineSpan(bars, live, now);
  const span = end - start;
  return (
    <div className="timeline" data-testid="timeline">
      <div className="timeline-scale muted small">
        <span>0</span>
        <span>{duration(span)}</span>
      </div>
      {rows.map((atom) => (
        <TimelineRow
          key={atom}
          atom={atom}
          bars={byAtom.get(atom) ?? NO_BARS}
          start={start}
          span={span}
          // only a row with a bar still running follows the clock
          now={byAtom.get(atom)?.some((r) => r.bar.end === undefined) ? now : 0}
          live={live}
        />
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
});
