import { MemoryAuthStore, type AuthStore } from '@atomflow/api';
import * as db from '@atomflow/db';
import type { OpenedDatabase } from '@atomflow/db';

type AuthStoreClass = new (database: OpenedDatabase['db']) => AuthStore;

/**
 * Users and sessions in the database (packages/db's DbAuthStore). Until that exists in this
 * checkout, in memory — users then last as long as the process, and the log says so.
 */
export function createAuthStore(database: OpenedDatabase, log: (line: string) => void): AuthStore {
  const DbAuthStore = (db as Record<string, unknown>)['DbAuthStore'] as AuthStoreClass | undefined;
  if (typeof DbAuthStore === 'function') return new DbAuthStore(database.db);
  log('warning: this build of @atomflow/db has no DbAuthStore: users and sessions are kept in memory only');
  return new MemoryAuthStore();
}
