import { sql } from 'drizzle-orm';

import type { RunningServer } from '../server.js';

/** A digest of every row of every table (and of the users): equal digests = nothing was written. */
export async function fingerprint(server: RunningServer): Promise<Record<string, string>> {
  const db = server.database.db;
  const tables = (
    (await db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    )) as unknown as { rows: Array<{ table_name: string }> }
  ).rows;
  const out: Record<string, string> = {};
  for (const { table_name } of tables) {
    const res = (await db.execute(
      sql.raw(`select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) as digest, count(*)::int as n from "${table_name}" t`),
    )) as unknown as {
      rows: Array<{ digest: string; n: number }>;
    };
    out[table_name] = `${res.rows[0]!.n}:${res.rows[0]!.digest}`;
  }
  out['(users)'] = JSON.stringify(await server.services.auth.listUsers());
  return out;
}
