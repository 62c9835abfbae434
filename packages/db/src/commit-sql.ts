import type { RunChange } from '@atomflow/engine';
import type { SubStep } from '@atomflow/model';
import { sql, type SQL } from 'drizzle-orm';

import { InvalidRunChangeError } from './errors.js';
import { checkAtom, checkEvent, checkFlowState } from './validate.js';

/**
 * A RunChange as ONE SQL statement: data-modifying CTEs around the seq allocation.
 *
 * Why one statement and not BEGIN … COMMIT: a statement is atomic on its own, and it is one round
 * trip instead of six to eight, which is most of the cost of a commit (the engine commits every
 * scheduling step). The `seq` CTE bumps `runs.last_seq` by the number of events, row-locking the
 * run: concurrent committers to the same run queue there, and the lock holder's seqs are
 * [last_seq - n + 1, last_seq]. Every other CTE selects FROM seq, so a missing run changes
 * nothing (and the statement returns no row). Rows travel as one JSON parameter per table
 * (jsonb_to_recordset): no parameter-count limit, one parse.
 *
 * Limit of the single snapshot: a commit that waited for the run's lock does not see rows a
 * concurrent commit inserted, so it cannot delete a timer that commit set. Runs have one owner
 * (the lease), so two commits to the same run do not race in practice; seqs stay gap-free anyway.
 */
export interface CommitStatement {
  readonly query: SQL;
  /** The events, as they will be stored (a JSON round trip of what was given). */
  readonly eventsJson: string;
  readonly eventCount: number;
}

/** Columns of atom_details, in the order of the recordset below. */
const ATOM_COLUMNS = sql.raw(
  `name, type, version, kind, state, intention, result, failure, revert_result, revert_failure, attempts, history, wake_at, wait_reason, started_at, finished_at, inputs`,
);
/** Keys of AtomDetail, read with their SQL types from the JSON parameter. */
const ATOM_RECORD = sql.raw(
  `x(name text, type text, version integer, kind text, state text, intention text, result jsonb, failure jsonb, "revertResult" jsonb, "revertFailure" jsonb, attempts integer, history jsonb, "wakeAt" timestamptz, "waitReason" text, "startedAt" timestamptz, "finishedAt" timestamptz, inputs jsonb)`,
);
const ATOM_VALUES = sql.raw(
  `x.name, x.type, x.version, x.kind, x.state, x.intention, x.result, x.failure, x."revertResult", x."revertFailure", x.attempts, x.history, x."wakeAt", x."waitReason", x."startedAt", x."finishedAt", x.inputs`,
);
const ATOM_UPDATE = sql.raw(
  [
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
  ]
    .map((c) => `${c} = excluded.${c}`)
    .join(', '),
);

/**
 * `INSERT … SELECT` of atom snapshots from a JSON array, upserting by (run_id, name). `source`
 * is the CTE the rows depend on (the run must exist); shared with createRun.
 */
export function atomUpsertSql(runId: string, atomsJson: string, source: string): SQL {
  return sql`insert into atom_details (run_id, ${ATOM_COLUMNS})
    select ${runId}, ${ATOM_VALUES} from ${sql.raw(source)}, jsonb_to_recordset(${atomsJson}::text::jsonb) as ${ATOM_RECORD}
    on conflict (run_id, name) do update set ${ATOM_UPDATE}`;
}

