import {
  LeaseLostError,
  RevisionConflictError,
  RunNotFoundError,
  type Command,
  type Fence,
  type LoadedRun,
  type NewRun,
  type RunChange,
  type RunFilter,
  type StoredRevision,
  type Timer,
  type WorkStore,
} from '@atomflow/engine';
import { sameDefinition, type FlowDefinition, type FlowDetail, type LogBook, type NewRunEvent, type RunEvent } from '@atomflow/model';
import { and, asc, desc, eq, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';

import { CommitBatcher, type BatchItem } from './commit-batcher.js';
import { manyRunValues, runCommit, singleRunValues, type RunCommit } from './commit-params.js';
import { queryRows, type AtomflowDb } from './db-types.js';
import { RunExistsError, StoreQueryError } from './errors.js';
import { toAtomDetail, toCommand, toFlowDetail, toLogBook, toRunEvent, toStoredRevision, toSubStep, toTimer } from './mappers.js';
import { type AtomDetails, Commands, Events, FlowRevisions, Flows, Logbooks, Runs, type SubSteps, Timers } from './schema.js';
import { drizzleRunner, type SqlRunner } from './runner.js';
import { CLAIM_RUNS, COMMIT, COMMIT_MANY, CREATE_RUN, LOAD_RUN } from './statements.js';
import { toIso } from './time.js';
import { checkAtom } from './validate.js';

/** How many due timers dueTimers returns when not told. */
const DEFAULT_TIMER_LIMIT = 100;

export interface DbStoreOptions {
  /** Runs the hot statements (commit, createRun); openDatabase passes a preparing one. */
  readonly runner?: SqlRunner;
  /** Releases what the store runs on (openDatabase passes the client's close). */
  readonly onClose?: () => Promise<void>;
  /**
   * Commit statements in flight at once (default 1). Commits of other runs arriving meanwhile
   * queue and go out together as one statement (group commit): see commit-batcher.ts.
   */
  readonly maxCommitsInFlight?: number;
  /** Most runs' commits in one statement (default 64). */
  readonly maxCommitBatch?: number;
}

interface PendingCommit extends BatchItem<RunEvent[]> {
  readonly commit: RunCommit;
}

type CommitRow = { id?: string; last_seq: string | number; at: string | Date };

/**
 * Whether a failed statement was refused as a whole, so that nothing of it was applied and each
 * part may be sent again on its own: the database answered with an error (a SQLSTATE), or the
 * runner refused a value before sending anything (RangeError). A connection lost mid-statement
 * is not: the commit may have happened.
 */
function refusedWhole(e: unknown): boolean {
  if (e instanceof RangeError) return true;
  for (let err: unknown = e; err instanceof Error; err = err.cause) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return true;
  }
  return false;
}

/**
 * The durable Store on PostgreSQL or PGlite (one drizzle schema, the same SQL on both), with the
 * leases and command queue that let several workers share runs (WorkStore). Each method that
 * changes a run is one statement or one transaction.
 */
export class DbStore implements WorkStore {
  private closed: Promise<void> | undefined;
  private readonly runner: SqlRunner;
  private readonly onClose: () => Promise<void>;
  private readonly batcher: CommitBatcher<RunEvent[], PendingCommit>;

  constructor(
    readonly db: AtomflowDb,
    options: DbStoreOptions = {},
  ) {
    this.runner = options.runner ?? drizzleRunner(db);
    this.onClose = options.onClose ?? (() => Promise.resolve());
    this.batcher = new CommitBatcher((batch) => this.sendCommits(batch), options.maxCommitsInFlight ?? 1, options.maxCommitBatch ?? 64);
  }

  async ensureLogBook(id: string, name: string): Promise<LogBook> {
    const [inserted] = await this.db.insert(Logbooks).values({ id, name }).onConflictDoNothing().returning();
    if (inserted) return toLogBook(inserted);
    const [existing] = await this.db.select().from(Logbooks).where(eq(Logbooks.id, id));
    if (!existing) throw new Error(`logbook ${id} vanished while being ensured`);
    return toLogBook(existing);
  }

