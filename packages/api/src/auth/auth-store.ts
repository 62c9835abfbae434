/*
 * Where users and sessions live. packages/db implements it on the database (DbAuthStore); the
 * in-memory one (memory-auth-store.ts) serves tests.
 */

export type Role = 'viewer' | 'operator' | 'editor' | 'admin';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
}

export interface Session {
  /** sha256 hex of the cookie token: a leaked table does not give away live cookies. */
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

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
