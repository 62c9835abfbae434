import { getRunSummary, listRunSummaries } from '@atomflow/db';
import { MissingInputsError, OperationSchema } from '@atomflow/engine';
import { diffRevisions } from '@atomflow/model';
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';

import { problemsOf, revisionOrThrow } from '../flows/definition-input.js';
import { definitionForRun } from '../flows/subflows.js';
import { flowId, idText, isoTime, jsonObject, jsonProblem, limit, revision, runState } from '../inputs.js';
import { migrateTarget, migrateTargets } from '../runs/migrate-target.js';
import { loadRunContext, migrationBlocker, previewFor } from '../runs/run-plan.js';
import { operatorProcedure, viewerProcedure } from '../trpc.js';
import { queueOperation } from '../runs/queue-operation.js';
import { approve, reject } from './runs-approval.js';
import { operateMany } from './runs-bulk.js';

const runId = idText;

/** `source`: `revision` is one of the source flow's (a run of a flow with subflows), see migrateTargets. */
const migrateInput = z.strictObject({ runId, revision, source: z.boolean().default(false) });

/** A manual operation as sent (who did it is taken from the session, not from the input). */
const operation = OperationSchema.superRefine((op, ctx) => {
  const p = jsonProblem(op);
  if (p) ctx.addIssue({ code: 'custom', message: p });
});