  saveRevision(def: FlowDefinition): Promise<StoredRevision> {
    const body = JSON.stringify(def);
    return this.db.transaction(async (tx) => {
      // The flows row first (revisions reference it); it tracks the newest revision's name.
      await tx
        .insert(Flows)
        .values({ id: def.id, name: def.name ?? null, latestRevision: def.revision })
        .onConflictDoUpdate({
          target: Flows.id,
          set: {
            name: sql`case when excluded.latest_revision >= ${Flows.latestRevision} then excluded.name else ${Flows.name} end`,
            latestRevision: sql`greatest(${Flows.latestRevision}, excluded.latest_revision)`,
            updatedAt: sql`now()`,
          },
        });
      const [inserted] = await tx
        .insert(FlowRevisions)
        .values({ flowId: def.id, revision: def.revision, definition: def })
        .onConflictDoNothing()
        .returning({ createdAt: FlowRevisions.createdAt });
      if (inserted) {
        const definition = JSON.parse(body) as FlowDefinition;
        return { flowId: def.id, revision: def.revision, definition, createdAt: toIso(inserted.createdAt) };
      }
      // Already there: the same definition (an idempotent retry of the same save, a run started
      // again from it) is fine and returns the stored one; anything else is refused and the
      // transaction (with the flows upsert) rolls back. The same content in another key order is
      // another definition (steps run, form fields show in the order written): compared in JS
      // with sameDefinition, not as jsonb (which ignores key order), nor as text (the json
      // written by migration 0005 from jsonb has other whitespace and the schema's fields in
      // jsonb's order).
      const [existing] = await tx
        .select()
        .from(FlowRevisions)
        .where(and(eq(FlowRevisions.flowId, def.id), eq(FlowRevisions.revision, def.revision)));
      if (!existing) throw new Error(`revision ${def.id}@${def.revision} vanished while being saved`);
      if (!sameDefinition(existing.definition, def)) throw new RevisionConflictError(def.id, def.revision);
      return toStoredRevision(existing);
    });
  }

  async getRevision(flowId: string, revision: number): Promise<StoredRevision | undefined> {
    const [row] = await this.db
      .select()
      .from(FlowRevisions)
      .where(and(eq(FlowRevisions.flowId, flowId), eq(FlowRevisions.revision, revision)));
    return row && toStoredRevision(row);
  }

  async latestRevision(flowId: string): Promise<StoredRevision | undefined> {
    const [row] = await this.db
      .select()
      .from(FlowRevisions)
      .where(eq(FlowRevisions.flowId, flowId))
      .orderBy(desc(FlowRevisions.revision))
      .limit(1);
    return row && toStoredRevision(row);
  }

  /** One statement (statements.CREATE_RUN): the logbook if new, the run, its atoms. */
  async createRun(run: NewRun): Promise<FlowDetail> {
    for (const a of run.atoms) checkAtom(a);
    const inputs = JSON.stringify(run.inputs);
    const meta = JSON.stringify(run.meta);
    const rows = await this.runner
      .run<{ created_at: string | Date; updated_at: string | Date }>(CREATE_RUN, [
        run.id,
        run.logbookId,
        run.flowId,
        run.revision,
        run.rootName,
        inputs,
        meta,
        JSON.stringify(run.atoms),
        run.lease?.owner ?? null,
        run.lease?.ttlMs ?? null,
      ])
      .catch((e: unknown) => {
        throw new StoreQueryError(`creating run ${run.id}`, e);
      });
    const row = rows[0];
    if (!row) throw new RunExistsError(run.id);
    return {
      id: run.id,
      logbookId: run.logbookId,
      flowId: run.flowId,
      revision: run.revision,
      rootName: run.rootName,
      state: 'PENDING',
      inputs: JSON.parse(inputs) as Record<string, unknown>,
      failure: null,
      createdAt: toIso(row.created_at),
      updatedAt: toIso(row.updated_at),
      startedAt: null,
      finishedAt: null,
      meta: JSON.parse(meta) as Record<string, unknown>,
    };
  }

  /** One statement (statements.LOAD_RUN), so one snapshot: the run, its atoms and sub-steps agree with lastSeq. */
  async loadRun(runId: string): Promise<LoadedRun | undefined> {
    const rows = await this.runner
      .run<{
        run: typeof Runs.$inferSelect;
        atoms: (typeof AtomDetails.$inferSelect)[];
        subSteps: (typeof SubSteps.$inferSelect)[];
      }>(LOAD_RUN, [runId])
      .catch((e: unknown) => {
        throw new StoreQueryError(`loading run ${runId}`, e);
      });
    const row = rows[0];
    if (!row) return undefined;
    return {
      flow: toFlowDetail(row.run),
      atoms: row.atoms.map(toAtomDetail),
      subSteps: row.subSteps.map(toSubStep),
      lastSeq: Number(row.run.lastSeq),
    };
  }

