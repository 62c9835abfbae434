import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { expandSubflows, FlowIdSchema, hasSubflows, parseFlowDefinition, ValidationError, type FlowDefinition } from '@atomflow/model';

import { UsageError } from './errors.js';

/** Reads and parses a definition file: precise errors for unreadable files, bad JSON, bad shape. */
export async function loadFlowFile(path: string): Promise<FlowDefinition> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const r = parseFlowDefinition(json);
  if (!r.ok) throw new ValidationError(r.problems);
  return withSubflows(r.value, dirname(path));
}

/**
 * Inlines the flow's subflows (like the server's runs.start): a `subflow` atom's flow `ID` is read
 * from `ID.json` next to the flow file (its `revision` must match when the atom names one).
 */
async function withSubflows(def: FlowDefinition, dir: string): Promise<FlowDefinition> {
  if (!hasSubflows(def)) return def;
  const expanded = await expandSubflows(def, async (flowId, revision) => {
    if (!FlowIdSchema.safeParse(flowId).success) return undefined;
    let text: string;
    try {
      text = await readFile(join(dir, `${flowId}.json`), 'utf8');
    } catch {
      return undefined;
    }
    let parsed: ReturnType<typeof parseFlowDefinition>;
    try {
      parsed = parseFlowDefinition(JSON.parse(text));
    } catch (e) {
      throw new UsageError(`${flowId}.json (a subflow) is not valid JSON: ${(e as Error).message}`);
    }
    if (!parsed.ok) throw new ValidationError(parsed.problems.map((p) => ({ ...p, path: `${flowId}.json: ${p.path}` })));
    if (parsed.value.id !== flowId) throw new UsageError(`${flowId}.json (a subflow) holds flow "${parsed.value.id}"`);
    return revision === undefined || parsed.value.revision === revision ? parsed.value : undefined;
  });
  if (!expanded.ok) throw new ValidationError(expanded.problems);
  return expanded.definition;
}

/** Parses `--inputs`: a JSON object. */
export function parseInputs(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--inputs is not valid JSON: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new UsageError('--inputs must be a JSON object, e.g. {"x": 1}');
  return v as Record<string, unknown>;
}
