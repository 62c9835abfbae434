/*
 * Where users and sessions live. packages/db implements it on the database (DbAuthStore); the
 * in-memory one (memory-auth-store.ts) serves tests.
 */

// The records are the database's (packages/db sits below api); the store itself stays an
// interface so tests can use the in-memory one.
import type { Role, Session, User } from '@atomflow/db';

export type { Role, Session, User };

export interface AuthStore {
  countUsers(): Promise<number>;
  /** Throws an error named 'DuplicateEmailError' on a taken email (case-insensitive). */
  createUser(u: { email: string; name: string; role: Role; passwordHash: string }): Promise<User>;
  /** Case-insensitive. */
  findUserByEmail(email: string): Promise<User | undefined>;
  getUser(id: string): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  updateUser(id: string, patch: { name?: string; role?: Role; passwordHash?: string; disabled?: boolean }): Promise<User | undefined>;
  createSession(s: { id: string; userId: string; csrfToken: string; expiresAt: string }): Promise<Session>;
  /** Undefined when missing or expired. */
  getSession(id: string): Promise<{ session: Session; user: User } | undefined>;
  deleteSession(id: string): Promise<void>;
  deleteUserSessions(userId: string): Promise<void>;
}

/** A taken email. Stores in other packages throw their own error of this name: match on `name`. */
export class DuplicateEmailError extends Error {
  override readonly name = 'DuplicateEmailError';
  constructor(readonly email: string) {
    super(`a user with email ${email} already exists`);
  }
}

export function isDuplicateEmailError(error: unknown): boolean {
  return error instanceof Error && error.name === 'DuplicateEmailError';
}
