import type { Failure, FlowDefinition, RetryHistoryEntry } from '@atomflow/model';
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

import { json, jsonb } from './json-column.js';

/*
 * The one schema of atomflow's durable store. Changing it means `npm run generate -w @atomflow/db`
 * and committing the new migration under drizzle/: openDatabase applies migrations on start.
 *
 * Timestamps are `timestamptz` read as strings (microseconds, so ordering by them is exact) and
 * converted to ISO strings at the boundary. States are plain text: the model's transition table
 * is the authority, and a new state must not need a migration.
 */

/** Timestamps come back from both drivers as PostgreSQL text; the store converts them to ISO. */
const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

export const Logbooks = pgTable('logbooks', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
});

/** One row per flow id; its revisions are in flow_revisions. */
export const Flows = pgTable('flows', {
  id: text('id').primaryKey(),
  name: text('name'),
  latestRevision: integer('latest_revision').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/** Immutable: a (flow, revision) is written once; runs reload exactly what they started with. */
export const FlowRevisions = pgTable(
  'flow_revisions',
  {
    flowId: text('flow_id')
      .notNull()
      .references(() => Flows.id, { onDelete: 'cascade' }),
    revision: integer('revision').notNull(),
    /** json, not jsonb: kept as written, keys in their order (see json-column.ts). */
    definition: json<FlowDefinition>('definition').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.flowId, t.revision] }), check('flow_revisions_revision_positive', sql`${t.revision} >= 1`)],
);

/**
 * A run (TaskFlow's FlowDetail). Not tied to flow_revisions by a foreign key: the Store contract
 * lets a run name a revision the store has not seen (the engine saves revisions it runs).
 * `last_seq` is the run's event counter; bumping it row-locks the run, serialising committers.
 */
export const Runs = pgTable(
  'runs',
  {
    id: text('id').primaryKey(),
    logbookId: text('logbook_id')
      .notNull()
      .references(() => Logbooks.id),
    flowId: text('flow_id').notNull(),
    revision: integer('revision').notNull(),
    rootName: text('root_name').notNull(),
    state: text('state').notNull(),
    inputs: jsonb<Record<string, unknown>>('inputs').notNull(),
    failure: jsonb<Failure>('failure'),
    meta: jsonb<Record<string, unknown>>('meta').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
    /**
     * Creation order. created_at alone cannot order runs: PGlite's clock has millisecond
     * resolution, so runs created in a burst share it; this breaks the ties (newest first).
     */
    createdSeq: bigint('created_seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    /**
     * The lease: which worker owns the run until when. On the run row itself, so that a fenced
     * commit checks it in the same UPDATE that allocates its seqs (re-checked on the newest row
     * version after any wait: a lease taken over meanwhile fails the fence).
     */
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: tstz('lease_expires_at'),
  },
  (t) => [
    index('runs_created_idx').on(t.createdAt.desc(), t.createdSeq.desc()),
    index('runs_state_idx').on(t.state),
    index('runs_flow_id_created_idx').on(t.flowId, t.createdAt.desc(), t.createdSeq.desc()),
  ],
);

/** One atom (by name) of one run: the latest full snapshot the engine committed. */
export const AtomDetails = pgTable(
  'atom_details',
  {
    runId: text('run_id')
      .notNull()
      .references(() => Runs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    type: text('type').notNull(),
    version: integer('version').notNull(),
    kind: text('kind').notNull(),
    state: text('state').notNull(),
    intention: text('intention').notNull(),
    /** SQL NULL = no result; any JSON value (0, false, "", []) is stored as jsonb. */
    result: jsonb('result'),
    failure: jsonb<Failure>('failure'),
    revertResult: jsonb('revert_result'),
    revertFailure: jsonb<Failure>('revert_failure'),
    attempts: integer('attempts').notNull().default(0),
    history: jsonb<RetryHistoryEntry[]>('history'),
    wakeAt: tstz('wake_at'),
    waitReason: text('wait_reason'),
    startedAt: tstz('started_at'),
    finishedAt: tstz('finished_at'),
    inputs: jsonb<Record<string, unknown>>('inputs'),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.name] }),
    check('atom_details_kind_check', sql`${t.kind} in ('task', 'retry')`),
    check('atom_details_attempts_check', sql`${t.attempts} >= 0`),
  ],
);

