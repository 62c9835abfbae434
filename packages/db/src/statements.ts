import { getTableColumns, type Table } from 'drizzle-orm';

import { AtomDetails, Runs, SubSteps } from './schema.js';

/**
 * The two hot statements, as fixed SQL texts: each is prepared once per connection (PGlite
 * session / pg connection) and then only executed, which skips parsing and planning: on PGlite
 * that is about two thirds of a commit's cost. Fixed text means a fixed shape: absent parts are
 * passed as empty JSON arrays and NULL flags rather than left out of the statement.
 *
 * Rows travel as one JSON text per table (jsonb_to_recordset): one parameter whatever the
 * number of atoms, so no parameter-count limit either.
 */
export interface Statement {
  /** Prepared-statement name; versioned, so a changed text never meets an old preparation. */
  readonly name: string;
  readonly text: string;
  /** PostgreSQL types of $1…$n, in order (the text casts each parameter to the same type). */
  readonly paramTypes: readonly string[];
}

/** The atom_details columns written from a snapshot (besides run_id and name). */
const ATOM_COLUMNS = [
  'type',
  'version',
  'kind',
  'state',
  'intention',
  'result',
  'failure',
  'revert_result',
  'revert_failure',
  'attempts',
  'history',
  'wake_at',
  'wait_reason',
  'started_at',
  'finished_at',
  'inputs',
];

/** Upsert of atom snapshots from JSON ($json) for run $run; rows depend on CTE `source`. */
function atomUpsert(run: string, json: string, source: string): string {
  const columns = ATOM_COLUMNS;
  return `insert into atom_details (run_id, name, ${columns.join(', ')})
    select ${run}, x.name, x.type, x.version, x.kind, x.state, x.intention, x.result, x.failure, x."revertResult", x."revertFailure",
      x.attempts, x.history, x."wakeAt", x."waitReason", x."startedAt", x."finishedAt", x.inputs
    from ${source}, jsonb_to_recordset(${json}::jsonb) as x(name text, type text, version integer, kind text, state text,
      intention text, result jsonb, failure jsonb, "revertResult" jsonb, "revertFailure" jsonb, attempts integer, history jsonb,
      "wakeAt" timestamptz, "waitReason" text, "startedAt" timestamptz, "finishedAt" timestamptz, inputs jsonb)
    on conflict (run_id, name) do update set ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`;
}

/**
 * A RunChange as ONE statement (atomic on its own, one round trip): data-modifying CTEs around
 * the seq allocation. `seq` bumps runs.last_seq by the number of events, row-locking the run:
 * concurrent committers to one run queue there, and the lock holder's seqs are
 * [last_seq - n + 1, last_seq]. Every other CTE selects FROM seq, so for a missing run nothing
 * happens and no row comes back.
 *
 * Limit of one snapshot: a commit that waited for the run's lock does not see rows a concurrent
 * commit inserted meanwhile, so it cannot delete a timer that commit set. A run has one owner
 * (the lease), so commits to one run do not race in practice; seqs stay gap-free regardless.
 *
 * A fence ($17) adds a condition to that UPDATE: the run's lease is the fence owner's and has
 * not expired; the events record that owner. PostgreSQL re-checks it on the newest row version after waiting for the lock, so
 * a lease taken over meanwhile fails the fence; a failed fence also returns no row.
 *
 * Sub-steps of atoms in $18 are deleted except those $13 writes anew: one statement must not
 * both delete and upsert a row, and the upsert replaces those whole (= delete, then insert).
 * Sub-steps are inserted in the order of $13, so created_seq (their order) is the order they were
 * first recorded; the upsert of an existing one keeps its created_seq (a retried step keeps its place).
 *
 *  $1 run id, $2 event count, $3 state, $4 revision, $5 meta (NULL: keep), $6/$7 set failure,
 *  $8/$9 set started_at, $10/$11 set finished_at, $12 atoms, $13 sub-steps, $14 timers to clear,
 *  $15 timers to set, $16 events (JSON arrays), $17 fence owner (NULL: none), $18 atoms whose
 *  sub-steps to clear (JSON array).
 */
