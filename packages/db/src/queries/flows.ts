import { EXPANSION_SUFFIX, expansionFlowId, sourceFlowId, type FlowState } from '@atomflow/model';
import { and, desc, eq, ilike, inArray, notInArray, notLike, or, sql, type SQL } from 'drizzle-orm';

import type { AtomflowDb } from '../db-types.js';
import { FLOW_STATE } from '../enums.js';
import { FlowRevisions, Flows, Runs } from '../schema.js';
import { toIso } from '../time.js';
import { decodeCursor, encodeCursor, likePattern } from './cursor.js';
import { InvalidCursorError } from './errors.js';

/** Run states after which a run does nothing more by itself (a flow with only such runs may be deleted). */
export const FINISHED_RUN_STATES: readonly FlowState[] = ['SUCCESS', 'FAILURE', 'REVERTED', 'CANCELLED'];

export interface FlowSummary {
  readonly id: string;
  readonly name: string | null;
  readonly latestRevision: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The newest run of any revision. */
  readonly lastRun: { readonly id: string; readonly state: FlowState; readonly createdAt: string } | null;
}

export interface FlowListFilter {
  /** Matches the id or the name, case-insensitively. */
  readonly search?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: T[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  readonly nextCursor: string | null;
}

/** Flows, most recently updated first. */
export async function listFlows(db: AtomflowDb, filter: FlowListFilter = {}): Promise<Page<FlowSummary>> {
  const limit = filter.limit ?? 50;
  // companions holding expansions of flows with subflows are not flows of their own to users
  const where: SQL[] = [notLike(Flows.id, `%${EXPANSION_SUFFIX}`)];
  if (filter.search) {
    const p = likePattern(filter.search);
    where.push(or(ilike(Flows.id, p), ilike(Flows.name, p))!);
  }
  if (filter.cursor !== undefined) {
    const c = decodeCursor(filter.cursor);
    if (!c || typeof c.key !== 'string') throw new InvalidCursorError();
    where.push(sql`(${Flows.updatedAt}, ${Flows.id}) < (${c.at}::timestamptz, ${c.key})`);
  }
  const rows = await db
    .select({ flow: Flows, at: sql<string>`${Flows.updatedAt}::text` })
    .from(Flows)
    .where(and(...where))
    .orderBy(desc(Flows.updatedAt), desc(Flows.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = await lastRuns(
    db,
    page.map((r) => r.flow.id),
  );
  const items = page.map(({ flow }) => ({
    id: flow.id,
    name: flow.name,
    latestRevision: flow.latestRevision,
    createdAt: toIso(flow.createdAt),
    updatedAt: toIso(flow.updatedAt),
    lastRun: last.get(flow.id) ?? null,
  }));
  const tail = page.at(-1);
  return { items, nextCursor: rows.length > limit && tail ? encodeCursor({ at: tail.at, key: tail.flow.id }) : null };
}

/** One flow's summary, or undefined. */
export async function getFlowSummary(db: AtomflowDb, flowId: string): Promise<FlowSummary | undefined> {
  const [flow] = await db.select().from(Flows).where(eq(Flows.id, flowId));
  if (!flow) return undefined;
  const last = await lastRuns(db, [flowId]);
  return {
    id: flow.id,
    name: flow.name,
    latestRevision: flow.latestRevision,
    createdAt: toIso(flow.createdAt),
    updatedAt: toIso(flow.updatedAt),
    lastRun: last.get(flowId) ?? null,
  };
}

async function lastRuns(db: AtomflowDb, flowIds: readonly string[]): Promise<Map<string, NonNullable<FlowSummary['lastRun']>>> {
  if (flowIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([Runs.flowId], { flowId: Runs.flowId, id: Runs.id, state: Runs.state, createdAt: Runs.createdAt })
    .from(Runs)
    .where(inArray(Runs.flowId, [...flowIds, ...flowIds.map(expansionFlowId)]))
    .orderBy(Runs.flowId, desc(Runs.createdAt), desc(Runs.createdSeq));
  // a flow's own newest run or its companion's (runs of it with subflows), whichever is newer
  const out = new Map<string, NonNullable<FlowSummary['lastRun']>>();
  for (const r of rows) {
    if (!FLOW_STATE.has(r.state)) continue;
    const id = sourceFlowId(r.flowId);
    const createdAt = toIso(r.createdAt);
    const seen = out.get(id);
    if (!seen || Date.parse(createdAt) > Date.parse(seen.createdAt)) out.set(id, { id: r.id, state: r.state, createdAt });
  }
  return out;
}

export interface RevisionInfo {
  readonly revision: number;
  readonly name: string | null;
  readonly createdAt: string;
  /** Atoms in the revision (its size at a glance). */
  readonly atomCount: number;
}

/** A flow's revisions, newest first. */
export async function listRevisions(db: AtomflowDb, flowId: string): Promise<RevisionInfo[]> {
  const rows = await db
    .select({ revision: FlowRevisions.revision, definition: FlowRevisions.definition, createdAt: FlowRevisions.createdAt })
    .from(FlowRevisions)
    .where(eq(FlowRevisions.flowId, flowId))
    .orderBy(desc(FlowRevisions.revision));
  return rows.map((r) => ({
    revision: r.revision,
    name: r.definition.name ?? null,
    createdAt: toIso(r.createdAt),
    atomCount: countAtoms(r.definition.root),
  }));
}

function countAtoms(node: unknown): number {
  if (node === null || typeof node !== 'object') return 0;
  const n = node as { kind?: unknown; children?: unknown; retry?: unknown };
  if (n.kind === undefined) return 1;
  const children = Array.isArray(n.children) ? n.children : [];
  return (n.retry ? 1 : 0) + children.reduce((sum: number, c) => sum + countAtoms(c), 0);
}

export type DeleteFlowResult =
  | { readonly deleted: true; readonly runs: number }
  | { readonly deleted: false; readonly reason: 'not-found' }
  | { readonly deleted: false; readonly reason: 'active-runs'; readonly activeRuns: number };

/**
 * Deletes a flow, its revisions and its finished runs (with their records) in one transaction;
 * refused while any of its runs is unfinished. The flow row is locked first, so a run started
 * meanwhile (which saves its revision, touching that row) waits for the outcome.
 */
export function deleteFlow(db: AtomflowDb, flowId: string): Promise<DeleteFlowResult> {
  return db.transaction(async (tx) => {
    const [flow] = await tx.select({ id: Flows.id }).from(Flows).where(eq(Flows.id, flowId)).for('update');
    if (!flow) return { deleted: false, reason: 'not-found' } as const;
    const [active] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(Runs)
      .where(and(eq(Runs.flowId, flowId), notInArray(Runs.state, [...FINISHED_RUN_STATES])));
    if (active && active.n > 0) return { deleted: false, reason: 'active-runs', activeRuns: active.n } as const;
    const runs = await tx.delete(Runs).where(eq(Runs.flowId, flowId)).returning({ id: Runs.id });
    await tx.delete(Flows).where(eq(Flows.id, flowId));
    return { deleted: true, runs: runs.length } as const;
  });
}
