import type { Problem } from '@atomflow/model';

/** Messages of a node's problems under `segment` (`config`, `retry`), keyed by the rest of the path. */
export function fieldErrors(problems: readonly Problem[], segment: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = new RegExp(`\\.${segment}(?:\\.(.*))?$`);
  for (const p of problems) {
    const m = re.exec(p.path);
    if (!m) continue;
    const key = m[1] ?? '';
    if (!out.has(key)) out.set(key, p.message);
  }
  return out;
}

/** Problems that have no field of their own in the form. */
export function otherProblems(problems: readonly Problem[], segments: readonly string[]): Problem[] {
  return problems.filter((p) => !segments.some((s) => new RegExp(`\\.${s}(\\.|$)`).test(p.path)));
}