export const COMMIT: Statement = {
  name: 'atomflow_commit_v4',
  paramTypes: [
    'text',
    'integer',
    'text',
    'integer',
    'text',
    'boolean',
    'text',
    'boolean',
    'text',
    'boolean',
    'text',
    'text',
    'text',
    'text',
    'text',
    'text',
    'text',
    'text',
  ],
  text: `with seq as (
    update runs set last_seq = last_seq + $2::integer, updated_at = clock_timestamp(),
      state = coalesce($3::text, state), revision = coalesce($4::integer, revision), meta = coalesce($5::text::jsonb, meta),
      failure = case when $6::boolean then $7::text::jsonb else failure end,
      started_at = case when $8::boolean then $9::text::timestamptz else started_at end,
      finished_at = case when $10::boolean then $11::text::timestamptz else finished_at end
    where id = $1::text
      and ($17::text is null or (lease_owner = $17::text and lease_expires_at > clock_timestamp()))
    returning last_seq, updated_at as at),
  atoms as (${atomUpsert('$1::text', '$12::text', 'seq')}),
  subclear as (delete from sub_steps using seq
    where sub_steps.run_id = $1::text and sub_steps.atom in (select jsonb_array_elements_text($18::text::jsonb))
      and not exists (select 1 from jsonb_to_recordset($13::text::jsonb) as k(atom text, name text)
        where k.atom = sub_steps.atom and k.name = sub_steps.name)),
  sub as (insert into sub_steps (run_id, atom, name, state, attempts, result, failure, updated_at)
    select $1::text, x.atom, x.name, x.state, x.attempts, x.result, x.failure, x."updatedAt"
    from seq, rows from (jsonb_to_recordset($13::text::jsonb)
      as (atom text, name text, state text, attempts integer, result jsonb, failure jsonb, "updatedAt" timestamptz))
      with ordinality as x(atom, name, state, attempts, result, failure, "updatedAt", ord)
    order by x.ord
    on conflict (run_id, atom, name) do update set state = excluded.state, attempts = excluded.attempts,
      result = excluded.result, failure = excluded.failure, updated_at = excluded.updated_at),
  tclear as (delete from timers using seq
    where timers.run_id = $1::text and timers.atom in (select jsonb_array_elements_text($14::text::jsonb))),
  tset as (insert into timers (run_id, atom, wake_at)
    select $1::text, x.atom, x."wakeAt" from seq, jsonb_to_recordset($15::text::jsonb) as x(atom text, "wakeAt" timestamptz)
    on conflict (run_id, atom) do update set wake_at = excluded.wake_at),
  ev as (insert into events (run_id, seq, kind, atom, from_state, to_state, data, at, owner)
    select $1::text, seq.last_seq - $2::integer + x.ord, x.kind, x.atom, x."from", x."to", x.data, seq.at, $17::text
    from seq, rows from (jsonb_to_recordset($16::text::jsonb) as (kind text, atom text, "from" text, "to" text, data jsonb))
      with ordinality as x(kind, atom, "from", "to", data, ord))
  select last_seq, at from seq`,
};

/**
 * The commits of several runs as ONE statement (DbStore batches the commits that arrive while
 * another is in flight: one round trip and one transaction for many runs — group commit). The
 * same CTEs as COMMIT, every row tagged with its run: `seq` allocates each run's seqs (and checks
 * its fence) with one UPDATE over the runs in $1; the other CTEs join on it, so a run whose fence
 * fails (or that does not exist) gets nothing written and no row back. A run appears once.
 *
 *  $1 runs [{run, n, state, revision, meta, setFailure, failure, setStarted, startedAt,
 *  setFinished, finishedAt, owner}], $2 atoms (with `run`), $3 sub-steps (with `run`),
 *  $4 sub-steps to clear [{run, atom}], $5 timers to clear [{run, atom}], $6 timers to set
 *  [{run, atom, wakeAt}], $7 events [{run, events: [...]}] (JSON arrays).
 */
