// Test helpers: a separate entry (`@atomflow/db/testing`) so the main one never loads them.
export { PostgresBinariesNotFoundError, PostgresClusterError, startPostgresCluster } from './pg-cluster.js';
export type { PostgresCluster, PostgresClusterOptions } from './pg-cluster.js';
