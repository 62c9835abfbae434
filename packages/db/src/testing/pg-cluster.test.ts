import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

import pg from 'pg';
import { describe, expect, it } from 'vitest';

import { PostgresBinariesNotFoundError, startPostgresCluster } from './pg-cluster.js';

describe('startPostgresCluster', () => {
  it('starts a PostgreSQL 15 cluster as a non-root user, and stop() stops and deletes it', async () => {
    const cluster = await startPostgresCluster();
    let stopped = false;
    try {
      expect(cluster.url).toBe(`postgres://postgres@127.0.0.1:${cluster.port}/postgres`);
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: string; fsync: string }>(
          "select current_setting('server_version_num') as version, current_setting('fsync') as fsync",
        );
        expect(rows[0]?.version.slice(0, 2)).toBe('15');
        expect(rows[0]?.fsync).toBe('on');
      } finally {
        await client.end();
      }
      // The server's files belong to the postgres user, never to root.
      expect(statSync(join(cluster.dir, 'data')).uid).not.toBe(0);
      await cluster.stop();
      stopped = true;
      expect(existsSync(cluster.dir)).toBe(false);
      const after = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 2000 });
      await expect(after.connect()).rejects.toThrow();
      await cluster.stop(); // twice is harmless
    } finally {
      if (!stopped) await cluster.stop();
    }
  });

  it('says what to install when the binaries are missing', async () => {
    const error = await startPostgresCluster({ binDir: '/nonexistent/bin' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PostgresBinariesNotFoundError);
    expect((error as Error).message).toMatch(/install Debian's postgresql package/);
  });
});
