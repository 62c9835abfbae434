import { parseFlowDefinition } from './parse.js';

/**
 * Whether two flow definitions are the same, key order included where the author chose it.
 * Definitions keep every object's keys in the order written, and that order means something:
 * a `test.steps` atom runs its steps in it, an approval form shows its fields in it. So the same
 * content in another order is a different definition. The order of the schema's own fields
 * (`name` before `type`…) is not the author's: both sides are compared as parsed, which puts
 * those in the schema's order (a definition stored as jsonb before migration 0005 came back with
 * them in jsonb's order) and keeps the order of everything the author keys (config, inject,
 * positions…). Not parseable: the same only if the JSON texts are.
 */
export function sameDefinition(a: unknown, b: unknown): boolean {
  const text = JSON.stringify(a);
  if (text === JSON.stringify(b)) return true;
  const pa = parseFlowDefinition(a);
  const pb = parseFlowDefinition(b);
  return pa.ok && pb.ok && JSON.stringify(pa.value) === JSON.stringify(pb.value);
}