/** Kopf-style sub-steps: a succeeded one is never run again for the same atom of the run. */
export const SubSteps = pgTable(
  'sub_steps',
  {
    runId: text('run_id')
      .notNull()
      .references(() => Runs.id, { onDelete: 'cascade' }),
    atom: text('atom').notNull(),
    name: text('name').notNull(),
    state: text('state').notNull(),
    attempts: integer('attempts').notNull().default(0),
    result: jsonb('result'),
    failure: jsonb<Failure>('failure'),
    updatedAt: tstz('updated_at').notNull(),
    /**
     * The order sub-steps were first recorded in (the order they ran): set on insert, kept when a
     * later commit replaces the row (a retried sub-step keeps its place); updated_at moves on retry.
     */
    createdSeq: bigint('created_seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.atom, t.name] }), check('sub_steps_attempts_check', sql`${t.attempts} >= 0`)],
);

/** The append-only event log of a run; seq is gap-free per run (allocated from runs.last_seq). */
export const Events = pgTable(
  'events',
  {
    runId: text('run_id')
      .notNull()
      .references(() => Runs.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    atom: text('atom'),
    fromState: text('from_state'),
    toState: text('to_state'),
    data: jsonb<Record<string, unknown>>('data'),
    at: tstz('at').notNull(),
    /**
     * The worker whose lease the commit was fenced by (NULL: an unfenced commit, e.g. a CLI run).
     * Who executed what stays auditable after the leases are gone, and handovers are visible.
     */
    owner: text('owner'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] }), check('events_seq_positive', sql`${t.seq} >= 1`)],
);

/** Durable wake-ups of WAITING atoms; workers poll the due ones through the wake_at index. */
export const Timers = pgTable(
  'timers',
  {
    runId: text('run_id')
      .notNull()
      .references(() => Runs.id, { onDelete: 'cascade' }),
    atom: text('atom').notNull(),
    wakeAt: tstz('wake_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.atom] }), index('timers_wake_at_idx').on(t.wakeAt)],
);

/** Manual operations queued for a run's owner to apply (the engine validates `op`). */
export const Commands = pgTable(
  'commands',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    runId: text('run_id')
      .notNull()
      .references(() => Runs.id, { onDelete: 'cascade' }),
    op: jsonb<Record<string, unknown>>('op').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    appliedAt: tstz('applied_at'),
    outcome: jsonb<Record<string, unknown>>('outcome'),
  },
  // Workers look for pending commands on every poll: index only those.
  (t) => [
    index('commands_pending_idx')
      .on(t.runId, t.id)
      .where(sql`${t.appliedAt} is null`),
  ],
);

/** People who sign in to the web app (the API's AuthStore; DbAuthStore in auth-store.ts). */
export const Users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    passwordHash: text('password_hash').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: tstz('created_at').notNull().defaultNow(),
    /** Creation order: created_at ties within a millisecond on PGlite (see runs.created_seq). */
    createdSeq: bigint('created_seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
  },
  (t) => [
    // Emails are unique whatever their case: the index both enforces it and serves lookups.
    uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`),
    check('users_role_check', sql`${t.role} in ('viewer', 'operator', 'editor', 'admin')`),
  ],
);

/** Signed-in sessions; the id is the sha256 of the cookie token, never the token itself. */
export const Sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => Users.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId), index('sessions_expires_at_idx').on(t.expiresAt)],
);

/** Every table, for `drizzle(client, { schema })`. */
export const schema = { Logbooks, Flows, FlowRevisions, Runs, AtomDetails, SubSteps, Events, Timers, Commands, Users, Sessions };
export type Schema = typeof schema;
