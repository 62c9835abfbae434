import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { authStoreContract } from './auth-store.contract.js';
import { openDatabase, type OpenedPglite, type OpenedPostgres } from './open.js';
import { startPostgresCluster, type PostgresCluster } from './testing/pg-cluster.js';

let pglite: OpenedPglite;
let cluster: PostgresCluster;
let postgres: OpenedPostgres;
beforeAll(async () => {
  [pglite, cluster] = await Promise.all([openDatabase({ dataDir: 'memory://' }), startPostgresCluster()]);
  postgres = await openDatabase({ url: cluster.url });
});
afterAll(async () => {
  await pglite?.close();
  await postgres?.close();
  await cluster?.stop();
});

authStoreContract('PGlite', () => pglite.auth);
authStoreContract('PostgreSQL', () => postgres.auth);

describe('DbAuthStore on PostgreSQL, several processes', () => {
  it('two pools racing to create the same email: exactly one wins', async () => {
    const other = await openDatabase({ url: cluster.url });
    try {
      const email = `race-${Date.now()}@example.com`;
      const results = await Promise.allSettled(
        [postgres, other, postgres, other].map((d, i) =>
          d.auth.createUser({ email: i % 2 ? email.toUpperCase() : email, name: `r${i}`, role: 'viewer', passwordHash: 'h' }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled').length).toBe(1);
      for (const r of results) if (r.status === 'rejected') expect((r.reason as Error).name).toBe('DuplicateEmailError');
    } finally {
      await other.close();
    }
  });
});