export function buildCommit(runId: string, change: RunChange): CommitStatement {
  const n = change.events.length;
  for (const e of change.events) checkEvent(e);
  const eventsJson = JSON.stringify(change.events.map((e) => ({ kind: e.kind, atom: e.atom, from: e.from, to: e.to, data: e.data })));

  const ctes: SQL[] = [sql`seq as (update runs set ${runSets(n, change.flow)} where id = ${runId} returning last_seq, updated_at as at)`];

  const atoms = lastByKey(change.atoms ?? [], (a) => a.name);
  if (atoms.length > 0) {
    for (const a of atoms) checkAtom(a);
    ctes.push(sql`atoms as (${atomUpsertSql(runId, JSON.stringify(atoms), 'seq')})`);
  }

  const subSteps = lastByKey(change.subSteps ?? [], (s: SubStep) => `${s.atom}\u0000${s.name}`);
  if (subSteps.length > 0) {
    ctes.push(sql`sub as (insert into sub_steps (run_id, atom, name, state, attempts, result, failure, updated_at)
      select ${runId}, x.atom, x.name, x.state, x.attempts, x.result, x.failure, x."updatedAt"
      from seq, jsonb_to_recordset(${JSON.stringify(subSteps)}::text::jsonb)
        as x(atom text, name text, state text, attempts integer, result jsonb, failure jsonb, "updatedAt" timestamptz)
      on conflict (run_id, atom, name) do update set state = excluded.state, attempts = excluded.attempts,
        result = excluded.result, failure = excluded.failure, updated_at = excluded.updated_at)`);
  }

  const set = lastByKey(change.timers?.set ?? [], (t) => t.atom);
  for (const t of set) {
    if (t.runId !== runId) throw new InvalidRunChangeError(`timer of atom ${t.atom} names run ${t.runId} in a commit to run ${runId}`);
  }
  // Setting replaces: an atom both cleared and set keeps the new timer (and one statement must
  // not both delete and insert the same row).
  const setAtoms = new Set(set.map((t) => t.atom));
  const clear = [...new Set(change.timers?.clear ?? [])].filter((a) => !setAtoms.has(a));
  if (clear.length > 0) {
    ctes.push(sql`tclear as (delete from timers using seq
      where timers.run_id = ${runId} and timers.atom in (select jsonb_array_elements_text(${JSON.stringify(clear)}::text::jsonb)))`);
  }
  if (set.length > 0) {
    const json = JSON.stringify(set.map((t) => ({ atom: t.atom, wakeAt: t.wakeAt })));
    ctes.push(sql`tset as (insert into timers (run_id, atom, wake_at)
      select ${runId}, x.atom, x."wakeAt" from seq, jsonb_to_recordset(${json}::text::jsonb) as x(atom text, "wakeAt" timestamptz)
      on conflict (run_id, atom) do update set wake_at = excluded.wake_at)`);
  }

  if (n > 0) {
    ctes.push(sql`ev as (insert into events (run_id, seq, kind, atom, from_state, to_state, data, at)
      select ${runId}, seq.last_seq - ${n}::integer + x.ord, x.kind, x.atom, x."from", x."to", x.data, seq.at
      from seq, rows from (jsonb_to_recordset(${eventsJson}::text::jsonb)
        as (kind text, atom text, "from" text, "to" text, data jsonb)) with ordinality as x(kind, atom, "from", "to", data, ord))`);
  }

  const query = sql`with ${sql.join(ctes, sql`, `)} select last_seq, at from seq`;
  return { query, eventsJson, eventCount: n };
}

/** SET list of the seq CTE: the counter, the activity time, and the run fields the change names. */
function runSets(n: number, flow: RunChange['flow']): SQL {
  const sets: SQL[] = [sql`last_seq = last_seq + ${n}::integer`, sql`updated_at = clock_timestamp()`];
  if (flow) {
    if (flow.state !== undefined) {
      checkFlowState(flow.state);
      sets.push(sql`state = ${flow.state}`);
    }
    if (flow.revision !== undefined) sets.push(sql`revision = ${flow.revision}::integer`);
    if (flow.meta !== undefined) sets.push(sql`meta = ${JSON.stringify(flow.meta)}::text::jsonb`);
    // Nullable fields: a key given as null/undefined clears, as the in-memory store does.
    if ('failure' in flow) sets.push(sql`failure = ${flow.failure == null ? null : JSON.stringify(flow.failure)}::text::jsonb`);
    if ('startedAt' in flow) sets.push(sql`started_at = ${flow.startedAt ?? null}::timestamptz`);
    if ('finishedAt' in flow) sets.push(sql`finished_at = ${flow.finishedAt ?? null}::timestamptz`);
  }
  return sql.join(sets, sql`, `);
}

/** One row per key, the last one given winning: an upsert may not touch a row twice. */
function lastByKey<T>(items: readonly T[], key: (item: T) => string): readonly T[] {
  if (items.length < 2) return items;
  const byKey = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    byKey.delete(k); // keep the order of last occurrence
    byKey.set(k, item);
  }
  return byKey.size === items.length ? items : [...byKey.values()];
}
