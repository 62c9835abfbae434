import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

import type { Schema } from './schema.js';

/** The drizzle database the store runs on: PGlite or node-postgres, same schema. */
export type AtomflowDb = PgDatabase<PgQueryResultHKT, Schema>;

/**
 * Runs raw SQL and returns its rows. Both drivers' results (PGlite's `Results`, pg's
 * `QueryResult`) carry `rows`; drizzle types them per driver, so this is the one place that
 * bridges the two. Callers name the row shape they selected.
 */
export async function queryRows<Row>(db: AtomflowDb, query: SQL): Promise<Row[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: Row[] }).rows;
}