export const COMMIT_MANY: Statement = {
  name: 'atomflow_commit_many_v2',
  paramTypes: ['text', 'text', 'text', 'text', 'text', 'text', 'text'],
  text: `with input as (
    select * from jsonb_to_recordset($1::text::jsonb) as i(run text, n integer, state text, revision integer, meta jsonb,
      "setFailure" boolean, failure jsonb, "setStarted" boolean, "startedAt" timestamptz, "setFinished" boolean,
      "finishedAt" timestamptz, owner text)),
  seq as (
    update runs set last_seq = runs.last_seq + i.n, updated_at = clock_timestamp(),
      state = coalesce(i.state, runs.state), revision = coalesce(i.revision, runs.revision), meta = coalesce(i.meta, runs.meta),
      failure = case when i."setFailure" then i.failure else runs.failure end,
      started_at = case when i."setStarted" then i."startedAt" else runs.started_at end,
      finished_at = case when i."setFinished" then i."finishedAt" else runs.finished_at end
    from input i
    where runs.id = i.run and (i.owner is null or (runs.lease_owner = i.owner and runs.lease_expires_at > clock_timestamp()))
    returning runs.id, runs.last_seq, runs.updated_at as at, i.n, i.owner),
  atoms as (insert into atom_details (run_id, name, ${ATOM_COLUMNS.join(', ')})
    select x.run, x.name, x.type, x.version, x.kind, x.state, x.intention, x.result, x.failure, x."revertResult", x."revertFailure",
      x.attempts, x.history, x."wakeAt", x."waitReason", x."startedAt", x."finishedAt", x.inputs
    from jsonb_to_recordset($2::text::jsonb) as x(run text, name text, type text, version integer, kind text, state text,
      intention text, result jsonb, failure jsonb, "revertResult" jsonb, "revertFailure" jsonb, attempts integer, history jsonb,
      "wakeAt" timestamptz, "waitReason" text, "startedAt" timestamptz, "finishedAt" timestamptz, inputs jsonb)
    join seq on seq.id = x.run
    on conflict (run_id, name) do update set ${ATOM_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}),
  subclear as (delete from sub_steps using jsonb_to_recordset($4::text::jsonb) as c(run text, atom text), seq
    where seq.id = c.run and sub_steps.run_id = c.run and sub_steps.atom = c.atom
      and not exists (select 1 from jsonb_to_recordset($3::text::jsonb) as k(run text, atom text, name text)
        where k.run = sub_steps.run_id and k.atom = sub_steps.atom and k.name = sub_steps.name)),
  sub as (insert into sub_steps (run_id, atom, name, state, attempts, result, failure, updated_at)
    select x.run, x.atom, x.name, x.state, x.attempts, x.result, x.failure, x."updatedAt"
    from rows from (jsonb_to_recordset($3::text::jsonb)
      as (run text, atom text, name text, state text, attempts integer, result jsonb, failure jsonb, "updatedAt" timestamptz))
      with ordinality as x(run, atom, name, state, attempts, result, failure, "updatedAt", ord)
    join seq on seq.id = x.run
    order by x.ord
    on conflict (run_id, atom, name) do update set state = excluded.state, attempts = excluded.attempts,
      result = excluded.result, failure = excluded.failure, updated_at = excluded.updated_at),
  tclear as (delete from timers using jsonb_to_recordset($5::text::jsonb) as c(run text, atom text), seq
    where seq.id = c.run and timers.run_id = c.run and timers.atom = c.atom),
  tset as (insert into timers (run_id, atom, wake_at)
    select x.run, x.atom, x."wakeAt" from jsonb_to_recordset($6::text::jsonb) as x(run text, atom text, "wakeAt" timestamptz)
    join seq on seq.id = x.run
    on conflict (run_id, atom) do update set wake_at = excluded.wake_at),
  ev as (insert into events (run_id, seq, kind, atom, from_state, to_state, data, at, owner)
    select seq.id, seq.last_seq - seq.n + x.ord, x.kind, x.atom, x."from", x."to", x.data, seq.at, seq.owner
    from jsonb_array_elements($7::text::jsonb) as r
      join seq on seq.id = r->>'run',
      rows from (jsonb_to_recordset(r->'events') as (kind text, atom text, "from" text, "to" text, data jsonb))
        with ordinality as x(kind, atom, "from", "to", data, ord))
  select id, last_seq, at from seq`,
};

