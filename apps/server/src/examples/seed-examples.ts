import type { AtomRegistry, Store } from '@atomflow/engine';
import { parseFlowDefinitionOrThrow, validateFlow, type FlowDefinitionInput } from '@atomflow/model';

import { httpPipeline, orderSaga, refundApproval } from './example-flows.js';

/** The example flows (the HTTP one calls paths on the server running it: no address is stored). */
export function exampleFlows(): FlowDefinitionInput[] {
  return [orderSaga(), httpPipeline(), refundApproval()];
}

export interface SeedResult {
  /** Flow ids saved now. */
  readonly created: readonly string[];
  /** Flow ids left alone: a flow with that id already existed, or the example is not valid against this registry. */
  readonly skipped: readonly string[];
}

/**
 * Saves the example flows at revision 1. Called once per database, on the start that creates
 * the admin (so a user who deletes them never sees them again); a flow that already exists under
 * an example's id is never overwritten, and an example with problems is not saved.
 */
export async function seedExamples(
  store: Store,
  registry: AtomRegistry,
  log: (message: string) => void = () => undefined,
): Promise<SeedResult> {
  const created: string[] = [];
  const skipped: string[] = [];
  for (const input of exampleFlows()) {
    const def = { ...parseFlowDefinitionOrThrow(input), revision: 1 };
    const problems = validateFlow(def, registry);
    if (problems.length > 0) {
      log(`example flow ${def.id} not seeded: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
      skipped.push(def.id);
      continue;
    }
    if (await store.latestRevision(def.id)) {
      skipped.push(def.id);
      continue;
    }
    await store.saveRevision(def);
    created.push(def.id);
  }
  return { created, skipped };
}

/** How the server reaches itself (the atoms' base URL): loopback when it listens on a wildcard address. */
export function selfOrigin(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '') return `http://127.0.0.1:${port}`;
  if (host === '::') return `http://[::1]:${port}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
