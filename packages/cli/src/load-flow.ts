import { readFile } from 'node:fs/promises';

import { parseFlowDefinition, ValidationError, type FlowDefinition } from '@atomflow/model';

import { UsageError } from './errors.js';

/** Reads and parses a definition file: precise errors for unreadable files, bad JSON, bad shape. */
export async function loadFlowFile(path: string): Promise<FlowDefinition> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  const r = parseFlowDefinition(json);
  if (!r.ok) throw new ValidationError(r.problems);
  return r.value;
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
