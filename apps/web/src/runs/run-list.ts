/** What the runs list needs of a run summary. */
export interface SummaryLike {
  readonly id: string;
  readonly flowId: string;
  readonly state: string;
  readonly createdAt: string;
  readonly lastSeq: number;
}

export interface ListFilter {
  readonly states?: readonly string[] | undefined;
  readonly flowId?: string | undefined;
  readonly createdAfter?: string | undefined;
  readonly createdBefore?: string | undefined;
}

export function matches(s: SummaryLike, f: ListFilter): boolean {
  const t = Date.parse(s.createdAt);
  return (
    (!f.states?.length || f.states.includes(s.state)) &&
    (!f.flowId || s.flowId === f.flowId) &&
    (!f.createdAfter || t >= Date.parse(f.createdAfter)) &&
    (!f.createdBefore || t < Date.parse(f.createdBefore))
  );
}

/**
 * The list after live summaries arrive: a known run is replaced when the summary is newer (and
 * dropped when it no longer matches the filter); a new matching run goes in by creation time.
 */
export function applySummaries<S extends SummaryLike>(list: readonly S[], incoming: readonly S[], filter: ListFilter): S[] {
  let out = [...list];
  for (const s of incoming) {
    const i = out.findIndex((x) => x.id === s.id);
    if (i >= 0) {
      if (out[i]!.lastSeq > s.lastSeq) continue;
      if (matches(s, filter)) out[i] = s;
      else out = out.filter((x) => x.id !== s.id);
    } else if (matches(s, filter)) {
      out.push(s);
    }
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}
