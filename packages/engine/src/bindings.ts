import { providedNames, type AtomDetail, type CompiledAtom, type CompiledFlow } from '@atomflow/model';

import { MissingAtomInputError } from './errors.js';

/** The value an atom stored under `key` (whole result, or its position for array provides). */
export function providedValue(atom: CompiledAtom, detail: AtomDetail, key: string): { value: unknown } | undefined {
  const provides = atom.provides;
  if (provides === undefined) return undefined;
  if (typeof provides === 'string') return provides === key ? { value: detail.result } : undefined;
  const i = provides.indexOf(key);
  if (i < 0) return undefined;
  const r = detail.result;
  if (Array.isArray(r)) return { value: r[i] };
  if (r !== null && typeof r === 'object' && key in r) return { value: (r as Record<string, unknown>)[key] };
  return { value: undefined };
}

/** Resolves an atom's inputs: inject, then the nearest provider that succeeded, then run inputs, then defaults. */
export function bindInputs(
  flow: CompiledFlow,
  atom: CompiledAtom,
  details: readonly AtomDetail[],
  runInputs: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [input, source] of Object.entries(atom.inputs)) {
    if (source.from === 'inject') {
      out[input] = source.value;
      continue;
    }
    let found: { value: unknown } | undefined;
    for (const p of source.providers) {
      const d = details[p]!;
      if (d.state !== 'SUCCESS') continue;
      found = providedValue(flow.atoms[p]!, d, source.key);
      if (found) break;
    }
    if (!found && source.input && Object.prototype.hasOwnProperty.call(runInputs, source.key)) found = { value: runInputs[source.key] };
    if (!found && source.fallback) found = { value: source.fallback.value };
    if (!found) {
      const who = source.providers.map((p) => `"${flow.atoms[p]!.name}"`).join(', ');
      throw new MissingAtomInputError(
        `input "${input}" of "${atom.name}" has no value: "${source.key}" ${who ? `was not provided (providers ${who} did not succeed)` : 'is not a run input'}`,
      );
    }
    out[input] = found.value;
  }
  return out;
}

/** TaskFlow's `fetch_all()`: run inputs, then every provided name of atoms that succeeded. */
export function collectResults(
  flow: CompiledFlow,
  details: readonly AtomDetail[],
  runInputs: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...runInputs };
  flow.atoms.forEach((atom, i) => {
    const d = details[i]!;
    if (d.state !== 'SUCCESS') return;
    for (const key of providedNames(atom.provides)) out[key] = providedValue(atom, d, key)!.value;
  });
  return out;
}
