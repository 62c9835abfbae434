import type { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type pg from 'pg';

import { queryRows, type AtomflowDb } from './db-types.js';
import type { Statement } from './statements.js';

export type SqlValue = string | number | boolean | null;

/** Executes the fixed statements of statements.ts, prepared where the driver allows it. */
export interface SqlRunner {
  run<Row>(statement: Statement, values: readonly SqlValue[]): Promise<Row[]>;
}

/**
 * node-postgres: a named query is parsed and planned once per pooled connection, then only
 * bound and executed.
 */
export function poolRunner(pool: pg.Pool): SqlRunner {
  return {
    async run<Row>(statement: Statement, values: readonly SqlValue[]): Promise<Row[]> {
      const result = await pool.query({ name: statement.name, text: statement.text, values: [...values] });
      return result.rows as Row[];
    },
  };
}

/**
 * PGlite: its query() parses, describes and plans every time (extended protocol, unnamed
 * statement). Here each statement is PREPAREd once in the session and then run as
 * `EXECUTE name(literal, …)` over the simple protocol, about three times faster for a commit.
 * Values are inlined as SQL literals: only strings (quoted, quotes doubled — safe with
 * standard_conforming_strings, checked once), safe integers, booleans and NULL.
 */
export function pgliteRunner(client: PGlite): SqlRunner {
  const prepared = new Map<string, Promise<void>>();
  let checked: Promise<void> | undefined;

  const prepare = (statement: Statement): Promise<void> => {
    let p = prepared.get(statement.name);
    if (!p) {
      checked ??= checkStandardStrings(client);
      p = checked.then(async () => {
        try {
          await client.exec(`prepare ${statement.name} (${statement.paramTypes.join(', ')}) as ${statement.text}`);
        } catch (e) {
          // Another runner on the same PGlite prepared it already (same versioned name, same text).
          if ((e as { code?: unknown }).code !== DUPLICATE_PREPARED_STATEMENT) throw e;
        }
      });
      // A failed preparation is retried by the next call rather than cached.
      p.catch(() => prepared.delete(statement.name));
      prepared.set(statement.name, p);
    }
    return p;
  };

  return {
    async run<Row>(statement: Statement, values: readonly SqlValue[]): Promise<Row[]> {
      const execute = `execute ${statement.name}(${values.map(literal).join(', ')})`;
      await prepare(statement);
      try {
        return ((await client.exec(execute)).at(-1)?.rows ?? []) as Row[];
      } catch (e) {
        // Someone ran DEALLOCATE / DISCARD ALL on the session: prepare again, once.
        if ((e as { code?: unknown }).code !== UNDEFINED_PREPARED_STATEMENT) throw e;
        prepared.delete(statement.name);
        await prepare(statement);
        return ((await client.exec(execute)).at(-1)?.rows ?? []) as Row[];
      }
    },
  };
}

/**
 * Any drizzle database (a DbStore built on one directly): the fixed text with drizzle
 * parameters, parsed and planned each time.
 */
export function drizzleRunner(db: AtomflowDb): SqlRunner {
  return {
    run<Row>(statement: Statement, values: readonly SqlValue[]): Promise<Row[]> {
      return queryRows<Row>(db, withParams(statement.text, values));
    },
  };
}

const DUPLICATE_PREPARED_STATEMENT = '42P05';
const UNDEFINED_PREPARED_STATEMENT = '26000';

async function checkStandardStrings(client: PGlite): Promise<void> {
  const { rows } = await client.query<{ standard_conforming_strings: string }>('show standard_conforming_strings');
  if (rows[0]?.standard_conforming_strings !== 'on')
    throw new Error('PGlite runs with standard_conforming_strings off: literals cannot be inlined safely');
}

/** A value as an SQL literal (see pgliteRunner for why this is safe). */
export function literal(value: SqlValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer parameter: ${value}`);
    return String(value);
  }
  // A NUL would end the query text early; PostgreSQL cannot store one in text anyway.
  if (value.includes('\u0000')) throw new RangeError('a text value contains a NUL character, which PostgreSQL cannot store');
  return `'${value.replaceAll("'", "''")}'`;
}

/** `$n` placeholders of a fixed text bound as drizzle parameters. */
function withParams(text: string, values: readonly SqlValue[]): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(last, m.index)));
    chunks.push(sql`${values[Number(m[1]) - 1] ?? null}`);
    last = m.index + m[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks);
}
