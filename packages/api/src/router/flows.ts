import { deleteFlow, getFlowSummary, listFlows, listRevisions } from '@atomflow/db';
import { diffRevisions, expansionFlowId, sameDefinition } from '@atomflow/model';
import { TRPCError, type TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';

import { parseDefinitionInput, revisionOrThrow } from '../flows/definition-input.js';
import { checkWithSubflows, problemsWithSubflows } from '../flows/subflows.js';
import { flowId, limit, revision, text } from '../inputs.js';
import { editorProcedure, viewerProcedure } from '../trpc.js';

/** A definition as sent: any JSON; its shape is checked by the model (problems with paths). */
const definition = z.unknown().refine((v) => v !== undefined, 'a flow definition is required');
/** Largest imported file (characters). */
const MAX_IMPORT = 5_000_000;

export const flowsRouter = {
  /** Flows, most recently updated first; `search` matches id or name. */
  list: viewerProcedure
    .input(z.strictObject({ search: text(200).optional(), limit: limit(200, 50), cursor: text(500).optional() }).default({ limit: 50 }))
    .query(({ ctx, input }) => listFlows(ctx.services.db, input)),

  /** One revision (the latest by default) with the flow's summary and the revision's problems. */
  get: viewerProcedure.input(z.strictObject({ flowId, revision: revision.optional() })).query(async ({ ctx, input }) => {
    const rev = await revisionOrThrow(ctx.services.store, input.flowId, input.revision);
    const flow = await getFlowSummary(ctx.services.db, input.flowId);
    if (!flow) throw new TRPCError({ code: 'NOT_FOUND', message: `no flow ${input.flowId}` });
    return { flow, revision: rev, problems: await problemsWithSubflows(rev.definition, ctx.services.store, ctx.services.engine.registry) };
  }),

  /** A flow's revisions, newest first. */
  revisions: viewerProcedure.input(z.strictObject({ flowId })).query(async ({ ctx, input }) => {
    const list = await listRevisions(ctx.services.db, input.flowId);
    if (list.length === 0) throw new TRPCError({ code: 'NOT_FOUND', message: `no flow ${input.flowId}` });
    return list;
  }),

  /** Every problem of a definition, each with its path; nothing is saved. */
  validate: viewerProcedure
    .input(z.strictObject({ definition, inputs: z.array(text(200)).max(1000).optional() }))
    .mutation(async ({ ctx, input }) => {
      const parsed = parseDefinitionInput(input.definition);
      const { problems, inputs } = await checkWithSubflows(parsed, ctx.services.store, ctx.services.engine.registry, input.inputs);
      // `inputs`: what a run must be given (through subflows: the designer's local check cannot see into them)
      return { valid: problems.length === 0, problems, inputs };
    }),

  /** A new flow at revision 1. Saved even with semantic problems (returned): a draft may be incomplete. */
  create: editorProcedure.input(z.strictObject({ definition })).mutation(async ({ ctx, input }) => {
    const def = { ...parseDefinitionInput(input.definition), revision: 1 };
    if (await ctx.services.store.latestRevision(def.id))
      throw new TRPCError({ code: 'CONFLICT', message: `flow ${def.id} already exists: save a new revision of it instead` });
    const saved = await ctx.services.store.saveRevision(def);
    return { revision: saved, problems: await problemsWithSubflows(def, ctx.services.store, ctx.services.engine.registry) };
  }),

  /**
   * Saves the definition as the next revision (revisions are immutable). `baseRevision` is the
   * revision the edit started from: if someone saved meanwhile, CONFLICT instead of overwriting.
   */
  saveRevision: editorProcedure.input(z.strictObject({ flowId, baseRevision: revision, definition })).mutation(async ({ ctx, input }) => {
    const latest = await revisionOrThrow(ctx.services.store, input.flowId);
    if (latest.revision !== input.baseRevision)
      throw new TRPCError({
        code: 'CONFLICT',
        message: `flow ${input.flowId} is at revision ${latest.revision} now, not ${input.baseRevision}: reload it and apply your changes again`,
      });
    const def = { ...parseDefinitionInput(input.definition), id: input.flowId, revision: latest.revision + 1 };
    const saved = await ctx.services.store.saveRevision(def);
    return { revision: saved, problems: await problemsWithSubflows(def, ctx.services.store, ctx.services.engine.registry) };
  }),

  /** What changes between two revisions (what a run migrated from `from` to `to` would do). */
  diff: viewerProcedure.input(z.strictObject({ flowId, from: revision, to: revision })).query(async ({ ctx, input }) => {
    const [a, b] = await Promise.all([
      revisionOrThrow(ctx.services.store, input.flowId, input.from),
      revisionOrThrow(ctx.services.store, input.flowId, input.to),
    ]);
    return diffRevisions(a.definition, b.definition);
  }),

  /** A revision as a JSON file. */
  export: viewerProcedure.input(z.strictObject({ flowId, revision: revision.optional() })).query(async ({ ctx, input }) => {
    const rev = await revisionOrThrow(ctx.services.store, input.flowId, input.revision);
    return { fileName: `${rev.flowId}.r${rev.revision}.json`, json: `${JSON.stringify(rev.definition, null, 2)}\n` };
  }),

  /**
   * Imports a definition file (text or parsed JSON): a new flow keeps the file's revision number,
   * an existing one gets it as its next revision (nothing is saved when it equals the latest).
   */
  import: editorProcedure
    .input(z.strictObject({ json: z.union([text(MAX_IMPORT), z.record(z.string(), z.unknown())]) }))
    .mutation(async ({ ctx, input }) => {
      let raw: unknown = input.json;
      if (typeof raw === 'string') {
        try {
          raw = JSON.parse(raw);
        } catch (e) {
          throw new TRPCError({ code: 'BAD_REQUEST', message: `not valid JSON: ${(e as Error).message}` });
        }
      }
      const def = parseDefinitionInput(raw);
      const { store, engine } = ctx.services;
      const latest = await store.latestRevision(def.id);
      const problems = await problemsWithSubflows(def, store, engine.registry);
      if (!latest) return { created: true, changed: true, revision: await store.saveRevision(def), problems };
      // a file that only reorders keys (steps, form fields) is a change: they run and show in that order
      if (sameDefinition(latest.definition, { ...def, revision: latest.revision }))
        return { created: false, changed: false, revision: latest, problems };
      return { created: false, changed: true, revision: await store.saveRevision({ ...def, revision: latest.revision + 1 }), problems };
    }),

  /** Deletes a flow with its revisions and finished runs; refused while any of its runs is unfinished. */
  delete: editorProcedure.input(z.strictObject({ flowId })).mutation(async ({ ctx, input }) => {
    const r = await deleteFlow(ctx.services.db, input.flowId);
    if (r.deleted) {
      // its companion with the expansions its runs executed (subflows) goes too, unless runs of it are still going
      const companion = await deleteFlow(ctx.services.db, expansionFlowId(input.flowId));
      return { deleted: true, runs: r.runs + (companion.deleted ? companion.runs : 0) };
    }
    if (r.reason === 'not-found') throw new TRPCError({ code: 'NOT_FOUND', message: `no flow ${input.flowId}` });
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: `flow ${input.flowId} has ${r.activeRuns} unfinished run(s): cancel them or let them finish first`,
    });
  }),
} satisfies TRPCRouterRecord;
