/** The runs list's filter, as kept in the page's URL (`/runs?state=FAILURE&flow=orders&since=24h`). */
export interface RunsFilter {
  readonly state: string;
  readonly flowId: string;
  /** a quick preset relative to now, or '' (then `after` / `before` apply) */
  readonly since: TimePreset | '';
  /** ISO times (custom range) */
  readonly after: string;
  readonly before: string;
}

export const TIME_PRESETS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type TimePreset = keyof typeof TIME_PRESETS;
export const PRESET_LABEL: Record<TimePreset, string> = { '1h': 'last hour', '24h': 'last 24 h', '7d': 'last 7 days' };

const isPreset = (s: string | null): s is TimePreset => s !== null && Object.hasOwn(TIME_PRESETS, s);
const isoOrEmpty = (s: string | null): string => (s && !Number.isNaN(Date.parse(s)) ? new Date(s).toISOString() : '');

export const EMPTY_FILTER: RunsFilter = { state: '', flowId: '', since: '', after: '', before: '' };

/** The filter a URL asks for; unknown or malformed values are ignored rather than sent to the API. */
export function parseFilter(params: URLSearchParams, states: readonly string[]): RunsFilter {
  const state = params.get('state') ?? '';
  const since = params.get('since');
  return {
    state: states.includes(state) ? state : '',
    flowId: (params.get('flow') ?? '').trim().slice(0, 200),
    since: isPreset(since) ? since : '',
    after: isPreset(since) ? '' : isoOrEmpty(params.get('after')),
    before: isPreset(since) ? '' : isoOrEmpty(params.get('before')),
  };
}

/** The query string for a filter (empty parts left out). */
export function filterSearch(f: RunsFilter): string {
  const p = new URLSearchParams();
  if (f.state) p.set('state', f.state);
  if (f.flowId) p.set('flow', f.flowId);
  if (f.since) p.set('since', f.since);
  else {
    if (f.after) p.set('after', f.after);
    if (f.before) p.set('before', f.before);
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export interface RunsQuery {
  readonly states?: string[];
  readonly flowId?: string;
  readonly createdAfter?: string;
  readonly createdBefore?: string;
}

/** What runs.list is asked; a preset becomes a start time, rounded down to the minute so the query key stays put for a while. */
export function toQuery(f: RunsFilter, now: number): RunsQuery {
  const after = f.since ? new Date(Math.floor((now - TIME_PRESETS[f.since]) / 60_000) * 60_000).toISOString() : f.after;
  return {
    ...(f.state ? { states: [f.state] } : {}),
    ...(f.flowId ? { flowId: f.flowId } : {}),
    ...(after ? { createdAfter: after } : {}),
    ...(!f.since && f.before ? { createdBefore: f.before } : {}),
  };
}

/** `<input type="datetime-local">` value (local time, minutes) for an ISO time, and back. */
export function toLocalInput(iso: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function fromLocalInput(value: string): string {
  if (!value) return '';
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? '' : new Date(t).toISOString();
}
