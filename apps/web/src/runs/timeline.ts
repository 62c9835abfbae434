import type { MonitorEvent } from './live-state';

export type BarKind = 'execute' | 'revert';

/** One attempt of one atom on the Gantt timeline. */
export interface TimelineBar {
  readonly atom: string;
  readonly kind: BarKind;
  /** 1-based execution attempt (revert bars: the attempt they undo) */
  readonly attempt: number;
  readonly start: number;
  /** undefined while it still runs */
  readonly end?: number;
  /** the state it ended in, or the running state */
  readonly state: string;
}

/** Every execute and revert of every atom, from the run's events, in start order. */
export function timelineBars(events: readonly MonitorEvent[]): TimelineBar[] {
  const bars: TimelineBar[] = [];
  const open = new Map<string, number>();
  const attempts = new Map<string, number>();
  const close = (atom: string, end: number, state: string) => {
    const i = open.get(atom);
    if (i === undefined) return;
    bars[i] = { ...bars[i]!, end, state };
    open.delete(atom);
  };
  for (const e of events) {
    if (e.kind !== 'atom' || !e.atom || !e.to) continue;
    const t = Date.parse(e.at);
    switch (e.to) {
      case 'RUNNING': {
        close(e.atom, t, 'RUNNING');
        const attempt = typeof e.data?.['attempt'] === 'number' ? e.data['attempt'] : (attempts.get(e.atom) ?? 0) + 1;
        attempts.set(e.atom, attempt);
        open.set(e.atom, bars.length);
        bars.push({ atom: e.atom, kind: 'execute', attempt, start: t, state: 'RUNNING' });
        break;
      }
      case 'REVERTING':
        close(e.atom, t, e.from ?? 'FAILURE');
        open.set(e.atom, bars.length);
        bars.push({ atom: e.atom, kind: 'revert', attempt: attempts.get(e.atom) ?? 0, start: t, state: 'REVERTING' });
        break;
      case 'SUCCESS':
      case 'FAILURE':
      case 'WAITING':
      case 'REVERTED':
      case 'REVERT_FAILURE':
      case 'RETRYING':
      case 'IGNORE':
      case 'PENDING':
        close(e.atom, t, e.to);
        break;
      default:
        break;
    }
  }
  return bars;
}

/** The rows of the timeline: atoms in the order they first appear. */
export function timelineRows(bars: readonly TimelineBar[]): string[] {
  return [...new Set(bars.map((b) => b.atom))];
}

/**
 * The time span the chart shows. Finished: first start to last end. Live: the end is rounded up
 * to a coarse step (a tenth of the span so far, a power of two of ms, at least 1 s), so the
 * scale — and with it every bar's position — changes a few times over a run instead of with
 * every event.
 */
export function timelineSpan(bars: readonly TimelineBar[], live: boolean, now: number): { start: number; end: number } {
  const start = Math.min(...bars.map((b) => b.start));
  const last = Math.max(start + 1, ...bars.map((b) => b.end ?? (live ? now : b.start)));
  if (!live) return { start, end: last };
  const step = Math.max(1000, 2 ** Math.ceil(Math.log2((last - start) / 10)));
  return { start, end: start + Math.ceil((last - start) / step) * step };
}