  /** Newest first: by creation time, then creation order (runs created in the same millisecond). */
  async listRuns(filter: RunFilter = {}): Promise<FlowDetail[]> {
    const where: SQL[] = [];
    if (filter.states) where.push(inArray(Runs.state, [...filter.states]));
    if (filter.flowId !== undefined) where.push(eq(Runs.flowId, filter.flowId));
    const query = this.db
      .select()
      .from(Runs)
      .where(and(...where))
      .orderBy(desc(Runs.createdAt), desc(Runs.createdSeq));
    const rows = filter.limit === undefined ? await query : await query.limit(filter.limit);
    return rows.map(toFlowDetail);
  }

  /**
   * One statement (statements.COMMIT, or COMMIT_MANY together with other runs' commits): seqs,
   * atoms, run fields, sub-steps, timers, events. With a fence, refused (LeaseLostError, nothing
   * applied) unless the fence's owner holds the run.
   */
  async commit(runId: string, change: RunChange, fence?: Fence): Promise<RunEvent[]> {
    const commit = runCommit(runId, change, fence);
    return new Promise((resolve, reject) => this.batcher.submit({ runId, commit, resolve, reject }));
  }

  private async sendCommits(batch: readonly PendingCommit[]): Promise<void> {
    if (batch.length === 1) return this.sendAlone(batch[0]!);
    let rows: CommitRow[];
    try {
      rows = await this.runner.run<CommitRow>(COMMIT_MANY, manyRunValues(batch.map((b) => b.commit)));
    } catch (e) {
      // One run's change the database refuses must not fail the others': nothing was applied,
      // so each goes again on its own and only the culprit fails.
      if (refusedWhole(e)) await Promise.all(batch.map((b) => this.sendAlone(b)));
      else for (const b of batch) b.reject(new StoreQueryError(`commit to run ${b.runId}`, e));
      return;
    }
    const byRun = new Map(rows.map((r) => [r.id, r]));
    for (const b of batch) {
      const row = byRun.get(b.runId);
      if (row) b.resolve(this.committedEvents(b.commit, row));
      else b.reject(await this.notApplied(b.commit).catch((e: unknown) => e));
    }
  }

  private async sendAlone(b: PendingCommit): Promise<void> {
    try {
      const rows = await this.runner.run<CommitRow>(COMMIT, singleRunValues(b.commit)).catch((e: unknown) => {
        throw new StoreQueryError(`commit to run ${b.runId}`, e);
      });
      const row = rows[0];
      if (!row) throw await this.notApplied(b.commit);
      b.resolve(this.committedEvents(b.commit, row));
    } catch (e) {
      b.reject(e);
    }
  }

  /** Why a commit applied nothing (the extra query only runs on this path). */
  private async notApplied(c: RunCommit): Promise<Error> {
    if (c.owner !== null && (await this.runExists(c.runId))) return new LeaseLostError(c.runId, c.owner);
    return new RunNotFoundError(c.runId);
  }

  /** The events as stored: the JSON that went into the database, parsed back, with their seqs. */
  private committedEvents(c: RunCommit, row: CommitRow): RunEvent[] {
    if (c.eventCount === 0) return [];
    const first = Number(row.last_seq) - c.eventCount + 1;
    const at = toIso(row.at);
    const stored = JSON.parse(c.eventsJson) as NewRunEvent[];
    return stored.map((e, i) => ({
      runId: c.runId,
      seq: first + i,
      kind: e.kind,
      atom: e.atom ?? null,
      from: e.from ?? null,
      to: e.to ?? null,
      data: e.data ?? null,
      at,
    }));
  }

  async events(runId: string, afterSeq = 0, limit?: number): Promise<RunEvent[]> {
    const query = this.db
      .select()
      .from(Events)
      .where(and(eq(Events.runId, runId), gt(Events.seq, afterSeq)))
      .orderBy(asc(Events.seq));
    const rows = limit === undefined ? await query : await query.limit(limit);
    if (rows.length === 0 && !(await this.runExists(runId))) throw new RunNotFoundError(runId);
    return rows.map(toRunEvent);
  }

  async dueTimers(now: string, limit = DEFAULT_TIMER_LIMIT): Promise<Timer[]> {
    const rows = await this.db
      .select()
      .from(Timers)
      .where(lte(Timers.wakeAt, now))
      .orderBy(asc(Timers.wakeAt), asc(Timers.runId), asc(Timers.atom))
      .limit(limit);
    return rows.map(toTimer);
  }

