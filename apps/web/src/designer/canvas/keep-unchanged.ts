/** Structural equality of JSON-like values (plain objects, arrays, primitives); anything else by identity. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * The items to hand React Flow for `next`: for an item whose source is unchanged since last time
 * (same object, or structurally equal), the object React Flow already has (`shown`, which may carry
 * what it added: measured size, selection) — so it skips the item instead of adopting it again and
 * re-rendering it; otherwise the new item. When nothing changed, `shown` itself. `sources` (id →
 * the source last seen) is updated.
 * A live run view rebuilds every node on each event; only the few that changed then re-render.
 */
export function keepUnchanged<T extends { readonly id: string }>(shown: readonly T[], next: readonly T[], sources: Map<string, T>): T[] {
  const shownById = new Map(shown.map((n) => [n.id, n]));
  const out = next.map((n) => {
    const before = sources.get(n.id);
    const kept = shownById.get(n.id);
    return kept !== undefined && before !== undefined && (before === n || sameValue(before, n)) ? kept : n;
  });
  sources.clear();
  for (const n of next) sources.set(n.id, n);
  // nothing changed: the very same array, so React Flow is not updated at all
  return out.length === shown.length && out.every((n, i) => n === shown[i]) ? (shown as T[]) : out;
}
