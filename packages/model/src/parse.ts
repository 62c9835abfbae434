import type { z } from 'zod';

import { FlowDefinitionSchema, type FlowDefinition } from './definition.js';
import { ValidationError, type Problem } from './errors.js';

type Issue = z.core.$ZodIssue;

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p) => String(p)).join('.');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/**
 * Flattens zod issues into problems with full paths. A node of the definition is either a flow
 * (it has `kind`) or an atom: for a failed union we report the branch the user meant instead
 * of both.
 */
export function issuesToProblems(issues: readonly Issue[], input: unknown, prefix: readonly PropertyKey[] = []): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length === 2 && isNodePath(issue.path)) {
      const value = valueAt(input, issue.path);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const branch = 'kind' in value ? issue.errors[0]! : issue.errors[1]!;
        out.push(...issuesToProblems(branch, valueAt(input, issue.path), path));
        continue;
      }
      out.push({ path: formatPath(path), code: 'schema', message: 'must be an atom ({name, type, …}) or a flow ({kind, name, children})' });
      continue;
    }
    out.push({ path: formatPath(path), code: 'schema', message: issue.message });
  }
  return out;
}

/** Nodes (the atom-or-flow union) sit in `children` lists only. */
function isNodePath(path: readonly PropertyKey[]): boolean {
  return path.length >= 2 && path[path.length - 2] === 'children' && typeof path[path.length - 1] === 'number';
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

/** Parses a definition's shape (not its semantics: see `validateFlow`). */
export function parseFlowDefinition(input: unknown): ParseResult<FlowDefinition> {
  const r = FlowDefinitionSchema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, problems: issuesToProblems(r.error.issues, input) };
}

/** Like `parseFlowDefinition`, throwing a `ValidationError` with every problem. */
export function parseFlowDefinitionOrThrow(input: unknown): FlowDefinition {
  const r = parseFlowDefinition(input);
  if (!r.ok) throw new ValidationError(r.problems);
  return r.value;
}