  // ---- WorkStore: leases and the command queue --------------------------------------------

  async claimRuns(owner: string, ttlMs: number, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const rows = await this.runner.run<{ id: string }>(CLAIM_RUNS, [owner, ttlMs, limit]).catch((e: unknown) => {
      throw new StoreQueryError('claiming runs', e);
    });
    return rows.map((r) => r.id);
  }

  async claimRun(runId: string, owner: string, ttlMs: number): Promise<boolean> {
    const rows = await this.db
      .update(Runs)
      .set({ leaseOwner: owner, leaseExpiresAt: sql`clock_timestamp() + ${ttlMs}::double precision * interval '1 millisecond'` })
      .where(
        and(
          eq(Runs.id, runId),
          or(
            isNull(Runs.leaseOwner),
            eq(Runs.leaseOwner, owner),
            isNull(Runs.leaseExpiresAt),
            lte(Runs.leaseExpiresAt, sql`clock_timestamp()`),
          ),
        ),
      )
      .returning({ id: Runs.id })
      .catch((e: unknown) => {
        throw new StoreQueryError(`claiming run ${runId}`, e);
      });
    return rows.length === 1;
  }

  async renewLeases(owner: string, runIds: readonly string[], ttlMs: number): Promise<string[]> {
    if (runIds.length === 0) return [];
    const rows = await this.db
      .update(Runs)
      .set({ leaseExpiresAt: sql`clock_timestamp() + ${ttlMs}::double precision * interval '1 millisecond'` })
      .where(and(inArray(Runs.id, [...runIds]), eq(Runs.leaseOwner, owner), gt(Runs.leaseExpiresAt, sql`clock_timestamp()`)))
      .returning({ id: Runs.id });
    const held = new Set(rows.map((r) => r.id));
    return runIds.filter((id) => held.has(id));
  }

  async releaseRun(runId: string, owner: string): Promise<void> {
    await this.db
      .update(Runs)
      .set({ leaseOwner: null, leaseExpiresAt: null })
      .where(and(eq(Runs.id, runId), eq(Runs.leaseOwner, owner)));
  }

  async leaseOf(runId: string): Promise<{ owner: string; expiresAt: string } | undefined> {
    const [row] = await this.db.select({ owner: Runs.leaseOwner, expiresAt: Runs.leaseExpiresAt }).from(Runs).where(eq(Runs.id, runId));
    return row?.owner && row.expiresAt ? { owner: row.owner, expiresAt: toIso(row.expiresAt) } : undefined;
  }

  /** Queued only for an existing run: the INSERT selects from runs, so a missing run inserts nothing. */
  async enqueueCommand(runId: string, op: Record<string, unknown>): Promise<Command> {
    const rows = await queryRows<{ id: string | number; run_id: string; op: Record<string, unknown>; created_at: string }>(
      this.db,
      sql`insert into commands (run_id, op) select id, ${JSON.stringify(op)}::text::jsonb from runs where id = ${runId}
        returning id, run_id, op, created_at`,
    );
    const row = rows[0];
    if (!row) throw new RunNotFoundError(runId);
    return { id: Number(row.id), runId: row.run_id, op: row.op, createdAt: toIso(row.created_at), appliedAt: null, outcome: null };
  }

  async pendingCommands(runIds?: readonly string[]): Promise<Command[]> {
    const rows = await this.db
      .select()
      .from(Commands)
      .where(and(isNull(Commands.appliedAt), runIds ? inArray(Commands.runId, [...runIds]) : undefined))
      .orderBy(asc(Commands.id));
    return rows.map(toCommand);
  }

  async completeCommand(id: number, outcome: Record<string, unknown>): Promise<void> {
    await this.db
      .update(Commands)
      .set({ appliedAt: sql`now()`, outcome })
      .where(eq(Commands.id, id));
  }

  async getCommand(id: number): Promise<Command | undefined> {
    const [row] = await this.db.select().from(Commands).where(eq(Commands.id, id));
    return row && toCommand(row);
  }

  /** Closes the underlying database once; later calls wait for the same close. */
  close(): Promise<void> {
    this.closed ??= this.onClose();
    return this.closed;
  }

  private async runExists(runId: string): Promise<boolean> {
    const [row] = await this.db.select({ id: Runs.id }).from(Runs).where(eq(Runs.id, runId));
    return row !== undefined;
  }
}
