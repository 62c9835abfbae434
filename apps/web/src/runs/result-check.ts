import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/**
 * The result typed for "mark success": JSON, and valid against the atom's output schema when it
 * declares one (a JSON Schema from the atoms registry).
 */
export function checkResult(text: string, outputs: JsonSchema | null | undefined): { value: unknown } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (e) {
    return { error: `not JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!outputs) return { value };
  let schema: z.ZodType;
  try {
    schema = z.fromJSONSchema(outputs);
  } catch {
    return { value }; // a schema zod cannot read back: the engine will check
  }
  const r = schema.safeParse(value);
  if (r.success) return { value };
  const issue = r.error.issues[0];
  const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
  return { error: `does not match the atom's output schema${where}: ${issue?.message ?? 'invalid'}` };
}
