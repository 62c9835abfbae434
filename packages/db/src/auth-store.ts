import { randomUUID } from 'node:crypto';

import { AtomflowError } from '@atomflow/model';
import { and, asc, eq, gt, lte, sql } from 'drizzle-orm';

import type { AtomflowDb } from './db-types.js';
import { TextEnum } from './enums.js';
import { StoreQueryError, UnexpectedRowError } from './errors.js';
import { Sessions, Users } from './schema.js';
import { toIso } from './time.js';

/*
 * Users and sessions for the web app. The types mirror packages/api's AuthStore (db sits below
 * api and must not import it); DbAuthStore satisfies that interface structurally.
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
  /** sha256 hex of the cookie token (the API hashes it): a leaked table gives away no cookie. */
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}

export interface UserPatch {
  name?: string;
  role?: Role;
  passwordHash?: string;
  disabled?: boolean;
}

export interface NewSession {
  id: string;
  userId: string;
  csrfToken: string;
  expiresAt: string;
}

/** A taken email (case-insensitive). The API matches errors by this `name`. */
export class DuplicateEmailError extends AtomflowError {
  override readonly name = 'DuplicateEmailError';
  constructor(readonly email: string) {
    super(`a user with email ${email} already exists`);
  }
}

const ROLE = new TextEnum<Role>('role', ['viewer', 'operator', 'editor', 'admin']);
/** PostgreSQL's unique_violation, and the index that makes emails unique whatever their case. */
const UNIQUE_VIOLATION = '23505';
const EMAIL_INDEX = 'users_email_lower_idx';

type UserRow = typeof Users.$inferSelect;
type SessionRow = typeof Sessions.$inferSelect;

const USER_COLUMNS = {
  id: Users.id,
  email: Users.email,
  name: Users.name,
  role: Users.role,
  passwordHash: Users.passwordHash,
  disabled: Users.disabled,
  createdAt: Users.createdAt,
};

function toUser(r: Omit<UserRow, 'createdSeq'>): User {
  if (!ROLE.has(r.role)) throw new UnexpectedRowError(`unknown role ${JSON.stringify(r.role)} of user ${r.id} in the database`);
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    passwordHash: r.passwordHash,
    disabled: r.disabled,
    createdAt: toIso(r.createdAt),
  };
}

function toSession(r: SessionRow): Session {
  return { id: r.id, userId: r.userId, csrfToken: r.csrfToken, createdAt: toIso(r.createdAt), expiresAt: toIso(r.expiresAt) };
}

/** Both drivers' errors, possibly wrapped by drizzle (DrizzleQueryError keeps the driver's as cause). */
function isEmailTaken(e: unknown): boolean {
  for (let err: unknown = e; err instanceof Error; err = err.cause) {
    const { code, constraint } = err as { code?: unknown; constraint?: unknown };
    // PGlite reports no constraint name on some paths; the message names the index on both.
    if (code === UNIQUE_VIOLATION && (constraint === EMAIL_INDEX || err.message.includes(EMAIL_INDEX))) return true;
  }
  return false;
}

/** The users and sessions tables (migration 0003), on PGlite or PostgreSQL. */
export class DbAuthStore {
  constructor(private readonly db: AtomflowDb) {}

  async countUsers(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(Users);
    return Number(row?.n ?? 0);
  }

  async createUser(u: NewUser): Promise<User> {
    if (!ROLE.has(u.role)) throw new RangeError(`unknown role ${JSON.stringify(u.role)}`);
    try {
      const [row] = await this.db
        .insert(Users)
        .values({ id: randomUUID(), email: u.email, name: u.name, role: u.role, passwordHash: u.passwordHash })
        .returning(USER_COLUMNS);
      if (!row) throw new Error('insert into users returned no row');
      return toUser(row);
    } catch (e) {
      if (isEmailTaken(e)) throw new DuplicateEmailError(u.email);
      throw new StoreQueryError('creating a user', e);
    }
  }

  /** Case-insensitive: the lookup uses the same lower(email) expression as the unique index. */
  async findUserByEmail(email: string): Promise<User | undefined> {
    const [row] = await this.db
      .select(USER_COLUMNS)
      .from(Users)
      .where(sql`lower(${Users.email}) = lower(${email})`);
    return row && toUser(row);
  }

  async getUser(id: string): Promise<User | undefined> {
    const [row] = await this.db.select(USER_COLUMNS).from(Users).where(eq(Users.id, id));
    return row && toUser(row);
  }

  /** Oldest first. */
  async listUsers(): Promise<User[]> {
    const rows = await this.db.select(USER_COLUMNS).from(Users).orderBy(asc(Users.createdAt), asc(Users.createdSeq));
    return rows.map(toUser);
  }

  /** Applies the fields that are defined; undefined when there is no such user. */
  async updateUser(id: string, patch: UserPatch): Promise<User | undefined> {
    if (patch.role !== undefined && !ROLE.has(patch.role)) throw new RangeError(`unknown role ${JSON.stringify(patch.role)}`);
    const set: Partial<Pick<UserRow, 'name' | 'role' | 'passwordHash' | 'disabled'>> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.role !== undefined) set.role = patch.role;
    if (patch.passwordHash !== undefined) set.passwordHash = patch.passwordHash;
    if (patch.disabled !== undefined) set.disabled = patch.disabled;
    if (Object.keys(set).length === 0) return this.getUser(id);
    const [row] = await this.db.update(Users).set(set).where(eq(Users.id, id)).returning(USER_COLUMNS);
    return row && toUser(row);
  }

  async createSession(s: NewSession): Promise<Session> {
    const [row] = await this.db
      .insert(Sessions)
      .values({ id: s.id, userId: s.userId, csrfToken: s.csrfToken, expiresAt: s.expiresAt })
      .returning()
      .catch((e: unknown) => {
        throw new StoreQueryError('creating a session', e);
      });
    if (!row) throw new Error('insert into sessions returned no row');
    return toSession(row);
  }

  /**
   * The session and its user, unless missing or expired (by the database's clock, which every
   * process sharing the database agrees on). An expired session found here is deleted.
   */
  async getSession(id: string): Promise<{ session: Session; user: User } | undefined> {
    const [row] = await this.db
      .select({ session: Sessions, user: USER_COLUMNS })
      .from(Sessions)
      .innerJoin(Users, eq(Users.id, Sessions.userId))
      .where(and(eq(Sessions.id, id), gt(Sessions.expiresAt, sql`now()`)));
    if (row) return { session: toSession(row.session), user: toUser(row.user) };
    await this.db.delete(Sessions).where(and(eq(Sessions.id, id), lte(Sessions.expiresAt, sql`now()`)));
    return undefined;
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.delete(Sessions).where(eq(Sessions.id, id));
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.db.delete(Sessions).where(eq(Sessions.userId, userId));
  }

  /** Removes every expired session (housekeeping; getSession already ignores them). */
  async deleteExpiredSessions(): Promise<number> {
    const rows = await this.db
      .delete(Sessions)
      .where(lte(Sessions.expiresAt, sql`now()`))
      .returning({ id: Sessions.id });
    return rows.length;
  }
}
