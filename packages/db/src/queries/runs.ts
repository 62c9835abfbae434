import { expansionFlowId, type AtomState, type FlowDetail, type FlowState } from '@atomflow/model';
import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';

import { queryRows, type AtomflowDb } from '../db-types.js';
import { toFlowDetail } from '../mappers.js';
import { AtomDetails, Runs } from '../schema.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { InvalidCursorError } from './errors.js';
import type { Page } from './flows.js';

/** A run as lists show it: its record without inputs, plus how many atoms are in each state. */
export interface RunSummary extends Omit<FlowDetail, 'inputs'> {
  /** Events committed so far: a later summary of the same run has a higher one. */
  readonly lastSeq: number;
  readonly atomStates: Partial<Record<AtomState, number>>;
  readonly atomTotal: number;
  /** Atoms waiting for a person's decision (WAITING with waitReason 'approval'). */
  readonly awaitingApproval: number;
}

export interface RunListFilter {
  readonly states?: readonly FlowState[];
  readonly flowId?: string;
  /** Created at or after (ISO time). */
  readonly createdAfter?: string;
  /** Created before (ISO time). */
  readonly createdBefore?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

const atText = sql<string>`${Runs.createdAt}::text`;

/** Runs, newest first, a page at a time. */
export async function listRunSummaries(db: AtomflowDb, filter: RunListFilter = {}): Promise<Page<RunSummary>> {
  const limit = filter.limit ?? 50;
  const where: SQL[] = [];
  if (filter.states) where.push(inArray(Runs.state, [...filter.states]));
  // a flow's runs include those of its expansions (runs of it with subflows)
  if (filter.flowId !== undefined) where.push(inArray(Runs.flowId, [filter.flowId, expansionFlowId(filter.flowId)]));
  if (filter.createdAfter !== undefined) where.push(gte(Runs.createdAt, filter.createdAfter));
  if (filter.createdBefore !== undefined) where.push(lt(Runs.createdAt, filter.createdBefore));
  if (filter.cursor !== undefined) {
    const c = decodeCursor(filter.cursor);
    if (!c || typeof c.key !== 'number') throw new InvalidCursorError();
    where.push(sql`(${Runs.createdAt}, ${Runs.createdSeq}) < (${c.at}::timestamptz, ${c.key})`);
  }
  const rows = await db
    .select({ run: Runs, at: atText })
    .from(Runs)
    .where(and(...where))
    .orderBy(desc(Runs.createdAt), desc(Runs.createdSeq))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const items = await withAtomStates(
    db,
    page.map((r) => r.run),
  );
  const tail = page.at(-1);
  return { items, nextCursor: rows.length > limit && tail ? encodeCursor({ at: tail.at, key: tail.run.createdSeq }) : null };
}

/** One run's summary, or undefined. */
export async function getRunSummary(db: AtomflowDb, runId: string): Promise<RunSummary | undefined> {
  const rows = await db.select().from(Runs).where(eq(Runs.id, runId));
  const [summary] = await withAtomStates(db, rows);
  return summary;
}

/** A run's summary with the run's `updated_at` as PostgreSQL text (a resumable position). */
export interface RunChangeMark {
  readonly summary: RunSummary;
  readonly updatedAt: string;
}

/**
 * Summaries of the given runs, or of the runs changed at or after `since` (PostgreSQL timestamp
 * text) minus `marginMs`, oldest change first. The margin covers transactions that committed
 * after a later one: their `updated_at` is older than what a reader already saw.
 */
export async function runChangeMarks(
  db: AtomflowDb,
  which: { readonly ids: readonly string[] } | { readonly since: string; readonly marginMs?: number },
  limit = 500,
): Promise<RunChangeMark[]> {
  if ('ids' in which && which.ids.length === 0) return [];
  const rows = await db
    .select({ run: Runs, at: sql<string>`${Runs.updatedAt}::text` })
    .from(Runs)
    .where(
      'ids' in which
        ? inArray(Runs.id, [...which.ids])
        : sql`${Runs.updatedAt} >= ${which.since}::timestamptz - (${which.marginMs ?? 0}::integer * interval '1 millisecond')`,
    )
    .orderBy(asc(Runs.updatedAt), asc(Runs.id))
    .limit(limit);
  const summaries = await withAtomStates(
    db,
    rows.map((r) => r.run),
  );
  return summaries.map((summary, i) => ({ summary, updatedAt: rows[i]!.at }));
}

/** The current time as PostgreSQL text (a starting position for `runsChangedSince`). */
export async function databaseNow(db: AtomflowDb): Promise<string> {
  const [row] = await queryRows<{ now: string }>(db, sql`select clock_timestamp()::text as now`);
  return row!.now;
}

async function withAtomStates(db: AtomflowDb, runs: ReadonlyArray<typeof Runs.$inferSelect>): Promise<RunSummary[]> {
  if (runs.length === 0) return [];
  const counts = await db
    .select({
      runId: AtomDetails.runId,
      state: AtomDetails.state,
      n: sql<number>`count(*)::int`,
      approval: sql<number>`count(*) filter (where ${AtomDetails.waitReason} = 'approval')::int`,
    })
    .from(AtomDetails)
    .where(
      inArray(
        AtomDetails.runId,
        runs.map((r) => r.id),
      ),
    )
    .groupBy(AtomDetails.runId, AtomDetails.state);
  const byRun = new Map<string, Partial<Record<AtomState, number>>>();
  const approvals = new Map<string, number>();
  for (const c of counts) {
    let m = byRun.get(c.runId);
    if (!m) byRun.set(c.runId, (m = {}));
    m[c.state as AtomState] = Number(c.n);
    if (c.state === 'WAITING' && Number(c.approval) > 0) approvals.set(c.runId, Number(c.approval));
  }
  return runs.map((r) => {
    const { inputs: _inputs, ...detail } = toFlowDetail(r);
    const atomStates = byRun.get(r.id) ?? {};
    const atomTotal = Object.values(atomStates).reduce((a, b) => a + b, 0);
    return { ...detail, lastSeq: r.lastSeq, atomStates, atomTotal, awaitingApproval: approvals.get(r.id) ?? 0 };
  });
}

/** The event counter (`last_seq`) of each given run that exists. */
export async function runLastSeqs(db: AtomflowDb, runIds: readonly string[]): Promise<Map<string, number>> {
  if (runIds.length === 0) return new Map();
  const rows = await db
    .select({ id: Runs.id, lastSeq: Runs.lastSeq })
    .from(Runs)
    .where(inArray(Runs.id, [...runIds]));
  return new Map(rows.map((r) => [r.id, r.lastSeq]));
}
