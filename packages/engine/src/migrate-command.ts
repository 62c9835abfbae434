import { z } from 'zod';

import type { Engine } from './engine.js';
import { OperationNotAllowedError, RevisionNotFoundError } from './errors.js';
import type { Operation } from './operations.js';
import type { Store } from './store.js';

/**
 * "Move this stopped run to revision N (and continue it)", queued like any manual operation and
 * applied by whoever holds the run once it has stopped, so the migration's writes are fenced by
 * that worker's lease like every other write to the run.
 */
export const MigrateCommandSchema = z.strictObject({
  type: z.literal('migrate'),
  revision: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  /** Continue the run afterwards: resume a suspended/waiting one, retry a failed one from its failure. */
  resume: z.boolean().default(true),
  by: z.string().max(200).optional(),
});

export type MigrateCommand = z.infer<typeof MigrateCommandSchema>;

export function isMigrateCommand(op: Record<string, unknown>): boolean {
  return op['type'] === 'migrate';
}

/** What applying a migrate command did (stored as the command's outcome). */
export interface MigrateOutcome {
  readonly ok: true;
  readonly from: number;
  readonly to: number;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly versionChanged: readonly string[];
  /** The operation that continues the run, when there is one. */
  readonly continuedWith: 'resume' | 'retryFromFailure' | null;
  readonly atoms: readonly string[];
  readonly resumes: boolean;
}

/**
 * Migrates a stopped run (the caller holds it and does not execute it) and records the operation
 * that continues it; the caller executes the run next when `resumes`.
 */
export async function applyMigrateCommand(engine: Engine, store: Store, runId: string, cmd: MigrateCommand): Promise<MigrateOutcome> {
  const before = await store.loadRun(runId);
  if (!before) throw new OperationNotAllowedError(`no run ${runId}`);
  const target = await store.getRevision(before.flow.flowId, cmd.revision);
  if (!target) throw new RevisionNotFoundError(before.flow.flowId, cmd.revision);
  const diff = await engine.migrateRun(runId, target.definition);
  const base = {
    ok: true as const,
    from: before.flow.revision,
    to: cmd.revision,
    added: diff.added.map((a) => a.name),
    removed: diff.removed.map((a) => a.name),
    versionChanged: diff.versionChanged.map((a) => a.name),
  };
  if (!cmd.resume) return { ...base, continuedWith: null, atoms: [], resumes: false };
  for (const type of ['resume', 'retryFromFailure'] as const) {
    const op: Operation = { type, ...(cmd.by !== undefined ? { by: cmd.by } : {}) };
    const preview = await engine.previewOperation(runId, op);
    if (!preview.allowed) continue;
    const { preview: applied } = await engine.operate(runId, op, { execute: false });
    return { ...base, continuedWith: type, atoms: applied.atoms.map((a) => a.name), resumes: applied.resumes };
  }
  return { ...base, continuedWith: null, atoms: [], resumes: false };
}