/**
 * A run, its logbook (created on first use, named after its id: the in-memory store does not
 * require ensureLogBook either) and its atoms, in one statement. An existing run id inserts
 * nothing and returns no row.
 *
 *  $1 id, $2 logbook id, $3 flow id, $4 revision, $5 root name, $6 inputs, $7 meta, $8 atoms.
 */
export const CREATE_RUN: Statement = {
  name: 'atomflow_create_run_v2',
  paramTypes: ['text', 'text', 'text', 'integer', 'text', 'text', 'text', 'text', 'text', 'double precision'],
  // $9/$10: the lease the run is created with (NewRun.lease), or nulls
  text: `with lb as (insert into logbooks (id, name) values ($2::text, $2::text) on conflict (id) do nothing),
  run as (insert into runs (id, logbook_id, flow_id, revision, root_name, state, inputs, meta, lease_owner, lease_expires_at)
    values ($1::text, $2::text, $3::text, $4::integer, $5::text, 'PENDING', $6::text::jsonb, $7::text::jsonb, $9::text,
      case when $9::text is null then null else clock_timestamp() + $10::double precision * interval '1 millisecond' end)
    on conflict (id) do nothing
    returning created_at, updated_at),
  atoms as (${atomUpsert('$1::text', '$8::text', 'run')})
  select created_at, updated_at from run`,
};

/**
 * Leases up to $3 runs that need a worker and whose lease is free or expired, to $1 for $2 ms:
 * runs in PENDING, RUNNING, SUSPENDING or RESUMING; WAITING runs with a due timer; any run with
 * a pending command. The candidates come from three index-friendly queries (runs by state, due
 * timers, pending commands), never a scan of all runs. FOR UPDATE SKIP LOCKED lets workers claim
 * at once without waiting on each other; the lease condition is re-checked on the locked row, so
 * a run is never leased twice. Oldest runs first.
 */
export const CLAIM_RUNS: Statement = {
  name: 'atomflow_claim_runs_v1',
  paramTypes: ['text', 'double precision', 'integer'],
  text: `with candidates as (
    select id from runs where state in ('PENDING', 'RUNNING', 'SUSPENDING', 'RESUMING')
    union
    select t.run_id from timers t join runs r on r.id = t.run_id where t.wake_at <= clock_timestamp() and r.state = 'WAITING'
    union
    select run_id from commands where applied_at is null),
  picked as (
    select r.id from runs r
    where r.id in (select id from candidates) and (r.lease_expires_at is null or r.lease_expires_at <= clock_timestamp())
    order by r.created_at, r.created_seq
    limit $3::integer
    for update of r skip locked),
  leased as (
    update runs set lease_owner = $1::text, lease_expires_at = clock_timestamp() + $2::double precision * interval '1 millisecond'
    from picked where runs.id = picked.id
    returning runs.id, runs.created_at, runs.created_seq)
  select id from leased order by created_at, created_seq`,
};

/** A row as a JSON object keyed like drizzle's select of the table (camelCase), for its mappers. */
function jsonRow(table: Table, alias: string): string {
  const pairs = Object.entries(getTableColumns(table)).map(([key, column]) => `'${key}', ${alias}.${column.name}`);
  return `json_build_object(${pairs.join(', ')})`;
}

/**
 * A run with its atoms and sub-steps in ONE statement (one snapshot, one round trip, no
 * transaction): the rows as JSON objects shaped like drizzle's selects, so the same mappers read
 * them. Sub-steps come in the order they were first recorded (created_seq): the order they ran, not
 * by name. No row when the run does not exist. $1 run id.
 */
export const LOAD_RUN: Statement = {
  name: 'atomflow_load_run_v2',
  paramTypes: ['text'],
  text: `select ${jsonRow(Runs, 'r')} as run,
    (select coalesce(json_agg(${jsonRow(AtomDetails, 'a')} order by a.name), '[]'::json) from atom_details a where a.run_id = r.id) as atoms,
    (select coalesce(json_agg(${jsonRow(SubSteps, 's')} order by s.created_seq), '[]'::json) from sub_steps s where s.run_id = r.id)
      as "subSteps"
  from runs r where r.id = $1::text`,
};