export const runsRouter = {
  /**
   * Starts a run of a flow revision (the latest by default): inputs are checked against what the
   * flow requires, the run is recorded PENDING and a worker picks it up.
   */
  start: operatorProcedure
    .input(z.strictObject({ flowId, revision: revision.optional(), inputs: jsonObject.default({}) }))
    .mutation(async ({ ctx, input }) => {
      const rev = await revisionOrThrow(ctx.services.store, input.flowId, input.revision);
      // subflows inlined (the run records the expanded definition: see flows/subflows.ts)
      const { definition, subflows } = await definitionForRun(ctx.services.store, rev.definition);
      // the flow's own problems first (ValidationError), then the inputs it needs and did not get
      const missing = ctx.services.engine.compile(definition).inputs.filter((k) => !(k in input.inputs));
      if (missing.length) throw new MissingInputsError(missing);
      const from = subflows.length ? { expandedFrom: { flowId: rev.flowId, revision: rev.revision }, subflows } : {};
      const run = await ctx.services.engine.createRun(definition, {
        inputs: input.inputs,
        meta: { startedBy: ctx.auth.user.email, ...from },
      });
      ctx.services.kick?.();
      return run;
    }),

  /** Runs, newest first, filtered by state, flow and creation time; a page at a time. */
  list: viewerProcedure
    .input(
      z
        .strictObject({
          states: z.array(runState).max(20).optional(),
          flowId: flowId.optional(),
          createdAfter: isoTime.optional(),
          createdBefore: isoTime.optional(),
          limit: limit(200, 50),
          cursor: z.string().max(500).optional(),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) => listRunSummaries(ctx.services.db, input)),

  /** A run's record (FlowDetail), its atoms (AtomDetails) and sub-steps, the revision it runs, who holds it. */
  get: viewerProcedure.input(z.strictObject({ runId })).query(async ({ ctx, input }) => {
    const rc = await loadRunContext(ctx.services, input.runId);
    const [summary, pending] = await Promise.all([
      getRunSummary(ctx.services.db, input.runId),
      ctx.services.store.pendingCommands([input.runId]),
    ]);
    return {
      run: rc.loaded.flow,
      atoms: rc.loaded.atoms,
      subSteps: rc.loaded.subSteps,
      lastSeq: rc.loaded.lastSeq,
      atomStates: summary?.atomStates ?? {},
      definition: rc.revision.definition,
      lease: rc.lease,
      pendingCommands: pending,
    };
  }),

  /** A run's events after `afterSeq`, in order. */
  events: viewerProcedure
    .input(z.strictObject({ runId, afterSeq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0), limit: limit(5000, 1000) }))
    .query(({ ctx, input }) => ctx.services.store.events(input.runId, input.afterSeq, input.limit)),

  /** Which atoms an operation would touch, and whether it is allowed now. */
  preview: viewerProcedure.input(z.strictObject({ runId, op: operation })).query(async ({ ctx, input }) => {
    const rc = await loadRunContext(ctx.services, input.runId);
    return previewFor(ctx.services, rc, input.op);
  }),

  /**
   * Queues a manual operation for the run's owner (or the next worker to claim the run); refused
   * (PRECONDITION_FAILED, with the reason) when the preview says it is not allowed now.
   */
  operate: operatorProcedure
    .input(z.strictObject({ runId, op: operation }))
    .mutation(({ ctx, input }) => queueOperation(ctx.services, input.runId, { ...input.op, by: ctx.auth.user.email })),

  /** Approves an atom waiting for approval with the value entered in its form (checked against it); the run continues. */
  approve,

  /** Rejects an atom waiting for approval: it fails with ApprovalRejected (its retry controller / revert apply). */
  reject,

  /** One whole-run operation on many runs, each judged and queued on its own (see runs-bulk.ts). */
  operateMany,

  /** A queued operation and, once applied, its outcome. */
  command: viewerProcedure
    .input(z.strictObject({ id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }))
    .query(async ({ ctx, input }) => {
      const command = await ctx.services.store.getCommand(input.id);
      if (!command) throw new TRPCError({ code: 'NOT_FOUND', message: `no command ${input.id}` });
      return command;
    }),

  /**
   * The revisions a run can migrate to: its flow's newer revisions, or for a run of a flow with
   * subflows the SOURCE flow's revisions newer than the one its expansion came from (`subflows`:
   * migrate with `source: true`, each is expanded when migrated to).
   */
  migrateTargets: viewerProcedure.input(z.strictObject({ runId })).query(async ({ ctx, input }) => {
    const rc = await loadRunContext(ctx.services, input.runId);
    return migrateTargets(ctx.services, rc);
  }),

  /**
   * What migrating a run to another revision of its flow would change, and whether it is allowed
   * now. `source`: `revision` is the source flow's (a run with subflows), expanded as a run started
   * now would expand it; the diff is between the run's expansion and that one.
   */
  migratePreview: viewerProcedure.input(migrateInput).query(async ({ ctx, input }) => {
    const rc = await loadRunContext(ctx.services, input.runId);
    const target = await migrateTarget(ctx.services, rc, input.revision, input.source);
    const to = target.definition.revision;
    const problems = problemsOf(target.definition, ctx.services.engine.registry, Object.keys(rc.loaded.flow.inputs));
    const blocker =
      migrationBlocker(rc, to) ?? (problems.length ? `revision ${input.revision} has ${problems.length} problem(s)` : undefined);
    return {
      diff: diffRevisions(rc.revision.definition, target.definition),
      from: rc.loaded.flow.revision,
      to,
      source: target.source,
      definition: target.definition,
      allowed: blocker === undefined,
      reason: blocker ?? null,
      problems,
    };
  }),

  /**
   * Moves a stopped run to another revision of its flow (atoms matched by name) and, unless
   * `resume: false`, continues it — queued like `operate`: the worker holding the run applies it
   * once the run has stopped. `source`: to a revision of the source flow of a run with subflows,
   * expanded (and saved as a companion revision, reused when unchanged) first. Returns the queued
   * command and the diff it will apply.
   */
  migrate: operatorProcedure.input(migrateInput.extend({ resume: z.boolean().default(true) })).mutation(async ({ ctx, input }) => {
    const rc = await loadRunContext(ctx.services, input.runId);
    const target = await migrateTarget(ctx.services, rc, input.revision, input.source);
    const to = target.definition.revision;
    const blocker = migrationBlocker(rc, to);
    if (blocker) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: `cannot migrate: ${blocker}` });
    const problems = problemsOf(target.definition, ctx.services.engine.registry, Object.keys(rc.loaded.flow.inputs));
    if (problems.length)
      throw new TRPCError({
        code: 'PRECONDITION_FAILED',
        message: `cannot migrate: revision ${input.revision} has ${problems.length} problem(s)`,
      });
    // saving the same expansion again is a no-op (a concurrent other expansion is a CONFLICT)
    if (target.save) await ctx.services.store.saveRevision(target.definition);
    const op = { type: 'migrate', revision: to, resume: input.resume, by: ctx.auth.user.email };
    const command = await ctx.services.store.enqueueCommand(input.runId, op);
    ctx.services.kick?.();
    return {
      command,
      diff: diffRevisions(rc.revision.definition, target.definition),
      from: rc.loaded.flow.revision,
      to,
      source: target.source,
    };
  }),
} satisfies TRPCRouterRecord;
